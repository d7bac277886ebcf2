/// Cuts SAM answers out of a byte stream as they trickle in from a serial line.
///
/// Why streaming: a serial read returns whatever has arrived — half a frame, two frames, or
/// noise from a reader being plugged in. The decoder keeps what it has, skips anything before a
/// preamble, waits for the rest of a partial frame, and drops a frame whose checksum is wrong
/// (reporting it once) so the next frame can still be found.
public struct SAMFrameDecoder: Sendable {
    /// Frames longer than this are taken for noise that happens to contain a preamble. A full
    /// read with fingerprints is about 2.3 KB; 8 KB leaves room.
    public static let maxLength = 8192

    private var buffer: [UInt8] = []
    /// Bytes thrown away because they were not part of a frame (for diagnostics).
    public private(set) var discardedBytes = 0

    public init() {}

    /// Bytes waiting to be completed into a frame.
    public var pendingBytes: Int { buffer.count }

    /// Adds bytes read from the device.
    public mutating func append<C: Collection>(_ bytes: C) where C.Element == UInt8 {
        buffer.append(contentsOf: bytes)
    }

    /// Forgets everything buffered (after a timeout, before a new command).
    public mutating func reset() {
        discardedBytes += buffer.count
        buffer.removeAll(keepingCapacity: true)
    }

    /// The next complete answer; nil when more bytes are needed. A complete frame with a bad
    /// checksum is removed from the buffer and thrown.
    public mutating func next() throws(SAMProtocolError) -> SAMResponse? {
        while true {
            guard let start = preambleStart() else {
                // Keep a tail that may be the beginning of a preamble.
                let keep = partialPreambleSuffix()
                discardedBytes += buffer.count - keep
                buffer.removeFirst(buffer.count - keep)
                return nil
            }
            if start > 0 {
                discardedBytes += start
                buffer.removeFirst(start)
            }
            guard buffer.count >= SAMFrame.headerLength else { return nil }
            let length = Int(buffer[5]) << 8 | Int(buffer[6])
            guard length >= 1, length <= Self.maxLength else {
                // Not a real frame: skip this preamble's first byte and search again.
                discardedBytes += 1
                buffer.removeFirst()
                continue
            }
            let total = SAMFrame.headerLength + length
            guard buffer.count >= total else { return nil }
            let frame = Array(buffer[0..<total])
            buffer.removeFirst(total)
            let expected = SAMFrame.checksum(frame[5..<(total - 1)])
            guard expected == frame[total - 1] else {
                throw .checksumMismatch(expected: expected, actual: frame[total - 1])
            }
            guard length >= 4 else { throw .truncated(length: length) }
            let status = SAMStatus(sw1: frame[7], sw2: frame[8], sw3: frame[9])
            return SAMResponse(status: status, data: Array(frame[10..<(total - 1)]))
        }
    }

    private func preambleStart() -> Int? {
        let p = SAMFrame.preamble
        guard buffer.count >= p.count else { return nil }
        for i in 0...(buffer.count - p.count) where buffer[i] == p[0] {
            if buffer[i..<(i + p.count)].elementsEqual(p) { return i }
        }
        return nil
    }

    /// How many trailing bytes could start a preamble (`AA`, `AA AA`, … `AA AA AA 96`).
    private func partialPreambleSuffix() -> Int {
        let p = SAMFrame.preamble
        for n in stride(from: min(p.count - 1, buffer.count), to: 0, by: -1)
        where buffer.suffix(n).elementsEqual(p.prefix(n)) {
            return n
        }
        return 0
    }
}
