/// The answer to "is this QR code one of ours?" (`cert.verify`).
public enum PayloadVerification: Sendable, Equatable {
    /// Well formed and signed by the hall's key. The daemon then checks the serial, the state and
    /// the digest of the stored fields against these claims.
    case valid(QRClaims)
    case rejected(PayloadRejection)

    public var claims: QRClaims? {
        if case .valid(let claims) = self { return claims }
        return nil
    }
}

/// Which check a payload failed, and why in words.
public struct PayloadRejection: Error, Sendable, Equatable, CustomStringConvertible {
    public let check: VerificationCheck
    public let detail: String

    public init(_ check: VerificationCheck, _ detail: String) {
        self.check = check
        self.detail = detail
    }

    public var description: String { "\(check.rawValue): \(detail)" }
}

/// The checks of `cert.verify`, in the order they run; the raw value is what the answer names.
/// `PayloadVerifier` (offline, public key only) runs the first two; the daemon adds the rest from
/// its records.
public enum VerificationCheck: String, Sendable, Equatable, CaseIterable {
    /// Not a payload: wrong format or version, a part missing (truncated) or unreadable.
    case malformed
    /// The signature does not verify under the hall's public key: altered or forged.
    case signature
    /// Signed, but no certificate has this serial.
    case unknownSerial = "unknown_serial"
    /// The certificate was voided (reprinted or revoked).
    case voided
    /// The certificate's stored fields do not digest to the signed value.
    case digestMismatch = "digest_mismatch"
}
