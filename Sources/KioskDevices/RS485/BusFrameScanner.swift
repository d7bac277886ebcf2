/// The bus reader's demultiplexer: cuts display replies (`led-a5`, 窗口屏) and keypad frames
/// (`keypad-68`, 呼叫器/评价器) out of the byte stream of one RS-485 line.
///
/// Why a streaming scanner: a serial read returns whatever has arrived — half a frame, three
/// frames, line noise from a device being plugged in. `feed` keeps an incomplete frame until
/// the rest arrives (a frame may be split at any byte, inside an escape pair or a preamble
/// included), returns every complete valid frame in order, and drops invalid ones with a
/// counted reason so the next frame is still found.
///
/// Framing rules:
/// - `A5` starts a display frame that ends at the next `5A` (escaping keeps `5A` out of it) and
///   is consumed whole, valid or not — so a host command echoed by an adapter never has its
///   text misread as keypad frames. A second `A5` before the `5A` means the first frame was cut
///   off: it is rejected and scanning restarts at the new `A5`. An `A5` with no `5A` within
///   `maxLEDFrameLength` bytes is counted as one garbage byte and scanning resumes after it.
/// - `68` starts a keypad frame `68 L L 68 … CS 16`. A bad header (L bytes differ, fourth byte
///   not `68`, L < 2) or a wrong terminator drops just the `68` and rescans from the next byte,
///   since the frame boundary was a guess; a wrong checksum with a good terminator drops the
///   whole frame, since the boundary was right and only the content is damaged.
/// - `FF` bytes before a `68` are its preamble; `FF` bytes followed by anything else, and every
///   byte that starts no frame, are garbage.
///
/// A partial frame that never completes stays until more bytes arrive or until the reader,
/// after a quiet period, calls `abandonPartial()`.
public struct BusFrameScanner: Sendable {
    /// Default for `maxLEDFrameLength`: far above a reply's 14 bytes at most, yet enough for
    /// an echoed command with a line of text.
    public static let defaultMaxLEDFrameLength = 600

    /// The longest display frame, delimiters included, the scanner waits for.
    public let maxLEDFrameLength: Int

    /// Received bytes not consumed yet: at most one partial frame once `feed` returns.
    private var buffer: [UInt8] = []
    /// `FF` bytes already taken off `buffer` that will be the preamble of a `68` frame or garbage.
    private var preamble = 0
    /// At most this many preamble bytes go back in an acknowledgement.
    static let echoedPreamble = 4

    /// Everything rejected so far, by reason.
    public private(set) var rejections = Rejections()
    /// The latest rejection, for a debug log; nil until something is rejected.
    public private(set) var lastRejection: Rejection?
    /// All bytes thrown away, whatever the reason.
    public private(set) var droppedBytes = 0

    /// - Parameter maxLEDFrameLength: raised to 14 (the longest possible escaped reply) if lower.
    public init(maxLEDFrameLength: Int = defaultMaxLEDFrameLength) {
        self.maxLEDFrameLength = max(maxLEDFrameLength, 2 + 2 * LEDA5.replyBodyLength)
    }

    /// Bytes held for a frame that is not complete yet (preamble included).
    public var pendingBytes: Int { buffer.count + preamble }

    /// Adds bytes read from the line; returns the frames they completed, in stream order.
    public mutating func feed(_ bytes: some Sequence<UInt8>) -> [BusFrame] {
        buffer.append(contentsOf: bytes)
        var frames: [BusFrame] = []
        var position = 0
        while position < buffer.count {
            guard let step = step(at: position) else { break }
            position += step.consumed
            if let frame = step.frame { frames.append(frame) }
        }
        buffer.removeFirst(position)
        return frames
    }

    /// Drops the partial frame held back (the line went quiet, so its rest is not coming) and
    /// returns how many bytes that was; 0 when nothing was pending.
    @discardableResult
    public mutating func abandonPartial() -> Int {
        let dropped = pendingBytes
        guard dropped > 0 else { return 0 }
        let shown = Array(repeating: Keypad68.preambleByte, count: min(preamble, 16)) + buffer
        reject(.abandoned, dropping: dropped, "incomplete frame \(RS485Hex.bytes(shown))")
        buffer.removeAll(keepingCapacity: true)
        preamble = 0
        return dropped
    }

    // MARK: - Scanning

    /// What one scanning step did: bytes consumed from the buffer, and maybe a frame.
    private struct Step {
        var consumed: Int
        var frame: BusFrame?
    }

    /// Handles the byte at `position`; nil when more bytes are needed to decide.
    private mutating func step(at position: Int) -> Step? {
        let byte = buffer[position]
        if byte == Keypad68.preambleByte {
            preamble += 1
            return Step(consumed: 1)
        }
        if byte != Keypad68.startByte, preamble > 0 {
            let count = preamble
            preamble = 0
            reject(.garbage, dropping: count, "\(count) × FF not followed by 68")
        }
        switch byte {
        case LEDA5.startByte: return scanLED(at: position)
        case Keypad68.startByte: return scanKeypad(at: position)
        default:
            var end = position + 1
            while end < buffer.count, !Self.startsFrame(buffer[end]) { end += 1 }
            let run = buffer[position..<end]
            reject(.garbage, dropping: run.count, "\(RS485Hex.bytes(run)) starts no frame")
            return Step(consumed: run.count)
        }
    }

    private static func startsFrame(_ byte: UInt8) -> Bool {
        byte == LEDA5.startByte || byte == Keypad68.startByte || byte == Keypad68.preambleByte
    }

    /// A display frame from the `A5` at `start` to the next `5A`.
    private mutating func scanLED(at start: Int) -> Step? {
        let limit = min(buffer.count, start + maxLEDFrameLength)
        var index = start + 1
        while index < limit {
            switch buffer[index] {
            case LEDA5.endByte:
                let frame = buffer[start...index]
                do throws(LEDA5.FrameError) {
                    let reply = try LEDA5.decodeReply(frame)
                    return Step(consumed: frame.count, frame: .ledReply(reply))
                } catch {
                    reject(Self.reason(for: error), dropping: frame.count, "\(error) in \(RS485Hex.bytes(frame))")
                    return Step(consumed: frame.count)
                }
            case LEDA5.startByte:
                let cut = buffer[start..<index]
                reject(.badLength, dropping: cut.count, "\(RS485Hex.bytes(cut)) cut off by the next A5")
                return Step(consumed: cut.count)
            default:
                index += 1
            }
        }
        guard buffer.count - start >= maxLEDFrameLength else { return nil }
        reject(.garbage, dropping: 1, "A5 with no 5A within \(maxLEDFrameLength) bytes")
        return Step(consumed: 1)
    }

    private static func reason(for error: LEDA5.FrameError) -> Reason {
        switch error {
        case .badEscape: .badEscape
        case .badCRC: .badCRC
        case .unexpectedFunction: .unexpectedFunction
        case .badLength, .notDelimited: .badLength
        }
    }

    /// A keypad frame from the `68` at `start` (its preamble, if any, already counted).
    private mutating func scanKeypad(at start: Int) -> Step? {
        let available = buffer.count - start
        if available >= 2, buffer[start + 1] < 2 {
            return rejectKeypadHeader(at: start, "L = \(RS485Hex.byte(buffer[start + 1])) is less than 2")
        }
        if available >= 3, buffer[start + 2] != buffer[start + 1] {
            return rejectKeypadHeader(at: start, "L bytes differ")
        }
        if available >= 4, buffer[start + 3] != Keypad68.startByte {
            return rejectKeypadHeader(at: start, "fourth byte is not 68")
        }
        guard available >= 4 else { return nil }
        let length = Int(buffer[start + 1])
        let total = length + Keypad68.overhead
        guard available >= total else { return nil }
        let raw = buffer[start..<(start + total)]
        let terminator = buffer[start + total - 1]
        guard terminator == Keypad68.stopByte else {
            rejectKeypad(.badTerminator, dropping: 1, "terminator \(RS485Hex.byte(terminator)) in \(RS485Hex.bytes(raw))")
            return Step(consumed: 1)
        }
        let payload = buffer[(start + 4)..<(start + 4 + length)]
        let expected = Keypad68.checksum(payload)
        let received = buffer[start + 4 + length]
        guard received == expected else {
            rejectKeypad(
                .badChecksum, dropping: total,
                "CS \(RS485Hex.byte(received)), expected \(RS485Hex.byte(expected)) in \(RS485Hex.bytes(raw))")
            return Step(consumed: total)
        }
        // Acknowledged as received, wake-up preamble included (a long run of FF is not echoed whole).
        let wake = Array(repeating: Keypad68.preambleByte, count: min(preamble, Self.echoedPreamble))
        preamble = 0
        let frame = Keypad68.Frame(
            address: payload[start + 4], function: payload[start + 5], data: Array(payload.dropFirst(2)))
        return Step(consumed: total, frame: .keypad(frame, raw: wake + Array(raw)))
    }

    private mutating func rejectKeypadHeader(at start: Int, _ detail: String) -> Step {
        let header = buffer[start..<min(buffer.count, start + 4)]
        rejectKeypad(.badLength, dropping: 1, "\(detail) in \(RS485Hex.bytes(header))")
        return Step(consumed: 1)
    }

    /// Rejects a keypad frame together with the preamble that announced it.
    private mutating func rejectKeypad(_ reason: Reason, dropping count: Int, _ detail: String) {
        let total = count + preamble
        preamble = 0
        reject(reason, dropping: total, detail)
    }

    private mutating func reject(_ reason: Reason, dropping count: Int, _ detail: String) {
        rejections[reason] += reason == .garbage ? count : 1
        droppedBytes += count
        lastRejection = Rejection(reason: reason, droppedBytes: count, detail: detail)
    }
}
