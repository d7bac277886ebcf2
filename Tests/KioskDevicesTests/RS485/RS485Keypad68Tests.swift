import Testing

@testable import KioskDevices

/// The `keypad-68` frames of caller keypads (呼叫器) and evaluators (评价器), written out byte
/// by byte: `68 | L | L | 68 | addr | func | data… | CS | 16`, L = 2 + data.count, CS = sum of
/// addr…data modulo 256.
@Suite struct RS485Keypad68Tests {
    struct KeyCase: Sendable, CustomTestStringConvertible {
        var key: Keypad68.Key
        var frame: [UInt8]
        var testDescription: String { "\(key)" }
    }

    /// Keypad 07 pressing every key.
    static let keyCases: [KeyCase] = [
        KeyCase(key: .callNext, frame: [0x68, 0x02, 0x02, 0x68, 0x07, 0x0C, 0x13, 0x16]),
        KeyCase(key: .recall, frame: [0x68, 0x02, 0x02, 0x68, 0x07, 0x0D, 0x14, 0x16]),
        KeyCase(key: .start, frame: [0x68, 0x02, 0x02, 0x68, 0x07, 0x0E, 0x15, 0x16]),
        KeyCase(key: .finish, frame: [0x68, 0x02, 0x02, 0x68, 0x07, 0x0F, 0x16, 0x16]),
        KeyCase(key: .noShow, frame: [0x68, 0x02, 0x02, 0x68, 0x07, 0x10, 0x17, 0x16]),
        KeyCase(key: .pause, frame: [0x68, 0x02, 0x02, 0x68, 0x07, 0x12, 0x19, 0x16]),
        KeyCase(key: .resume, frame: [0x68, 0x02, 0x02, 0x68, 0x07, 0x13, 0x1A, 0x16]),
        KeyCase(key: .evaluation(score: 1), frame: [0x68, 0x03, 0x03, 0x68, 0x07, 0x11, 0x01, 0x19, 0x16]),
        KeyCase(key: .evaluation(score: 2), frame: [0x68, 0x03, 0x03, 0x68, 0x07, 0x11, 0x02, 0x1A, 0x16]),
        KeyCase(key: .evaluation(score: 3), frame: [0x68, 0x03, 0x03, 0x68, 0x07, 0x11, 0x03, 0x1B, 0x16]),
        KeyCase(key: .evaluation(score: 4), frame: [0x68, 0x03, 0x03, 0x68, 0x07, 0x11, 0x04, 0x1C, 0x16]),
        KeyCase(key: .evaluation(score: 5), frame: [0x68, 0x03, 0x03, 0x68, 0x07, 0x11, 0x05, 0x1D, 0x16]),
    ]

    @Test(arguments: keyCases)
    func everyKeyFrame(_ c: KeyCase) throws {
        // The hand-written CS agrees with the reference sum.
        #expect(RS485Reference.sum(Array(c.frame[4..<(c.frame.count - 2)])) == c.frame[c.frame.count - 2])
        #expect(Keypad68.encode(c.key.frame(address: 7)) == c.frame)
        let frame = try Keypad68.decode(c.frame)
        #expect(frame.address == 7)
        #expect(Keypad68.Key(frame) == c.key)
        // With a wake-up preamble the frame is the same.
        #expect(try Keypad68.decode([0xFF, 0xFF] + c.frame) == frame)
    }

    @Test func functionCodes() {
        #expect(Keypad68.Key.callNext.function.rawValue == 0x0C)
        #expect(Keypad68.Key.recall.function.rawValue == 0x0D)
        #expect(Keypad68.Key.start.function.rawValue == 0x0E)
        #expect(Keypad68.Key.finish.function.rawValue == 0x0F)
        #expect(Keypad68.Key.noShow.function.rawValue == 0x10)
        #expect(Keypad68.Key.evaluation(score: 3).function.rawValue == 0x11)
        #expect(Keypad68.Key.pause.function.rawValue == 0x12)
        #expect(Keypad68.Key.resume.function.rawValue == 0x13)
    }

    @Test func framesThatAreNoKey() {
        #expect(Keypad68.Key(Keypad68.Frame(address: 7, function: 0x14)) == nil)  // unknown function
        #expect(Keypad68.Key(Keypad68.Frame(address: 7, function: 0x11)) == nil)  // evaluation, no score
        #expect(Keypad68.Key(Keypad68.Frame(address: 7, function: 0x11, data: [0])) == nil)
        #expect(Keypad68.Key(Keypad68.Frame(address: 7, function: 0x11, data: [6])) == nil)
        #expect(Keypad68.Key(Keypad68.Frame(address: 7, function: 0x20, data: [0x31])) == nil)  // host → keypad
    }

    @Test func acknowledgementIsTheFrameItself() {
        let bytes: [UInt8] = [0x68, 0x03, 0x03, 0x68, 0x07, 0x11, 0x05, 0x1D, 0x16]
        let frame = Keypad68.Frame(address: 7, function: 0x11, data: [5])
        #expect(Keypad68.acknowledgement(of: frame) == bytes)
    }

    @Test func displayTextToTheKeypad() {
        // 窗口1 = B4 B0 BF DA 31; L = 7; CS = 07+20+B4+B0+BF+DA+31 = 0x355 → 55.
        let text: [UInt8] = [0xB4, 0xB0, 0xBF, 0xDA, 0x31]
        #expect(GB2312.encode("窗口1") == text)
        #expect(RS485Reference.sum([0x07, 0x20] + text) == 0x55)
        let expected: [UInt8] = [0x68, 0x07, 0x07, 0x68, 0x07, 0x20, 0xB4, 0xB0, 0xBF, 0xDA, 0x31, 0x55, 0x16]
        #expect(Keypad68.encode(.display(address: 7, text: text)) == expected)
    }

    @Test func decodeSaysWhy() {
        #expect(throws: Keypad68.FrameError.badChecksum(expected: 0x13, received: 0x14)) {
            try Keypad68.decode([0x68, 0x02, 0x02, 0x68, 0x07, 0x0C, 0x14, 0x16])
        }
        #expect(throws: Keypad68.FrameError.badTerminator(0x17)) {
            try Keypad68.decode([0x68, 0x02, 0x02, 0x68, 0x07, 0x0C, 0x13, 0x17])
        }
        #expect(throws: Keypad68.FrameError.badLength) {
            try Keypad68.decode([0x68, 0x03, 0x02, 0x68, 0x07, 0x0C, 0x13, 0x16])
        }
        #expect(throws: Keypad68.FrameError.badLength) {
            try Keypad68.decode([0x68, 0x02, 0x02, 0x68, 0x07, 0x0C, 0x13, 0x16, 0x00])
        }
    }

    @Test func overlongDataIsCutToWhatLCanCount() throws {
        let frame = Keypad68.encode(.display(address: 1, text: Array(repeating: 0x41, count: 300)))
        #expect(frame[1] == 0xFF && frame[2] == 0xFF)
        #expect(frame.count == 255 + 6)
        #expect(try Keypad68.decode(frame).data.count == 253)
    }
}
