import Testing

@testable import KioskDevices

/// GB 2312 bytes from the GB 2312-80 code tables.
@Suite struct RS485GB2312Tests {
    @Test func hanziOfTheWindowTexts() {
        #expect(GB2312.encode("请") == [0xC7, 0xEB])
        #expect(GB2312.encode("号") == [0xBA, 0xC5])
        #expect(GB2312.encode("窗口") == [0xB4, 0xB0, 0xBF, 0xDA])
        #expect(GB2312.encode("暂停服务") == [0xD4, 0xDD, 0xCD, 0xA3, 0xB7, 0xFE, 0xCE, 0xF1])
    }

    @Test func digitsAndLettersAreASCII() {
        #expect(GB2312.encode("0123456789") == [0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39])
        #expect(GB2312.encode("AZaz") == [0x41, 0x5A, 0x61, 0x7A])
        #expect(GB2312.encode("请A012号") == [0xC7, 0xEB, 0x41, 0x30, 0x31, 0x32, 0xBA, 0xC5])
        #expect(GB2312.encode("") == [])
    }

    @Test func charactersOutsideGB2312AreRefused() {
        #expect(GB2312.encode("😀") == nil)
        #expect(GB2312.encode("𠀀") == nil)  // CJK Extension B: four bytes in GB 18030
        #expect(GB2312.encode("丂") == nil)  // GBK only (81 40)
        #expect(GB2312.encode("€") == nil)  // GB 18030 only (A2 E3, empty in GB 2312)
        #expect(GB2312.encode("ⅰ") == nil)  // GBK filled A2 A1, empty in GB 2312
        #expect(GB2312.encode("请😀") == nil)  // one bad character spoils the text
    }

    @Test func decodingChecksValidity() {
        #expect(GB2312.decode([0xC7, 0xEB, 0x41, 0xBA, 0xC5]) == "请A号")
        #expect(GB2312.decode([0xC7]) == nil)  // cut-off character
        #expect(GB2312.decode([0xAA, 0xA1]) == nil)  // row 10 is unassigned
        #expect(GB2312.decode([0x81, 0x40]) == nil)  // GBK, not GB 2312
    }

    @Test func assignedCellsMatchTheStandard() {
        #expect(GB2312.isAssigned(0xA1, 0xA1))
        #expect(GB2312.isAssigned(0xA2, 0xB1))
        #expect(!GB2312.isAssigned(0xA2, 0xA1))
        #expect(GB2312.isAssigned(0xD7, 0xF9))  // 座, last level-1 hanzi
        #expect(!GB2312.isAssigned(0xD7, 0xFA))
        #expect(GB2312.isAssigned(0xF7, 0xFE))  // 齄, last level-2 hanzi
        #expect(!GB2312.isAssigned(0xF8, 0xA1))
        var count = 0
        for first in UInt8(0xA1)...0xFE {
            for second in UInt8(0xA1)...0xFE where GB2312.isAssigned(first, second) { count += 1 }
        }
        #expect(count == 7445)  // 6,763 hanzi + 682 other characters
    }
}
