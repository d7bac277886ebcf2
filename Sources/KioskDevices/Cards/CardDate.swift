import Foundation
import KioskCore

/// A calendar date as printed on an ID card ("YYYYMMDD" in the chip: birth date, 有效期限).
///
/// A plain date, not an instant: a card valid to 2036-05-01 is valid on that local date wherever
/// the hall is, so no time zone is involved.
public struct CardDate: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// A real Gregorian date, or nil (2026-02-30 is nil).
    public init?(year: Int, month: Int, day: Int) {
        guard (1900...2199).contains(year), (1...12).contains(month), (1...31).contains(day) else { return nil }
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "UTC")!
        guard let date = cal.date(from: DateComponents(year: year, month: month, day: day)),
            cal.component(.day, from: date) == day
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses the chip's "YYYYMMDD" form.
    public init?(yyyymmdd text: String) {
        let u = Array(text.utf8)
        guard u.count == 8, u.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
        func num(_ r: Range<Int>) -> Int { r.reduce(0) { $0 * 10 + Int(u[$1] - 0x30) } }
        self.init(year: num(0..<4), month: num(4..<6), day: num(6..<8))
    }

    /// The date of a hall-day ("2026-11-21").
    public init?(_ day: HallDay) {
        self.init(yyyymmdd: day.rawValue.replacingOccurrences(of: "-", with: ""))
    }

    /// "20261121", as in the chip.
    public var yyyymmdd: String { String(format: "%04d%02d%02d", year, month, day) }

    /// "2026-11-21", as on screens and in JSON.
    public var description: String { String(format: "%04d-%02d-%02d", year, month, day) }

    public var dateComponents: DateComponents { DateComponents(year: year, month: month, day: day) }

    public static func < (a: CardDate, b: CardDate) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }

    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let d = CardDate(yyyymmdd: text.replacingOccurrences(of: "-", with: "")) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a date: \(text)"))
        }
        self = d
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}
