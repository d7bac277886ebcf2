import Foundation
import Glibc
import Synchronization

/// A second-generation ID card reader played by a thread on the master side of a real pty.
///
/// The driver under test opens the slave path with `SerialTransport`, exactly as it opens
/// `/dev/ttyUSB0`. This side answers the SAM commands it recognises byte for byte (the
/// `SAMFixture` hex), like a reader with a SAM module would: `9F` to "find card" once per
/// placement, `80` otherwise. One-shot `Action`s replace the next answer to model faults.
public final class PtySAMReader: Sendable {
    /// Replaces the normal answer to the next command.
    public enum Action: Sendable {
        /// Send these bytes instead.
        case send([UInt8])
        /// Send these bytes, then the normal answer (garbage on the line).
        case prefix([UInt8])
        /// Send the first `n` bytes of the normal answer, then nothing more.
        case truncate(Int)
        /// Say nothing.
        case silence
    }

    private struct State {
        var card: [UInt8]?
        var unread = false
        var actions: [Action] = []
        public var commands: [[UInt8]] = []
        var samStatus = SAMFixture.ok
        var stopped = false
        /// When the last byte of the last answer was handed to the pty.
        public var lastAnswerSent: ContinuousClock.Instant?
    }

    /// The pty's slave, e.g. /dev/pts/7. Prefer `path`.
    public var slavePath: String { pty.slavePath }
    /// A symlink to the slave that disappears with `unplug()`, like /dev/ttyUSB0 does.
    public var path: String { pty.path }
    private let pty: PtyPair
    private let state = Mutex(State())
    private let done = DispatchSemaphore(value: 0)

    public init() throws {
        pty = try PtyPair(prefix: "kioskd-ttySAM")
        let t = Thread { [self] in run() }
        t.name = "pty-sam-reader"
        t.start()
    }

    deinit {
        stop()
    }

    // MARK: Controls

    /// Lays a card (its 256-byte text) on the reader: the next "find card" answers `9F`.
    public func place(text: [UInt8]) {
        state.withLock {
            $0.card = text
            $0.unread = true
        }
    }

    public func lift() {
        state.withLock {
            $0.card = nil
            $0.unread = false
        }
    }

    public func enqueue(_ actions: Action...) {
        state.withLock { $0.actions += actions }
    }

    /// What "SAM status" answers from now on.
    public func setSAMStatus(_ frame: [UInt8]) {
        state.withLock { $0.samStatus = frame }
    }

    /// When the last byte of the most recent answer went out.
    public var lastAnswerSent: ContinuousClock.Instant? { state.withLock { $0.lastAnswerSent } }

    /// Every command received, in order.
    public var commands: [[UInt8]] { state.withLock { $0.commands } }

    /// Pulls the cable: the master side closes, the slave hangs up.
    public func unplug() { stop() }

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

    // MARK: The reader

    private func run() {
        var buffer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 2048)
        while !state.withLock({ $0.stopped }) {
            let got = pty.readSome(into: &chunk)
            guard !got.isEmpty else { continue }
            buffer += got
            while let command = takeCommand(&buffer) {
                answer(command)
            }
        }
        done.signal()
    }

    /// One request frame from the buffer: preamble, LEN (big-endian), LEN more bytes.
    private func takeCommand(_ buffer: inout [UInt8]) -> [UInt8]? {
        let preamble: [UInt8] = [0xAA, 0xAA, 0xAA, 0x96, 0x69]
        guard let start = (0..<max(0, buffer.count - 4)).first(where: { Array(buffer[$0..<($0 + 5)]) == preamble }) else {
            return nil
        }
        buffer.removeFirst(start)
        guard buffer.count >= 7 else { return nil }
        let total = 7 + (Int(buffer[5]) << 8 | Int(buffer[6]))
        guard buffer.count >= total else { return nil }
        defer { buffer.removeFirst(total) }
        return Array(buffer[0..<total])
    }

    private func answer(_ command: [UInt8]) {
        let (normal, action) = state.withLock { s -> ([UInt8], Action?) in
            s.commands.append(command)
            let action = s.actions.isEmpty ? nil : s.actions.removeFirst()
            switch command {
            case SAMFixture.samStatus: return (s.samStatus, action)
            case SAMFixture.reset: return (SAMFixture.ok, action)
            case SAMFixture.samID: return (SAMFixture.samIDAnswer, action)
            case SAMFixture.findCard:
                return (s.card != nil && s.unread ? SAMFixture.cardFound : SAMFixture.noCard, action)
            case SAMFixture.selectCard:
                return (s.card != nil ? SAMFixture.selected : SAMFixture.selectFailed, action)
            case SAMFixture.readBaseInfo:
                guard let card = s.card else { return (SAMFixture.readFailed, action) }
                switch action {
                case nil, .prefix?: s.unread = false  // the whole answer goes out
                default: break
                }
                return (SAMFixture.readAnswer(text: card), action)
            default: return (SAMFixture.commandError, action)
            }
        }
        switch action {
        case nil: send(normal)
        case .send(let bytes): send(bytes)
        case .prefix(let garbage): send(garbage + normal)
        case .truncate(let n): send(Array(normal.prefix(n)))
        case .silence: break
        }
    }

    private func send(_ bytes: [UInt8]) {
        var sent = 0
        while sent < bytes.count {
            let n = bytes.withUnsafeBytes { write(pty.master, $0.baseAddress! + sent, $0.count - sent) }
            if n <= 0 { return }
            sent += n
        }
        let now = ContinuousClock.now
        state.withLock { $0.lastAnswerSent = now }
    }
}
