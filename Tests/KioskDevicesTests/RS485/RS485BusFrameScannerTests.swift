import Testing

@testable import KioskDevices

/// The bus reader's demultiplexer on a line shared by window displays (窗口屏) and caller
/// keypads (呼叫器) / evaluators (评价器). Every frame below is written out by hand; the CRCs
/// and checksums in them are checked against the bit-by-bit references in `RS485Reference`.
@Suite struct RS485BusFrameScannerTests {
    // MARK: Hand-built frames

    /// Display 0003 answers ok (CRC 0x749F).
    static let replyOK3: [UInt8] = [0xA5, 0x00, 0x03, 0x95, 0x00, 0x9F, 0x74, 0x5A]
    /// Display 0003 answers status 02 (CRC 0xB51E).
    static let replyFault3: [UInt8] = [0xA5, 0x00, 0x03, 0x95, 0x02, 0x1E, 0xB5, 0x5A]
    /// Display A55A answers ok: its address is escaped (CRC 0xAB6D).
    static let replyA55A: [UInt8] = [0xA5, 0xA6, 0x02, 0x5B, 0x02, 0x95, 0x00, 0x6D, 0xAB, 0x5A]
    /// Display 6868 answers ok: 68 is not escaped (CRC 0xC8F2).
    static let reply6868: [UInt8] = [0xA5, 0x68, 0x68, 0x95, 0x00, 0xF2, 0xC8, 0x5A]
    /// Keypad 07: call next.
    static let callNext7: [UInt8] = [0x68, 0x02, 0x02, 0x68, 0x07, 0x0C, 0x13, 0x16]
    /// Evaluator 07: score 5.
    static let evaluation7: [UInt8] = [0x68, 0x03, 0x03, 0x68, 0x07, 0x11, 0x05, 0x1D, 0x16]
    /// Device 68, function 5A, data A5 68 5A 16 FF: every special byte of both families.
    static let oddKeypad: [UInt8] = [0x68, 0x07, 0x07, 0x68, 0x68, 0x5A, 0xA5, 0x68, 0x5A, 0x16, 0xFF, 0x3E, 0x16]

    static func led(_ address: UInt16, _ status: UInt8) -> BusFrame {
        .ledReply(LEDA5.Reply(address: address, status: status))
    }

    static let okFrame3 = led(0x0003, 0x00)
    static let faultFrame3 = led(0x0003, 0x02)
    static let okFrameA55A = led(0xA55A, 0x00)
    static let okFrame6868 = led(0x6868, 0x00)
    static let callNextFrame = BusFrame.keypad(Keypad68.Frame(address: 0x07, function: 0x0C), raw: callNext7)
    static let evaluationFrame = BusFrame.keypad(
        Keypad68.Frame(address: 0x07, function: 0x11, data: [0x05]), raw: evaluation7)
    static let oddFrame = BusFrame.keypad(
        Keypad68.Frame(address: 0x68, function: 0x5A, data: [0xA5, 0x68, 0x5A, 0x16, 0xFF]), raw: oddKeypad)

    /// `frame` as found after `count` FF bytes of wake-up preamble: acknowledged with them.
    static func woken(_ frame: BusFrame, _ count: Int) -> BusFrame {
        guard case .keypad(let f, let raw) = frame else { return frame }
        return .keypad(f, raw: Array(repeating: 0xFF, count: count) + raw)
    }

    /// A mixed stream, piece by piece; each frame completes at the end of its piece.
    static let pieces: [(bytes: [UInt8], frame: BusFrame?)] = [
        ([0xFF, 0xFF, 0xFF], nil),  // preamble
        (callNext7, woken(callNextFrame, 3)),
        (replyA55A, okFrameA55A),  // escape pairs A6 02, 5B 02
        (evaluation7, evaluationFrame),
        ([0xFF], nil),
        (oddKeypad, woken(oddFrame, 1)),
        (reply6868, okFrame6868),
        ([0xFF, 0xFF], nil),
        (callNext7, woken(callNextFrame, 2)),
        (replyFault3, faultFrame3),
    ]
    static let stream = pieces.flatMap(\.bytes)
    static let streamFrames = pieces.compactMap(\.frame)

    /// The frames that are complete within the first `count` bytes of `stream`.
    static func framesComplete(within count: Int) -> [BusFrame] {
        var end = 0
        var frames: [BusFrame] = []
        for piece in pieces {
            end += piece.bytes.count
            if end <= count, let frame = piece.frame { frames.append(frame) }
        }
        return frames
    }

    @Test func fixturesCarryCorrectCRCsAndChecksums() {
        #expect(RS485Reference.crc16Modbus([0x00, 0x03, 0x95, 0x00]) == 0x749F)
        #expect(RS485Reference.crc16Modbus([0x00, 0x03, 0x95, 0x02]) == 0xB51E)
        #expect(RS485Reference.crc16Modbus([0xA5, 0x5A, 0x95, 0x00]) == 0xAB6D)
        #expect(RS485Reference.crc16Modbus([0x68, 0x68, 0x95, 0x00]) == 0xC8F2)
        for frame in [Self.callNext7, Self.evaluation7, Self.oddKeypad] {
            #expect(RS485Reference.sum(Array(frame[4..<(frame.count - 2)])) == frame[frame.count - 2])
            #expect(Int(frame[1]) == frame.count - 6)
        }
    }

    // MARK: Good streams

    @Test func twoFamiliesInterleaved() {
        var scanner = BusFrameScanner()
        let frames = scanner.feed(Self.stream)
        #expect(frames == Self.streamFrames)
        #expect(scanner.rejections.isEmpty)
        #expect(scanner.lastRejection == nil)
        #expect(scanner.pendingBytes == 0)
    }

    /// "Sent back unchanged": the frame as it came, its wake-up preamble included.
    @Test func acknowledgementIsTheKeypadFrameAsReceived() {
        var scanner = BusFrameScanner()
        let frames = scanner.feed([0xFF, 0xFF] + Self.evaluation7 + Self.replyOK3 + Self.callNext7)
        #expect(frames.map(\.acknowledgement) == [[0xFF, 0xFF] + Self.evaluation7, nil, Self.callNext7])
        guard case .keypad(let frame, let raw) = frames.first else {
            Issue.record("no keypad frame")
            return
        }
        #expect(raw == [0xFF, 0xFF] + Self.evaluation7)
        #expect(Keypad68.acknowledgement(of: frame) == Self.evaluation7)
        #expect(Keypad68.Key(frame) == .evaluation(score: 5))
    }

    @Test func splitAtEveryPosition() {
        let stream = Self.stream
        for split in 0...stream.count {
            var scanner = BusFrameScanner()
            let first = scanner.feed(stream[..<split])
            #expect(first == Self.framesComplete(within: split), "first part up to \(split)")
            let second = scanner.feed(stream[split...])
            #expect(first + second == Self.streamFrames, "split at \(split)")
            #expect(scanner.rejections.isEmpty, "split at \(split)")
            #expect(scanner.pendingBytes == 0)
        }
    }

    @Test func splitIntoThreeAtEveryPairOfPositions() {
        let stream = Self.stream
        for i in 0...stream.count {
            for j in i...stream.count {
                var scanner = BusFrameScanner()
                let frames = scanner.feed(stream[..<i]) + scanner.feed(stream[i..<j]) + scanner.feed(stream[j...])
                #expect(frames == Self.streamFrames, "split at \(i), \(j)")
                #expect(scanner.rejections.isEmpty, "split at \(i), \(j)")
            }
        }
    }

    @Test func oneByteAtATime() {
        var scanner = BusFrameScanner()
        var frames: [BusFrame] = []
        for (offset, byte) in Self.stream.enumerated() {
            frames += scanner.feed([byte])
            #expect(frames == Self.framesComplete(within: offset + 1), "after byte \(offset)")
        }
        #expect(frames == Self.streamFrames)
        #expect(scanner.rejections.isEmpty)
    }

    @Test func keypadDataMayHoldEverySpecialByte() {
        var scanner = BusFrameScanner()
        #expect(scanner.feed(Self.oddKeypad + Self.replyOK3) == [Self.oddFrame, Self.okFrame3])
        #expect(scanner.rejections.isEmpty)
    }

    @Test func displayAddress6868IsStillADisplayReply() {
        var scanner = BusFrameScanner()
        #expect(scanner.feed(Self.reply6868) == [Self.okFrame6868])
        #expect(scanner.rejections.isEmpty)
    }

    // MARK: Bad input

    @Test func garbageBeforeAndBetweenFrames() {
        var scanner = BusFrameScanner()
        let stream: [UInt8] = [0x00, 0x13, 0x37] + Self.replyOK3 + [0x42, 0xFF, 0x00] + Self.callNext7 + [0x7E, 0x16]
        #expect(scanner.feed(stream) == [Self.okFrame3, Self.callNextFrame])
        var expected = BusFrameScanner.Rejections()
        expected.garbageBytes = 8  // 00 13 37, 42 FF 00 (an FF that no 68 follows), 7E 16
        #expect(scanner.rejections == expected)
        #expect(scanner.droppedBytes == 8)
        #expect(scanner.pendingBytes == 0)
    }

    @Test func wrongCRCDropsTheReply() {
        var scanner = BusFrameScanner()
        let corrupted: [UInt8] = [0xA5, 0x00, 0x03, 0x95, 0x00, 0x9F, 0x75, 0x5A]
        #expect(scanner.feed(corrupted + Self.replyOK3) == [Self.okFrame3])
        var expected = BusFrameScanner.Rejections()
        expected.badCRC = 1
        #expect(scanner.rejections == expected)
        #expect(scanner.droppedBytes == 8)
        #expect(scanner.lastRejection?.reason == .badCRC)
        #expect(scanner.lastRejection?.description.contains("749F") == true)
    }

    @Test func invalidEscapeDropsTheReply() {
        var scanner = BusFrameScanner()
        let bad: [UInt8] = [0xA5, 0x00, 0x03, 0x95, 0xA6, 0x03, 0x9F, 0x74, 0x5A]
        #expect(scanner.feed(bad + Self.replyOK3) == [Self.okFrame3])
        #expect(scanner.rejections.badEscape == 1)
        #expect(scanner.rejections.garbageBytes == 0)
        #expect(scanner.lastRejection?.reason == .badEscape)
    }

    @Test func replyCutOffByTheNextA5() {
        var scanner = BusFrameScanner()
        #expect(scanner.feed([0xA5, 0x00, 0x03, 0x95] + Self.replyFault3) == [Self.faultFrame3])
        #expect(scanner.rejections.badLength == 1)
        #expect(scanner.droppedBytes == 4)
    }

    @Test func echoedCommandIsConsumedWholeEvenIfItsTextLooksLikeAKeypadFrame() {
        // Command to display 0003 whose text is the bytes of a keypad frame (CRC 0x1D98).
        let text: [UInt8] = [0x68, 0x02, 0x02, 0x68, 0x07, 0x0C, 0x13, 0x16]
        #expect(RS485Reference.crc16Modbus([0x00, 0x03, 0x15, 0x00, 0x01, 0x01, 0x08, 0x00] + text) == 0x1D98)
        let echo: [UInt8] = [0xA5, 0x00, 0x03, 0x15, 0x00, 0x01, 0x01, 0x08, 0x00] + text + [0x98, 0x1D, 0x5A]
        var scanner = BusFrameScanner()
        #expect(scanner.feed(echo + Self.replyOK3) == [Self.okFrame3])
        #expect(scanner.rejections.badLength == 1)
        #expect(scanner.droppedBytes == echo.count)
    }

    @Test func wellFormedFrameThatIsNoReply() {
        // Six bytes, good CRC (0xB4FE), but function 15.
        #expect(RS485Reference.crc16Modbus([0x00, 0x03, 0x15, 0x00]) == 0xB4FE)
        var scanner = BusFrameScanner()
        #expect(scanner.feed([0xA5, 0x00, 0x03, 0x15, 0x00, 0xFE, 0xB4, 0x5A]) == [])
        #expect(scanner.rejections.unexpectedFunction == 1)
    }

    @Test func wrongChecksumDropsTheWholeKeypadFrame() {
        var scanner = BusFrameScanner()
        let corrupted: [UInt8] = [0xFF, 0x68, 0x02, 0x02, 0x68, 0x07, 0x0C, 0x14, 0x16]
        #expect(scanner.feed(corrupted + Self.callNext7) == [Self.callNextFrame])
        var expected = BusFrameScanner.Rejections()
        expected.badChecksum = 1
        #expect(scanner.rejections == expected)
        #expect(scanner.droppedBytes == 9)  // preamble and frame
        #expect(scanner.lastRejection?.reason == .badChecksum)
    }

    @Test func lengthBytesThatDifferResyncOneByteLater() {
        var scanner = BusFrameScanner()
        let bad: [UInt8] = [0x68, 0x03, 0x02, 0x68, 0x07, 0x0C, 0x13, 0x16]
        #expect(scanner.feed(bad + Self.evaluation7) == [Self.evaluationFrame])
        // 68 (L 03 ≠ 02); 03 02 garbage; 68 07 0C (L 07 ≠ 0C); 07 0C 13 16 garbage.
        var expected = BusFrameScanner.Rejections()
        expected.badLength = 2
        expected.garbageBytes = 6
        #expect(scanner.rejections == expected)
    }

    @Test func lengthRejectedBeforeTheHeaderIsComplete() {
        // 68 03 02 is enough to reject: the following frame must not wait for a fourth byte.
        var scanner = BusFrameScanner()
        #expect(scanner.feed([0x68, 0x03, 0x02]) == [])
        #expect(scanner.rejections.badLength == 1)
        #expect(scanner.pendingBytes == 0)
    }

    @Test func fourthByteNot68() {
        var scanner = BusFrameScanner()
        let bad: [UInt8] = [0x68, 0x02, 0x02, 0x67, 0x07, 0x0C, 0x13, 0x16]
        #expect(scanner.feed(bad + Self.callNext7) == [Self.callNextFrame])
        var expected = BusFrameScanner.Rejections()
        expected.badLength = 1
        expected.garbageBytes = 7
        #expect(scanner.rejections == expected)
    }

    @Test func lengthBelowTwo() {
        var scanner = BusFrameScanner()
        let bad: [UInt8] = [0x68, 0x01, 0x01, 0x68, 0x07, 0x08, 0x16]
        #expect(scanner.feed(bad + Self.callNext7) == [Self.callNextFrame])
        // 68 (L 01); 01 01 garbage; 68 07 08 (L 07 ≠ 08); 07 08 16 garbage.
        var expected = BusFrameScanner.Rejections()
        expected.badLength = 2
        expected.garbageBytes = 5
        #expect(scanner.rejections == expected)
    }

    @Test func wrongTerminatorResyncsOneByteLater() {
        var scanner = BusFrameScanner()
        let bad: [UInt8] = [0x68, 0x02, 0x02, 0x68, 0x07, 0x0C, 0x13, 0x17]
        #expect(scanner.feed(bad + Self.callNext7) == [Self.callNextFrame])
        // 68 (terminator 17); 02 02 garbage; 68 07 0C (L 07 ≠ 0C); 07 0C 13 17 garbage.
        var expected = BusFrameScanner.Rejections()
        expected.badTerminator = 1
        expected.badLength = 1
        expected.garbageBytes = 6
        #expect(scanner.rejections == expected)
        #expect(scanner.droppedBytes == bad.count)  // each bad byte dropped once
        #expect(scanner.lastRejection != nil)
    }

    @Test func strayHeaderDoesNotSwallowTheFrameAfterIt() {
        // 68 02 02 68 then a real frame: the stray header's "frame" ends in 68, not 16, so
        // only its first byte goes and the real frame, four bytes on, is found.
        var scanner = BusFrameScanner()
        #expect(scanner.feed([0x68, 0x02, 0x02, 0x68] + Self.callNext7) == [Self.callNextFrame])
        #expect(scanner.rejections.badTerminator == 1)
    }

    // MARK: Stalls and caps

    @Test func abandonPartialDropsAStalledFrame() {
        var scanner = BusFrameScanner()
        #expect(scanner.abandonPartial() == 0)
        #expect(scanner.rejections.abandoned == 0)

        #expect(scanner.feed([0xA5, 0x00, 0x03, 0x95]) == [])
        #expect(scanner.pendingBytes == 4)
        #expect(scanner.abandonPartial() == 4)
        #expect(scanner.pendingBytes == 0)
        #expect(scanner.rejections.abandoned == 1)
        #expect(scanner.lastRejection?.reason == .abandoned)

        #expect(scanner.feed([0xFF, 0xFF, 0x68, 0x02, 0x02]) == [])
        #expect(scanner.abandonPartial() == 5)
        #expect(scanner.rejections.abandoned == 2)
        #expect(scanner.droppedBytes == 9)

        // The line works normally afterwards.
        #expect(scanner.feed(Self.callNext7 + Self.replyOK3) == [Self.callNextFrame, Self.okFrame3])
        #expect(scanner.rejections.garbageBytes == 0)
    }

    @Test func oversizedA5RunIsGarbage() {
        var scanner = BusFrameScanner()
        let run: [UInt8] = [0xA5] + Array(repeating: 0x00, count: 700)
        #expect(scanner.feed(run + Self.callNext7 + Self.replyOK3) == [Self.callNextFrame, Self.okFrame3])
        var expected = BusFrameScanner.Rejections()
        expected.garbageBytes = 701
        #expect(scanner.rejections == expected)
        #expect(scanner.pendingBytes == 0)
    }

    @Test func a5IsGivenUpExactlyAtTheCap() {
        var scanner = BusFrameScanner()
        #expect(scanner.maxLEDFrameLength == 600)
        #expect(scanner.feed([0xA5] + Array(repeating: 0x00, count: 598)) == [])
        #expect(scanner.pendingBytes == 599)
        #expect(scanner.rejections.isEmpty)
        #expect(scanner.feed([0x00]) == [])
        #expect(scanner.pendingBytes == 0)
        #expect(scanner.rejections.garbageBytes == 600)
    }

    @Test func preambleRunIsHeldWithoutGrowingTheBuffer() {
        var scanner = BusFrameScanner()
        #expect(scanner.feed(Array(repeating: 0xFF, count: 10_000)) == [])
        #expect(scanner.pendingBytes == 10_000)
        // Acknowledged with four of them, not ten thousand.
        #expect(scanner.feed(Self.callNext7) == [Self.woken(Self.callNextFrame, 4)])
        #expect(scanner.rejections.isEmpty)
    }
}
