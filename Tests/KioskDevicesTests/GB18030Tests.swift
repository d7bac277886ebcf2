import Testing

@testable import KioskDevices

/// Reference bytes from the GB 18030-2022 code tables.
@Suite struct GB18030Tests {
    @Test func twoByteCharactersOfTheGBKRange() {
        #expect(GB18030.encode("请") == [0xC7, 0xEB])
        #expect(GB18030.encode("窗口") == [0xB4, 0xB0, 0xBF, 0xDA])
        #expect(GB18030.encode("·") == [0xA1, 0xA4])
    }

    @Test func fourByteCharactersBeyondGBK() {
        // U+20000 (CJK Extension B) is 95 32 82 36; U+3400 is 81 39 EE 39.
        #expect(GB18030.encode("𠀀") == [0x95, 0x32, 0x82, 0x36])
        #expect(GB18030.encode("㐀") == [0x81, 0x39, 0xEE, 0x39])
    }

    @Test func asciiPassesThrough() {
        #expect(GB18030.encode("A001 ok") == Array("A001 ok".utf8))
    }

    @Test func decodingInvertsEncoding() {
        let text = "九龙坡区行政服务中心 A001 𠀀"
        #expect(GB18030.decode(GB18030.encode(text)) == text)
    }

    @Test func malformedBytesDecodeToReplacementCharacters() {
        // A lead byte cut off at the end of the stream, between good text.
        #expect(GB18030.decode([0x41, 0xC7, 0xEB, 0xC7]) == "A请\u{FFFD}")
        #expect(GB18030.decode([0xFF, 0x41]) == "\u{FFFD}A")
    }
}
