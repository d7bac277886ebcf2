import Foundation
import KioskCore

/// The text of a certificate's QR code: the claims in readable form and an Ed25519 signature.
///
///     K1.<serial>.<type>.<issued>.<digest>.<signature>
///     K1.500107-01-20261121-0007.public-health-license.1795230000.<22 chars>.<86 chars>
///
/// - `K1`: format version 1.
/// - `serial`: `CertificateSerial` (hall code, YYYYMMDD, sequence): the hall is read from it.
/// - `type`: the template id.
/// - `issued`: issue time in seconds since 1970 UTC, decimal, no leading zeros.
/// - `digest`: the first 16 bytes of `FieldDigest`, base64url without padding.
/// - `signature`: Ed25519 over the UTF-8 bytes of everything before the last `.`, base64url (64 bytes).
///
/// None of the parts can contain a `.`, so splitting is unambiguous. Payloads are at most
/// `maximumLength` characters (typically about 170): byte-mode QR version 9–10 at level M, which
/// prints at 0.4–0.5 mm per module in 25 mm and scans with a phone.
public enum QRPayload {
    public static let version = "K1"
    public static let maximumLength = 200
    static let signatureLength = 64
    static let separator: Character = "."

    /// The signed part: everything but the signature.
    static func signedText(_ claims: QRClaims) -> String {
        [version, claims.serial.description, claims.type, String(claims.issuedAtSeconds), Base64URL.encode(claims.fieldDigest)]
            .joined(separator: String(separator))
    }

    static func text(signedText: String, signature: Data) -> String {
        signedText + String(separator) + Base64URL.encode(signature)
    }

    /// A payload split into its claims, the text its signature covers, and the signature.
    struct Parts {
        var claims: QRClaims
        var signedText: String
        var signature: Data
    }

    /// Parses a scanned payload, or says why it is not one (`malformed` in `PayloadVerification`).
    static func parse(_ text: String) -> Result<Parts, PayloadRejection> {
        func malformed(_ why: String) -> Result<Parts, PayloadRejection> { .failure(PayloadRejection(.malformed, why)) }
        // Scanners append a line end; anything longer than a payload can be is not one.
        let text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.utf8.count <= maximumLength * 2 else { return malformed("longer than any certificate payload") }
        let parts = text.split(separator: separator, omittingEmptySubsequences: false)
        guard let first = parts.first, first == version else {
            return malformed(parts.first.map { "unknown format \"\($0.prefix(8))\"; expected \(version)" } ?? "empty")
        }
        guard parts.count == 6 else {
            return malformed(parts.count < 6 ? "truncated: \(parts.count) of 6 parts" : "\(parts.count) parts; expected 6")
        }
        guard let serial = CertificateSerial(String(parts[1])) else { return malformed("the serial is not a certificate serial") }
        guard let seconds = canonicalSeconds(parts[3]) else { return malformed("the issue time is not a number of seconds") }
        guard let digest = Base64URL.decode(parts[4]), digest.count == FieldDigest.payloadLength else {
            return malformed("the field digest is not \(FieldDigest.payloadLength) base64url bytes")
        }
        guard let signature = Base64URL.decode(parts[5]), signature.count == signatureLength else {
            return malformed(parts[5].count < Base64URL.encodedLength(signatureLength)
                ? "truncated: the signature is incomplete" : "the signature is not \(signatureLength) base64url bytes")
        }
        let claims: QRClaims
        do {
            claims = try QRClaims(
                serial: serial, type: String(parts[2]), issuedAt: Date(timeIntervalSince1970: Double(seconds)),
                fieldDigest: digest)
        } catch {
            return malformed(error.description)
        }
        let signedText = text[..<text.lastIndex(of: separator)!]
        return .success(Parts(claims: claims, signedText: String(signedText), signature: signature))
    }

    /// Decimal seconds without sign or leading zeros, below 10^11.
    private static func canonicalSeconds(_ text: Substring) -> Int64? {
        guard !text.isEmpty, text.count <= 11, text.allSatisfy({ $0.isASCII && $0.isNumber }),
            text == "0" || !text.hasPrefix("0")
        else { return nil }
        return Int64(text)
    }
}
