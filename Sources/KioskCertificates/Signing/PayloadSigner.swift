import Crypto
import Foundation

/// Signs QR payloads with the hall's Ed25519 key (`Curve25519.Signing`). One per daemon, loaded
/// from the state dir at start-up with `loadOrCreate(stateDir:)`.
public struct PayloadSigner: Sendable {
    // Kept as bytes, like PersonKeys: the key's 32-byte seed.
    private let seed: Data

    public init(privateKey: Curve25519.Signing.PrivateKey) {
        seed = privateKey.rawRepresentation
    }

    private var privateKey: Curve25519.Signing.PrivateKey {
        // The seed came from a valid key.
        try! Curve25519.Signing.PrivateKey(rawRepresentation: seed)
    }

    /// Loads `<stateDir>/certificate-signing.key`, creating it (mode 0600) on first start.
    /// See `SigningKeyFile` for what is refused.
    public static func loadOrCreate(stateDir: String) throws(SigningKeyError) -> PayloadSigner {
        PayloadSigner(privateKey: try SigningKeyFile(stateDir: stateDir).loadOrCreate())
    }

    public var publicKey: SigningPublicKey {
        // A key from swift-crypto always has a valid public key.
        try! SigningPublicKey(rawRepresentation: privateKey.publicKey.rawRepresentation)
    }

    /// The QR code text for `claims`.
    public func payload(for claims: QRClaims) -> String {
        let signed = QRPayload.signedText(claims)
        // Signing fails only if BoringSSL is broken; there is no input that makes it fail.
        let signature = try! privateKey.signature(for: Data(signed.utf8))
        return QRPayload.text(signedText: signed, signature: signature)
    }

    /// A verifier for this signer's payloads (the daemon's `cert.verify`).
    public var verifier: PayloadVerifier { PayloadVerifier(publicKey: publicKey) }
}
