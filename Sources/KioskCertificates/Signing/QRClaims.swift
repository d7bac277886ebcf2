import Foundation
import KioskCore

/// What a certificate's anti-counterfeit QR code (防伪二维码) asserts: which certificate, of which
/// type, issued when, with which printed fields (as a truncated `FieldDigest`). The hall is the one
/// that begins the serial.
public struct QRClaims: Sendable, Equatable {
    public let serial: CertificateSerial
    /// Template id.
    public let type: String
    /// Issue time, whole seconds.
    public let issuedAt: Date
    /// `FieldDigest.payloadLength` bytes of the fields' digest.
    public let fieldDigest: Data

    /// Longest template id a payload carries, so that the payload stays within `QRPayload.maximumLength`.
    public static let maximumTypeLength = 32

    /// Checks that the claims fit the payload format: a type of letters, digits, '-' and '_' (the
    /// template ids), a time from 1970 on, a digest of the payload length.
    public init(serial: CertificateSerial, type: String, issuedAt: Date, fieldDigest: Data) throws(QRPayloadError) {
        guard !type.isEmpty, type.count <= Self.maximumTypeLength,
            type.unicodeScalars.allSatisfy({ $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "-" || $0 == "_") })
        else { throw .invalidType(type) }
        let seconds = issuedAt.timeIntervalSince1970.rounded(.down)
        guard seconds >= 0, seconds < 1e11 else { throw .invalidIssueTime }
        guard fieldDigest.count == FieldDigest.payloadLength else { throw .invalidDigestLength(fieldDigest.count) }
        self.serial = serial
        self.type = type
        self.issuedAt = Date(timeIntervalSince1970: seconds)
        self.fieldDigest = Data(fieldDigest)
    }

    /// Claims for a certificate's fields.
    public init(serial: CertificateSerial, type: String, issuedAt: Date, fields: [String: String]) throws(QRPayloadError) {
        try self.init(serial: serial, type: type, issuedAt: issuedAt, fieldDigest: FieldDigest(fields: fields).payloadBytes)
    }

    public var hallCode: String { serial.hallCode }

    /// Issue time as the payload writes it: seconds since 1970-01-01T00:00:00Z.
    public var issuedAtSeconds: Int64 { Int64(issuedAt.timeIntervalSince1970) }

    /// Whether the stored fields of the certificate are the ones this payload was signed for
    /// (the daemon's `digest_mismatch` check).
    public func matches(fields: [String: String]) -> Bool {
        FieldDigest(fields: fields).matches(payloadBytes: fieldDigest)
    }
}

/// Claims that cannot be put in a payload.
public enum QRPayloadError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidType(String)
    case invalidIssueTime
    case invalidDigestLength(Int)

    public var description: String {
        switch self {
        case .invalidType(let type):
            "certificate type \"\(type)\" cannot go in a QR payload: 1 to \(QRClaims.maximumTypeLength) letters, digits, '-' or '_'"
        case .invalidIssueTime: "the issue time must be between 1970 and the year 5138"
        case .invalidDigestLength(let count): "a payload carries \(FieldDigest.payloadLength) digest bytes, not \(count)"
        }
    }
}
