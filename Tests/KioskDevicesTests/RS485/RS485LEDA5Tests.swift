import Testing

@testable import KioskDevices

/// The `led-a5` window display (窗口屏) frames, written out byte by byte from the layout:
/// `A5 | addr(2, BE) | 15 | mode | colour | brightness | len(2, LE) | text | CRC(2, LE) | 5A`,
/// CRC over the plain addr…text, escaping (A5→A6 02, A6→A6 01, 5A→5B 02, 5B→5B 01) applied to
/// addr…CRC afterwards.
@Suite struct RS485LEDA5Tests {
    @Test func commandForWindow3BlinkingRed() throws {
        // Plain addr…text; its CRC by the reference is 0x41F8, sent F8 41.
        let body: [UInt8] = [
            0x00, 0x03, 0x15, 0x01, 0x01, 0x08, 0x08, 0x00,
            0xC7, 0xEB, 0x41, 0x30, 0x31, 0x32, 0xBA, 0xC5,  // 请A012号
        ]
        #expect(RS485Reference.crc16Modbus(body) == 0x41F8)
        let expected: [UInt8] = [
            0xA5, 0x00, 0x03, 0x15, 0x01, 0x01, 0x08, 0x08, 0x00,
            0xC7, 0xEB, 0x41, 0x30, 0x31, 0x32, 0xBA, 0xC5, 0xF8, 0x41, 0x5A,
        ]
        let command = try #require(
            LEDA5.Command(address: 3, mode: .blinking, colour: .red, brightness: 8, text: "请A012号"))
        #expect(command.text == [0xC7, 0xEB, 0x41, 0x30, 0x31, 0x32, 0xBA, 0xC5])
        #expect(LEDA5.encode(command) == expected)
        let raw = LEDA5.Command(address: 3, mode: 0x01, colour: 0x01, brightness: 8, text: command.text)
        #expect(LEDA5.encode(raw) == expected)
        #expect(try LEDA5.decodeCommand(expected) == raw)
    }

    @Test func commandWithTextOutsideGB2312IsRefused() {
        #expect(LEDA5.Command(address: 3, mode: .steady, colour: .green, brightness: 8, text: "请😀") == nil)
    }

    @Test func modeAndColourCodes() {
        #expect(LEDA5.Mode.steady.rawValue == 0x00)
        #expect(LEDA5.Mode.blinking.rawValue == 0x01)
        #expect(LEDA5.Colour.red.rawValue == 0x01)
        #expect(LEDA5.Colour.green.rawValue == 0x02)
        #expect(LEDA5.Colour.yellow.rawValue == 0x03)
    }

    /// A command whose address, length, text or CRC contains the four special bytes.
    struct EscapeCase: Sendable, CustomTestStringConvertible {
        var name: String
        var command: LEDA5.Command
        /// CRC of the plain addr…text, checked against the reference before use.
        var crc: UInt16
        var frame: [UInt8]
        var testDescription: String { name }
    }

    static let escapeCases: [EscapeCase] = [
        EscapeCase(
            name: "address 00A5, brightness 5A, text A5 A6 5A 5B, CRC A5A5",
            command: .init(address: 0x00A5, mode: 0x00, colour: 0x02, brightness: 0x5A, text: [0xA5, 0xA6, 0x5A, 0x5B]),
            crc: 0xA5A5,
            frame: [
                0xA5,
                0x00, 0xA6, 0x02,  // addr 00 A5
                0x15, 0x00, 0x02,
                0x5B, 0x02,  // brightness 5A
                0x04, 0x00,
                0xA6, 0x02, 0xA6, 0x01, 0x5B, 0x02, 0x5B, 0x01,  // text A5 A6 5A 5B
                0xA6, 0x02, 0xA6, 0x02,  // CRC A5 A5
                0x5A,
            ]),
        EscapeCase(
            name: "address A65A, length 00A5, CRC A639",
            command: .init(address: 0xA65A, mode: 0x00, colour: 0x03, brightness: 0x88, text: Array(repeating: 0x31, count: 0xA5)),
            crc: 0xA639,
            frame: [0xA5, 0xA6, 0x01, 0x5B, 0x02, 0x15, 0x00, 0x03, 0x88, 0xA6, 0x02, 0x00]
                + Array(repeating: 0x31, count: 0xA5)
                + [0x39, 0xA6, 0x01, 0x5A]),
        EscapeCase(
            name: "address 5B00, length 005A, text 5A 5B…, CRC ED5A",
            command: .init(address: 0x5B00, mode: 0x00, colour: 0x02, brightness: 0x87, text: [0x5A, 0x5B] + Array(repeating: 0x32, count: 88)),
            crc: 0xED5A,
            frame: [0xA5, 0x5B, 0x01, 0x00, 0x15, 0x00, 0x02, 0x87, 0x5B, 0x02, 0x00, 0x5B, 0x02, 0x5B, 0x01]
                + Array(repeating: 0x32, count: 88)
                + [0x5B, 0x02, 0xED, 0x5A]),
        EscapeCase(
            name: "length 00A6, CRC 5BB1",
            command: .init(address: 0x0001, mode: 0x00, colour: 0x01, brightness: 0x95, text: Array(repeating: 0x33, count: 0xA6)),
            crc: 0x5BB1,
            frame: [0xA5, 0x00, 0x01, 0x15, 0x00, 0x01, 0x95, 0xA6, 0x01, 0x00]
                + Array(repeating: 0x33, count: 0xA6)
                + [0xB1, 0x5B, 0x01, 0x5A]),
        EscapeCase(
            name: "length 005B, CRC C1A6",
            command: .init(address: 0x0001, mode: 0x00, colour: 0x01, brightness: 0x86, text: Array(repeating: 0x33, count: 0x5B)),
            crc: 0xC1A6,
            frame: [0xA5, 0x00, 0x01, 0x15, 0x00, 0x01, 0x86, 0x5B, 0x01, 0x00]
                + Array(repeating: 0x33, count: 0x5B)
                + [0xA6, 0x01, 0xC1, 0x5A]),
    ]

    @Test(arguments: escapeCases)
    func specialBytesAreEscapedEverywhere(_ c: EscapeCase) throws {
        let n = c.command.text.count
        let plain: [UInt8] =
            [UInt8(c.command.address >> 8), UInt8(c.command.address & 0xFF), 0x15,
             c.command.mode, c.command.colour, c.command.brightness, UInt8(n & 0xFF), UInt8(n >> 8)]
            + c.command.text
        #expect(RS485Reference.crc16Modbus(plain) == c.crc)
        #expect(LEDA5.encode(c.command) == c.frame)
        #expect(!c.frame.dropFirst().dropLast().contains(0xA5))
        #expect(!c.frame.dropFirst().dropLast().contains(0x5A))
        #expect(try LEDA5.decodeCommand(c.frame) == c.command)
    }

    @Test func escapeHelpers() {
        #expect(LEDA5.escape([0xA5, 0xA6, 0x5A, 0x5B, 0x68, 0x00, 0xFF]) == [0xA6, 0x02, 0xA6, 0x01, 0x5B, 0x02, 0x5B, 0x01, 0x68, 0x00, 0xFF])
        #expect(LEDA5.unescape([0xA6, 0x02, 0xA6, 0x01, 0x5B, 0x02, 0x5B, 0x01, 0x68]) == [0xA5, 0xA6, 0x5A, 0x5B, 0x68])
        #expect(LEDA5.unescape([0xA6, 0x03]) == nil)
        #expect(LEDA5.unescape([0x5B, 0x00]) == nil)
        #expect(LEDA5.unescape([0x00, 0xA6]) == nil)  // escape byte with nothing after it
        #expect(LEDA5.unescape([0xA5]) == nil)  // bare delimiter
        #expect(LEDA5.unescape([0x5A]) == nil)
    }

    @Test func replyFrames() throws {
        // addr 0003, status 00: CRC 0x749F; status 02: CRC 0xB51E.
        #expect(RS485Reference.crc16Modbus([0x00, 0x03, 0x95, 0x00]) == 0x749F)
        #expect(RS485Reference.crc16Modbus([0x00, 0x03, 0x95, 0x02]) == 0xB51E)
        let ok: [UInt8] = [0xA5, 0x00, 0x03, 0x95, 0x00, 0x9F, 0x74, 0x5A]
        let fault: [UInt8] = [0xA5, 0x00, 0x03, 0x95, 0x02, 0x1E, 0xB5, 0x5A]

        let okReply = try LEDA5.decodeReply(ok)
        #expect(okReply == LEDA5.Reply(address: 3, status: 0))
        #expect(okReply.isOK)
        let faultReply = try LEDA5.decodeReply(fault)
        #expect(faultReply == LEDA5.Reply(address: 3, status: 2))
        #expect(!faultReply.isOK)

        #expect(LEDA5.encodeReply(LEDA5.Reply(address: 3, status: 0)) == ok)
        #expect(LEDA5.encodeReply(LEDA5.Reply(address: 3, status: 2)) == fault)
    }

    @Test func replyWithEscapedAddress() throws {
        // addr A5 5A → A6 02 5B 02; CRC 0xAB6D.
        #expect(RS485Reference.crc16Modbus([0xA5, 0x5A, 0x95, 0x00]) == 0xAB6D)
        let frame: [UInt8] = [0xA5, 0xA6, 0x02, 0x5B, 0x02, 0x95, 0x00, 0x6D, 0xAB, 0x5A]
        #expect(LEDA5.encodeReply(LEDA5.Reply(address: 0xA55A, status: 0)) == frame)
        #expect(try LEDA5.decodeReply(frame) == LEDA5.Reply(address: 0xA55A, status: 0))
    }

    @Test func badRepliesSayWhy() {
        #expect(throws: LEDA5.FrameError.badCRC(expected: 0x749F, received: 0x759F)) {
            try LEDA5.decodeReply([0xA5, 0x00, 0x03, 0x95, 0x00, 0x9F, 0x75, 0x5A])
        }
        #expect(throws: LEDA5.FrameError.badLength(expected: 6, actual: 7)) {
            try LEDA5.decodeReply([0xA5, 0x00, 0x03, 0x95, 0x00, 0x00, 0x9F, 0x74, 0x5A])
        }
        #expect(throws: LEDA5.FrameError.badEscape(offset: 3, bytes: [0xA6, 0x03])) {
            try LEDA5.decodeReply([0xA5, 0x00, 0x03, 0x95, 0xA6, 0x03, 0x9F, 0x74, 0x5A])
        }
        #expect(throws: LEDA5.FrameError.notDelimited) {
            try LEDA5.decodeReply([0x00, 0x03, 0x95, 0x00, 0x9F, 0x74, 0x5A])
        }
        // Six bytes with a good CRC but the command code 15: not a reply.
        #expect(RS485Reference.crc16Modbus([0x00, 0x03, 0x15, 0x00]) == 0xB4FE)
        #expect(throws: LEDA5.FrameError.unexpectedFunction(0x15)) {
            try LEDA5.decodeReply([0xA5, 0x00, 0x03, 0x15, 0x00, 0xFE, 0xB4, 0x5A])
        }
    }

    @Test func overlongTextIsCutAtTheLengthFieldsLimit() throws {
        let command = LEDA5.Command(
            address: 1, mode: .steady, colour: .red, brightness: 1, text: Array(repeating: 0x20, count: 0x1_0001))
        let frame = LEDA5.encode(command)
        // Length field FF FF, then 65,535 text bytes.
        #expect(Array(frame[7...8]) == [0xFF, 0xFF])
        #expect(try LEDA5.decodeCommand(frame).text.count == 0xFFFF)
    }
}
