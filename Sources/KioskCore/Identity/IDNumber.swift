import Foundation

/// A resident ID number (公民身份号码, GB 11643): 17 digits and an ISO 7064 MOD 11-2 check
/// character. Personal information under the PIPL: it is validated, masked for display and kept
/// only as a keyed hash; this type never prints the full number.
public struct IDNumber: Sendable, Equatable, CustomStringConvertible, CustomReflectable {
    /// The 18 characters, upper-case X. Not `description`: that one is masked.
    public let digits: String

    public init(validating text: String) throws {
        let s = text.trimmingCharacters(in: .whitespaces).uppercased()
        let chars = Array(s.utf8)
        guard chars.count == 18,
            chars[0..<17].allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
            (chars[17] >= 0x30 && chars[17] <= 0x39) || chars[17] == 0x58
        else {
            throw KioskError(.invalidIdNumber, "an ID number has 17 digits and a check digit or X")
        }
        guard Self.checkCharacter(for: s.prefix(17)) == Character(UnicodeScalar(chars[17])) else {
            throw KioskError(.invalidIdNumber, "the ID number's check digit is wrong")
        }
        guard Self.birthComponents(s) != nil else {
            throw KioskError(.invalidIdNumber, "the ID number's birth date is not a date")
        }
        digits = s
    }

    /// ISO 7064 MOD 11-2 over the first 17 digits.
    public static func checkCharacter<S: StringProtocol>(for first17: S) -> Character {
        let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
        var sum = 0
        for (d, w) in zip(first17.utf8, weights) { sum += Int(d &- 0x30) % 10 * w }  // non-digits cannot trap
        return Array("10X98765432")[sum % 11]
    }

    /// `5001**********123X`: region prefix and last four, as on hall screens and receipts.
    public var masked: String { Self.mask(digits) }
    public var description: String { masked }
    /// `dump` and debuggers see the masked form too.
    public var customMirror: Mirror { Mirror(self, children: ["masked": masked]) }

    public static func mask(_ s: String) -> String {
        guard s.count > 8 else { return String(repeating: "*", count: s.count) }
        return s.prefix(4) + String(repeating: "*", count: s.count - 8) + s.suffix(4)
    }

    /// Birth date from digits 7–14 (YYYYMMDD).
    public var birthDate: DateComponents { Self.birthComponents(digits)! }

    private static func birthComponents(_ s: String) -> DateComponents? {
        let u = Array(s.utf8)
        func num(_ r: Range<Int>) -> Int { r.reduce(0) { $0 * 10 + Int(u[$1] - 0x30) } }
        let y = num(6..<10), m = num(10..<12), d = num(12..<14)
        guard (1900...2100).contains(y), (1...12).contains(m), (1...31).contains(d) else { return nil }
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "UTC")!
        guard let date = cal.date(from: DateComponents(year: y, month: m, day: d)),
            cal.component(.day, from: date) == d
        else { return nil }
        return DateComponents(year: y, month: m, day: d)
    }

    /// Age in whole years on the hall-day `day` (for the green channel).
    public func age(on day: HallDay) -> Int {
        let p = day.rawValue.split(separator: "-").compactMap { Int($0) }
        let b = birthDate
        var age = p[0] - b.year!
        if (p[1], p[2]) < (b.month!, b.day!) { age -= 1 }
        return age
    }
}
