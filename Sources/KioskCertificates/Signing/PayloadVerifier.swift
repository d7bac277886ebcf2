import Crypto
import Foundation

/// Checks a scanned QR payload offline, with only the hall's public key: is it well formed, and
/// was it signed by the hall? Anything can be given; nothing makes it crash or throw.
public struct PayloadVerifier: Sendable {
    public let publicKey: SigningPublicKey

    public init(publicKey: SigningPublicKey) { self.publicKey = publicKey }

    public func verify(_ scanned: String) -> PayloadVerification {
        switch QRPayload.parse(scanned) {
        case .failure(let rejection):
            return .rejected(rejection)
        case .success(let parts):
            guard publicKey.cryptoKey.isValidSignature(parts.signature, for: Data(parts.signedText.utf8)) else {
                return .rejected(PayloadRejection(.signature, "the signature does not match this hall's key: altered or forged"))
            }
            return .valid(parts.claims)
        }
    }
}
