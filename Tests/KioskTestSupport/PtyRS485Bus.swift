import Foundation
import Glibc
import Synchronization

/// An RS-485 bus played by a thread on the master side of a real pty: LED window displays that
/// answer the host's `led-a5` commands for their addresses, and keypads/evaluators whose frames
/// the test sends. Frames are built and checked here from the byte layouts of issue 10, with
/// this file's own CRC and checksum — never with the daemon's encoder.
public final class PtyRS485Bus: Sendable {
    /// A host → display command, decoded.
    public struct DisplayCommand: Sendable, Equatable {
        /// When its last byte was read off the pty.
        public var at: ContinuousClock.Instant
        public var address: UInt16
        public var mode: UInt8
        public var colour: UInt8
        public var brightness: UInt8
        public var text: [UInt8]
    }

    /// A host → keypad frame ([FF…] 68 … 16), as bytes (its preamble included) and fields.
    public struct KeypadFrame: Sendable, Equatable {
        public var raw: [UInt8]
        public var address: UInt8
        public var function: UInt8
        public var data: [UInt8]
    }

    private struct State {
        var displays: Set<UInt16>
        /// Displays that answer under another address (a misconfigured or crossed strip).
        var impostors: [UInt16: UInt16] = [:]
        /// Displays that answer this long after the command.
        var delays: [UInt16: Duration] = [:]
        /// Answers go out in two writes, split after this many bytes, 50 ms apart.
        var splitAfter: Int?
        var commands: [DisplayCommand] = []
        var keypadFrames: [KeypadFrame] = []
        var garbage = 0
        var stopped = false
    }

    public var path: String { pty.path }
    private let pty: PtyPair
    private let state: Mutex<State>
    private let done = DispatchSemaphore(value: 0)

    /// `displays`: the addresses that answer. `link`: the path to give the bus (a fixed one, so
    /// that a second bus "plugged in" after `stop()` appears where the first was).
    public init(displays: Set<UInt16>, link: String? = nil) throws {
        pty = try PtyPair(link: link, prefix: "kioskd-tty485")
        state = Mutex(State(displays: displays))
        let t = Thread { [self] in run() }
        t.name = "pty-rs485"
        t.start()
    }

    deinit { stop() }

    public func stop() {
        let first = state.withLock { s -> Bool in
            defer { s.stopped = true }
            return !s.stopped
        }
        guard first else { return }
        pty.removeLink()
        done.wait()
        pty.close()
    }

    public var commands: [DisplayCommand] { state.withLock { $0.commands } }

    /// Which displays answer from now on.
    public func setDisplays(_ displays: Set<UInt16>) { state.withLock { $0.displays = displays } }

    /// The display at `address` answers `delay` late.
    public func delay(_ address: UInt16, by delay: Duration) { state.withLock { $0.delays[address] = delay } }

    /// Answers are written in two parts, the first `bytes` long, with a pause between.
    public func splitAnswers(after bytes: Int?) { state.withLock { $0.splitAfter = bytes } }

    /// The display at `address` answers as `as` instead.
    public func answer(_ address: UInt16, as other: UInt16) { state.withLock { $0.impostors[address] = other } }
    public var keypadFrames: [KeypadFrame] { state.withLock { $0.keypadFrames } }

    /// Sends raw bytes from the device side; returns when the last one was handed to the pty.
    @discardableResult
    public func send(_ bytes: [UInt8]) -> ContinuousClock.Instant {
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBufferPointer { write(pty.master, $0.baseAddress, $0.count) }
            if n > 0 { sent += n } else { usleep(1000) }
        }
        return ContinuousClock.now
    }

    /// A keypad-68 frame: `68 L L 68 addr func data CS 16`.
    public static func keyFrame(address: UInt8, function: UInt8, data: [UInt8] = []) -> [UInt8] {
        let body = [address, function] + data
        let cs = UInt8(body.reduce(0) { ($0 + Int($1)) } % 256)
        return [0x68, UInt8(body.count), UInt8(body.count), 0x68] + body + [cs, 0x16]
    }

    /// CRC-16/MODBUS, bit by bit.
    public static func crc(_ bytes: [UInt8]) -> UInt16 {
        var crc: UInt16 = 0xFFFF
        for b in bytes {
            crc ^= UInt16(b)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xA001 : crc >> 1 }
        }
        return crc
    }

    static func escape(_ bytes: [UInt8]) -> [UInt8] {
        bytes.flatMap { b -> [UInt8] in
            switch b {
            case 0xA5: [0xA6, 0x02]
            case 0xA6: [0xA6, 0x01]
            case 0x5A: [0x5B, 0x02]
            case 0x5B: [0x5B, 0x01]
            default: [b]
            }
        }
    }

    /// A display's answer `A5 addr 95 status CRC 5A`.
    public static func reply(address: UInt16, status: UInt8 = 0) -> [UInt8] {
        let body: [UInt8] = [UInt8(address >> 8), UInt8(address & 0xFF), 0x95, status]
        let c = crc(body)
        return [0xA5] + escape(body + [UInt8(c & 0xFF), UInt8(c >> 8)]) + [0x5A]
    }

    private func run() {
        var buffer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 2048)
        while !state.withLock({ $0.stopped }) {
            let got = pty.readSome(into: &chunk)
            guard !got.isEmpty else { continue }
            buffer += got
            parse(&buffer)
        }
        done.signal()
    }

    /// Takes every complete host frame off the front of `buffer`.
    private func parse(_ buffer: inout [UInt8]) {
        while let first = buffer.first {
            // FF before a 68 frame is its wake-up preamble, kept with it in `raw`.
            let wake = buffer.prefix { $0 == 0xFF }.count
            if wake > 0 {
                guard wake < buffer.count else { return }
                if buffer[wake] != 0x68 {
                    buffer.removeFirst(wake)
                    state.withLock { $0.garbage += wake }
                    continue
                }
            }
            if first == 0xA5 {
                guard let end = buffer.firstIndex(of: 0x5A) else { return }
                let frame = Array(buffer[1..<end])
                buffer.removeFirst(end + 1)
                var plain: [UInt8] = []
                var i = 0
                while i < frame.count {
                    if frame[i] == 0xA6 || frame[i] == 0x5B, i + 1 < frame.count {
                        let map: [UInt8: [UInt8: UInt8]] = [0xA6: [0x02: 0xA5, 0x01: 0xA6], 0x5B: [0x02: 0x5A, 0x01: 0x5B]]
                        plain.append(map[frame[i]]?[frame[i + 1]] ?? 0)
                        i += 2
                    } else {
                        plain.append(frame[i])
                        i += 1
                    }
                }
                guard plain.count >= 10, plain[2] == 0x15 else { continue }
                let length = Int(plain[6]) | Int(plain[7]) << 8
                guard plain.count == 10 + length else { continue }
                let c = Self.crc(Array(plain[0..<(8 + length)]))
                guard plain[8 + length] == UInt8(c & 0xFF), plain[9 + length] == UInt8(c >> 8) else { continue }
                let command = DisplayCommand(at: ContinuousClock.now, address: UInt16(plain[0]) << 8 | UInt16(plain[1]), mode: plain[3], colour: plain[4],
                    brightness: plain[5], text: Array(plain[8..<(8 + length)]))
                let (answerAs, delay, split) = state.withLock { s -> (UInt16?, Duration?, Int?) in
                    s.commands.append(command)
                    let delay = s.delays[command.address], split = s.splitAfter
                    if let other = s.impostors[command.address] { return (other, delay, split) }
                    return (s.displays.contains(command.address) ? command.address : nil, delay, split)
                }
                if let answerAs, let delay {
                    // Late, without holding up the other devices on the bus.
                    let reply = Self.reply(address: answerAs)
                    DispatchQueue.global().asyncAfter(deadline: .now() + Double(delay.components.seconds)
                        + Double(delay.components.attoseconds) / 1e18) { [self] in _ = send(reply) }
                } else if let answerAs {
                    let reply = Self.reply(address: answerAs)
                    if let split, split < reply.count {
                        _ = send(Array(reply[..<split]))
                        usleep(50_000)
                        _ = send(Array(reply[split...]))
                    } else {
                        _ = send(reply)
                    }
                }
            } else if first == 0x68 || wake > 0 {
                guard buffer.count >= wake + 4 else { return }
                let l = Int(buffer[wake + 1])
                guard buffer.count >= wake + l + 6 else { return }
                let raw = Array(buffer[0..<(wake + l + 6)])
                buffer.removeFirst(wake + l + 6)
                let frame = Array(raw[wake...])
                state.withLock {
                    $0.keypadFrames.append(KeypadFrame(raw: raw, address: frame[4], function: frame[5], data: Array(frame[6..<(4 + l)])))
                }
            } else {
                buffer.removeFirst()
                state.withLock { $0.garbage += 1 }
            }
        }
    }
}
