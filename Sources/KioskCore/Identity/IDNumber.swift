import Foundation

/// The number that identifies a person in the hall: a resident ID number (公民身份号码, GB 11643:
/// 17 digits and an ISO 7064 MOD 11-2 check character — also the form of Hong Kong/Macau/Taiwan
/// residence permits and of the 2023 foreign permanent residence card), or the 15-character
/// number of a 2017 foreign permanent residence card (外国人永久居留身份证: three letters for the
/// nationality, four digits for the issuing office, the birth date as YYMMDD, a sequence digit
/// and a check character).
///
/// Personal information under the PIPL: it is validated, masked for display and kept only as a
/// keyed hash; this type never prints the full number.
public struct IDNumber: Sendable, Equatable, CustomStringConvertible, CustomReflectable {
    /// The number as on the card (18 characters with an upper-case X, or 15 for a 2017 foreign
    /// card). Not `description`: that one is masked.
    public let digits: String

    public init(validating text: String) throws {
        let s = text.trimmingCharacters(in: .whitespaces).uppercased()
        let chars = Array(s.utf8)
        if chars.count == 15 {
            // The 2017 card's check character follows an algorithm that is not published: the
            // format and the birth date are checked, the last character is not.
            guard chars[0..<3].allSatisfy({ $0 >= 0x41 && $0 <= 0x5A }), chars[3..<15].allSatisfy({ $0 >= 0x30 && $0 <= 0x39 })
            else {
                throw KioskError(.invalidIdNumber, "a 15-character permanent residence number has 3 letters and 12 digits")
            }
            guard Self.birthComponents(s) != nil else {
                throw KioskError(.invalidIdNumber, "the permanent residence number's birth date is not a date")
            }
            digits = s
            return
        }
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

    /// Whether this is a 2017 foreign permanent residence card number (15 characters).
    public var isForeignPermanent2017: Bool { digits.utf8.count == 15 }

    /// ISO 7064 MOD 11-2 over the first 17 digits.
    public static func checkCharacter<S: StringProtocol>(for first17: S) -> Character {
        let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
        var sum = 0
        for (d, w) in zip(first17.utf8, weights) { sum += Int(d &- 0x30) % 10 * w }  // non-digits cannot trap
        return Array("10X98765432")[sum % 11]
    }

    /// `5001**********123X` (`CAN1*******0118`): the first and last four, as on hall screens and
    /// receipts.
    public var masked: String { Self.mask(digits) }
    public var description: String { masked }
    /// `dump` and debuggers see the masked form too.
    public var customMirror: Mirror { Mirror(self, children: ["masked": masked]) }

    public static func mask(_ s: String) -> String {
        guard s.count > 8 else { return String(repeating: "*", count: s.count) }
        return s.prefix(4) + String(repeating: "*", count: s.count - 8) + s.suffix(4)
    }

    /// Birth date: digits 7–14 (YYYYMMDD) of an 18-character number, characters 8–13 (YYMMDD)
    /// of a 15-character one.
    public var birthDate: DateComponents { Self.birthComponents(digits)! }

    private static func birthComponents(_ s: String) -> DateComponents? {
        let u = Array(s.utf8)
        func num(_ r: Range<Int>) -> Int { r.reduce(0) { $0 * 10 + Int(u[$1] - 0x30) } }
        let y: Int, m: Int, d: Int
        if u.count == 15 {
            // 2017 cards were issued until 2023: a two-digit year up to 23 is in this century.
            let yy = num(7..<9)
            (y, m, d) = (yy <= 23 ? 2000 + yy : 1900 + yy, num(9..<11), num(11..<13))
        } else {
            (y, m, d) = (num(6..<10), num(10..<12), num(12..<14))
        }
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
