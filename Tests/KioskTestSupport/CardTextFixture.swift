/// 256-byte text blocks built byte by byte from the published field layouts (two bytes per
/// character, little-endian UCS-2, padded with spaces `20 00`) — not with the parser's own code.
public enum CardTextFixture {
    /// `text` as UCS-2LE in a field of `bytes` bytes, space-padded.
    public static func field(_ text: String, _ bytes: Int) -> [UInt8] {
        var out: [UInt8] = []
        for unit in text.utf16 {
            out.append(UInt8(unit & 0xFF))
            out.append(UInt8(unit >> 8))
        }
        precondition(out.count <= bytes, "\(text) does not fit in \(bytes) bytes")
        while out.count < bytes { out += [0x20, 0x00] }
        return out
    }

    /// 居民身份证: name 30, sex 2, nation 4, birth 16, address 70, number 36, authority 30,
    /// valid from 16, valid to 16, reserved 36 (byte 248 is a space).
    public static func resident(
        name: String = "张三", sex: String = "1", nation: String = "01", birth: String = "19800101",
        address: String = "重庆市九龙坡区杨家坪正街1号", number: String = "500107198001011233",
        authority: String = "重庆市公安局九龙坡区分局", from: String = "20200101", to: String = "20400101"
    ) -> [UInt8] {
        var b: [UInt8] = []
        b += field(name, 30)
        b += field(sex, 2)
        b += field(nation, 4)
        b += field(birth, 16)
        b += field(address, 70)
        b += field(number, 36)
        b += field(authority, 30)
        b += field(from, 16)
        b += field(to, 16)
        precondition(b.count == 220)
        b += field("", 36)
        precondition(b.count == 256)
        return b
    }

    /// 港澳台居民居住证: as the resident card with nation reserved, then pass number 18, issue
    /// count 4, reserved 6, `J` at 248, reserved 6.
    public static func hkMacauTaiwan(
        name: String = "陈大文", number: String = "810000199002150013", pass: String = "H12345678",
        issues: String = "01", to: String = "20290301"
    ) -> [UInt8] {
        var b: [UInt8] = []
        b += field(name, 30)
        b += field("1", 2)
        b += field("", 4)
        b += field("19900215", 16)
        b += field("广东省深圳市福田区福华一路1号", 70)
        b += field(number, 36)
        b += field("深圳市公安局", 30)
        b += field("20240301", 16)
        b += field(to, 16)
        b += field(pass, 18)
        b += field(issues, 4)
        b += field("", 6)
        precondition(b.count == 248)
        b += field("J", 2)
        b += field("", 6)
        precondition(b.count == 256)
        return b
    }

    /// 外国人永久居留身份证 (2017): English name 120, sex 2, number 30, nationality 6, Chinese
    /// name 30, valid from 16, valid to 16, birth 16, version 4, authority code 8, `I` at 248,
    /// reserved 6.
    public static func foreign2017(number: String = "CAN110075120118", nationality: String = "CAN") -> [UInt8] {
        var b: [UInt8] = []
        b += field("SMITH, JOHN", 120)
        b += field("1", 2)
        b += field(number, 30)
        b += field(nationality, 6)
        b += field("史密斯", 30)
        b += field("20170601", 16)
        b += field("20270601", 16)
        b += field("19751201", 16)
        b += field("10", 4)
        b += field("1100", 8)
        precondition(b.count == 248)
        b += field("I", 2)
        b += field("", 6)
        precondition(b.count == 256)
        return b
    }

    /// 外国人永久居留身份证 (2023): Chinese name 30, sex 2, renewal count 4, birth 16, English
    /// name 70, number 36, reserved 30, valid from 16, valid to 16, English name (cont.) 22,
    /// nationality 6, `Y` at 248, previous-number link 6.
    public static func foreign2023() -> [UInt8] {
        var b: [UInt8] = []
        b += field("史密斯", 30)
        b += field("2", 2)
        b += field("01", 4)
        b += field("19800308", 16)
        // 35 characters here, the rest of the name continues at byte 220.
        b += field("SMITH-WORTHINGTON, JANE ELIZABETH M", 70)
        b += field("911124198003080025", 36)
        b += field("", 30)
        b += field("20230601", 16)
        b += field("20330601", 16)
        b += field("ARGARET", 22)
        b += field("GBR", 6)
        precondition(b.count == 248)
        b += field("Y", 2)
        b += field("", 6)
        precondition(b.count == 256)
        return b
    }
}
