import KioskCore

/// Reads the 256-byte UCS-2LE text block (机读文字信息) of the three cards that share the chip
/// format, chosen by the type marker at byte 248.
///
/// Layouts (byte offsets, two bytes per character, fields padded with spaces), verified against
/// a public reader SDK header (`t_idcardinfor`, `t_idforeigner`, `t_idforeigner2023`) and the
/// offsets used by a vendor C# sample (通行证号码 at 220/18, 签发次数 at 238/4):
///
/// - 居民身份证 (marker space): name 0/30, sex 30/2, nation 32/4, birth 36/16, address 52/70,
///   number 122/36, authority 158/30, valid from 188/16, valid to 204/16, reserved 220/36.
/// - 港澳台居民居住证 (`J`): as above with nation reserved, then pass number 220/18, issue
///   count 238/4, reserved 242/6, marker 248/2, reserved 250/6.
/// - 外国人永久居留身份证, 2017 (`I`): English name 0/120, sex 120/2, number 122/30 (15
///   characters), nationality 152/6, Chinese name 158/30, valid from 188/16, valid to 204/16,
///   birth 220/16, version 236/4, authority code 240/8, marker 248/2, reserved 250/6.
/// - 外国人永久居留身份证, 2023 (`Y`, 18-digit number): Chinese name 0/30, sex 30/2,
///   renewal count 32/4, birth 36/16, English name 52/70 + 220/22, number 122/36,
///   reserved 158/30, valid from 188/16, valid to 204/16, nationality 242/6, marker 248/2.
///   Read as `.foreignPermanent`.
public enum IDCardTextParser {
    public static let length = 256

    public static func parse(_ bytes: [UInt8]) throws(IDCardTextError) -> IDCardText {
        guard bytes.count == length else { throw .wrongLength(bytes.count) }
        let f = Fields(bytes: bytes)
        switch f.text(248, 2) {
        case "J": return try hkMacauTaiwan(f)
        case "I": return try foreign2017(f)
        case "Y": return try foreign2023(f)
        default: return try resident(f)
        }
    }

    // MARK: Layouts

    private static func resident(_ f: Fields) throws(IDCardTextError) -> IDCardText {
        let code = f.text(32, 4)
        guard let n = Int(code), let nation = EthnicGroup.name(code: n) else {
            throw .badField(field: "nation", reason: "\"\(code)\" is not a 民族 code")
        }
        let number = f.text(122, 36)
        return IDCardText(
            cardType: .resident, name: try nonEmpty(f.text(0, 30), "name"), chineseName: nil,
            sex: try sex(f.text(30, 2)), nation: nation, nationCode: code,
            birthDate: try date(f.text(36, 16), "birthDate"), address: f.text(52, 70),
            cardNumber: number, idNumber: try idNumber(number), authority: f.text(158, 30),
            validFrom: try date(f.text(188, 16), "validFrom"), validTo: try endDate(f.text(204, 16)))
    }

    private static func hkMacauTaiwan(_ f: Fields) throws(IDCardTextError) -> IDCardText {
        let number = f.text(122, 36)
        let count = f.text(238, 4)
        return IDCardText(
            cardType: .hkMacauTaiwan, name: try nonEmpty(f.text(0, 30), "name"), chineseName: nil,
            sex: try sex(f.text(30, 2)), nation: "", nationCode: "",
            birthDate: try date(f.text(36, 16), "birthDate"), address: f.text(52, 70),
            cardNumber: number, idNumber: try idNumber(number), authority: f.text(158, 30),
            validFrom: try date(f.text(188, 16), "validFrom"), validTo: try endDate(f.text(204, 16)),
            passNumber: f.text(220, 18), issueCount: count.isEmpty ? nil : Int(count))
    }

    private static func foreign2017(_ f: Fields) throws(IDCardTextError) -> IDCardText {
        let number = f.text(122, 30)
        let nationality = f.text(152, 6)
        // 3 capital letters (the nationality) and 12 digits; no public check-digit rule is known
        // for this number, so the structure and the nationality prefix are what is verified.
        let u = Array(number.utf8)
        guard u.count == 15, u[0..<3].allSatisfy({ (0x41...0x5A).contains($0) }),
            u[3...].allSatisfy({ (0x30...0x39).contains($0) })
        else { throw .badField(field: "cardNumber", reason: "not 3 letters and 12 digits") }
        guard number.hasPrefix(nationality) else {
            throw .badField(field: "cardNumber", reason: "does not start with the nationality code")
        }
        let chinese = f.text(158, 30)
        let birth = try date(f.text(220, 16), "birthDate")
        let id = try idNumber(number)
        // The number repeats the birth date (YYMMDD): a mismatch means a misread block.
        guard id.birthDate.month == birth.month, id.birthDate.day == birth.day, id.birthDate.year! % 100 == birth.year % 100
        else { throw .badField(field: "cardNumber", reason: "its birth date differs from the card's") }
        return IDCardText(
            cardType: .foreignPermanent, name: try nonEmpty(f.text(0, 120), "englishName"),
            chineseName: chinese, sex: try sex(f.text(120, 2)), nation: nationality,
            nationCode: nationality, birthDate: birth, address: "",
            cardNumber: number, idNumber: id, authority: f.text(240, 8),
            validFrom: try date(f.text(188, 16), "validFrom"), validTo: try endDate(f.text(204, 16)),
            cardVersion: f.text(236, 4))
    }

    private static func foreign2023(_ f: Fields) throws(IDCardTextError) -> IDCardText {
        let number = f.text(122, 36)
        let english = (f.text(52, 70, trim: false) + f.text(220, 22, trim: false)).trimmingPadding()
        let nationality = f.text(242, 6)
        let count = f.text(32, 4)
        return IDCardText(
            cardType: .foreignPermanent, name: try nonEmpty(english, "englishName"),
            chineseName: f.text(0, 30), sex: try sex(f.text(30, 2)), nation: nationality,
            nationCode: nationality, birthDate: try date(f.text(36, 16), "birthDate"), address: "",
            cardNumber: number, idNumber: try idNumber(number), authority: "",
            validFrom: try date(f.text(188, 16), "validFrom"), validTo: try endDate(f.text(204, 16)),
            issueCount: count.isEmpty ? nil : Int(count))
    }

    // MARK: Fields

    private static func nonEmpty(_ s: String, _ field: String) throws(IDCardTextError) -> String {
        guard !s.isEmpty else { throw .badField(field: field, reason: "empty") }
        return s
    }

    /// GB/T 2261.1: 1 男, 2 女 (0 unknown and 9 unspecified do not occur on issued cards).
    private static func sex(_ s: String) throws(IDCardTextError) -> IDCard.Sex {
        switch s {
        case "1": return .male
        case "2": return .female
        default: throw .badField(field: "sex", reason: "\"\(s)\" is not 1 or 2")
        }
    }

    private static func date(_ s: String, _ field: String) throws(IDCardTextError) -> CardDate {
        guard let d = CardDate(yyyymmdd: s) else {
            throw .badField(field: field, reason: "not a YYYYMMDD date")
        }
        return d
    }

    /// The end of validity: a date, or 长期 (valid for life) as nil.
    private static func endDate(_ s: String) throws(IDCardTextError) -> CardDate? {
        if s == "长期" { return nil }
        return try date(s, "validTo")
    }

    /// Validated with ISO 7064 MOD 11-2; the reason never includes the number.
    private static func idNumber(_ s: String) throws(IDCardTextError) -> IDNumber {
        do {
            return try IDNumber(validating: s)
        } catch {
            throw .badField(field: "idNumber", reason: (error as? KioskError)?.message ?? "invalid")
        }
    }

    /// The block as UCS-2LE characters, sliced by byte offsets.
    private struct Fields {
        let bytes: [UInt8]

        /// The field at `offset` of `count` bytes, without padding spaces and NULs.
        func text(_ offset: Int, _ count: Int, trim: Bool = true) -> String {
            var units: [UInt16] = []
            units.reserveCapacity(count / 2)
            var i = offset
            while i + 1 < offset + count {
                units.append(UInt16(bytes[i]) | UInt16(bytes[i + 1]) << 8)
                i += 2
            }
            let s = String(decoding: units, as: UTF16.self)
            return trim ? s.trimmingPadding() : s
        }
    }
}

extension String {
    /// Without the spaces, NULs and ideographic spaces that pad chip fields.
    fileprivate func trimmingPadding() -> String {
        let drop: Set<Character> = [" ", "\u{0}", "\u{3000}"]
        var chars = Substring(self)
        while let c = chars.first, drop.contains(c) { chars = chars.dropFirst() }
        while let c = chars.last, drop.contains(c) { chars = chars.dropLast() }
        return String(chars)
    }
}
