import Crypto
import Foundation

/// The hall's certificate-signing public key, as `kioskctl cert pubkey` exports it and anyone who
/// verifies QR codes imports it.
///
/// The export is PEM `PUBLIC KEY` (SubjectPublicKeyInfo, RFC 8410), because every toolkit reads it:
/// `openssl pkey -pubin -in hall.pem -text`. The fingerprint is SHA-256 over the same DER bytes,
/// so `openssl pkey -pubin -in hall.pem -outform DER | sha256sum` prints it too.
public struct SigningPublicKey: Sendable, Hashable {
    /// The 32-byte Ed25519 public key.
    public let rawRepresentation: Data

    /// SubjectPublicKeyInfo header for Ed25519 (OID 1.3.101.112), followed by the 32 key bytes.
    static let spkiPrefix = Data([0x30, 0x2A, 0x30, 0x05, 0x06, 0x03, 0x2B, 0x65, 0x70, 0x03, 0x21, 0x00])

    public init(rawRepresentation: Data) throws(SigningKeyImportError) {
        guard rawRepresentation.count == 32, (try? Curve25519.Signing.PublicKey(rawRepresentation: rawRepresentation)) != nil else {
            throw .notAnEd25519Key
        }
        self.rawRepresentation = Data(rawRepresentation)
    }

    /// Reads a PEM `PUBLIC KEY` block holding an Ed25519 key.
    public init(pem: String) throws(SigningKeyImportError) {
        let lines = pem.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
        guard let begin = lines.firstIndex(of: "-----BEGIN PUBLIC KEY-----"),
            let end = lines.firstIndex(of: "-----END PUBLIC KEY-----"), begin < end
        else { throw .notPEM }
        guard let der = Data(base64Encoded: lines[(begin + 1)..<end].joined()) else { throw .notPEM }
        guard der.count == Self.spkiPrefix.count + 32, der.prefix(Self.spkiPrefix.count) == Self.spkiPrefix else {
            throw .notAnEd25519Key
        }
        try self.init(rawRepresentation: der.suffix(32))
    }

    public var derRepresentation: Data { Self.spkiPrefix + rawRepresentation }

    /// PEM text, 64 characters a line, ending in a newline.
    public var pem: String {
        let base64 = derRepresentation.base64EncodedString()
        var lines = ["-----BEGIN PUBLIC KEY-----"]
        var rest = Substring(base64)
        while !rest.isEmpty {
            lines.append(String(rest.prefix(64)))
            rest = rest.dropFirst(64)
        }
        lines.append("-----END PUBLIC KEY-----")
        return lines.joined(separator: "\n") + "\n"
    }

    /// SHA-256 of the DER form, lower-case hex: what people compare over the phone.
    public var fingerprint: String { Hex.encode(SHA256.hash(data: derRepresentation)) }

    var cryptoKey: Curve25519.Signing.PublicKey {
        // Checked in init.
        try! Curve25519.Signing.PublicKey(rawRepresentation: rawRepresentation)
    }
}

/// A public key that could not be read.
public enum SigningKeyImportError: Error, Sendable, Equatable, CustomStringConvertible {
    case notPEM
    case notAnEd25519Key

    public var description: String {
        switch self {
        case .notPEM: "not a PEM block (-----BEGIN PUBLIC KEY----- … -----END PUBLIC KEY-----)"
        case .notAnEd25519Key: "not an Ed25519 public key"
        }
    }
}
