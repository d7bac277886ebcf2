import Foundation

/// A certificate's serial (证照编号): the printing hall's code, the hall-day and the day's
/// sequence — `500107-01-20261121-0007`. Unique because `(hall, day, sequence)` is, and readable
/// at a glance on paper and in the QR code.
///
/// Text form: `<hall code>-<YYYYMMDD>-<sequence, at least 4 digits>`. The hall code may itself
/// contain hyphens, so the text is read from the right.
public struct CertificateSerial: Sendable, Hashable, CustomStringConvertible {
    public let hallCode: String
    public let day: HallDay
    /// 1 for the day's first certificate of this hall.
    public let sequence: Int

    /// Digits the sequence is padded to; longer numbers are written in full.
    public static let minimumSequenceDigits = 4
    /// The most certificates one hall can issue in a day under this format.
    public static let maximumSequence = 999_999
    /// Longest hall code accepted, so a serial always fits the QR payload.
    public static let maximumHallCodeLength = 24

    /// Nil when the hall code is not serial-safe (`isValidHallCode`) or the sequence is out of range.
    public init?(hallCode: String, day: HallDay, sequence: Int) {
        guard Self.isValidHallCode(hallCode), (1...Self.maximumSequence).contains(sequence),
            HallDay(validating: day.rawValue) != nil
        else { return nil }
        self.hallCode = hallCode
        self.day = day
        self.sequence = sequence
    }

    /// Parses the text form; nil unless it is exactly what `description` would write.
    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count >= 3 else { return nil }
        let digits = parts[parts.count - 1], date = parts[parts.count - 2]
        guard date.count == 8, date.allSatisfy(\.isASCIIDigit),
            digits.count >= Self.minimumSequenceDigits, digits.allSatisfy(\.isASCIIDigit),
            let sequence = Int(digits),
            let day = HallDay(validating: "\(date.prefix(4))-\(date.dropFirst(4).prefix(2))-\(date.suffix(2))")
        else { return nil }
        self.init(hallCode: parts.dropLast(2).joined(separator: "-"), day: day, sequence: sequence)
        // Non-canonical spellings ("00007") would give one certificate two serials.
        guard description == text else { return nil }
    }

    public var description: String {
        let digits = String(sequence)
        let padded = String(repeating: "0", count: max(0, Self.minimumSequenceDigits - digits.count)) + digits
        return "\(hallCode)-\(day.rawValue.replacingOccurrences(of: "-", with: ""))-\(padded)"
    }

    /// ASCII letters, digits and inner hyphens, at most `maximumHallCodeLength` characters:
    /// a serial is printed, typed back by people and carried in a QR code.
    public static func isValidHallCode(_ code: String) -> Bool {
        guard !code.isEmpty, code.count <= maximumHallCodeLength, !code.hasPrefix("-"), !code.hasSuffix("-") else {
            return false
        }
        return code.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
    }
}

/// On the wire and in rows a serial is its text.
extension CertificateSerial: Codable {
    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let serial = CertificateSerial(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a certificate serial: \(text)"))
        }
        self = serial
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
