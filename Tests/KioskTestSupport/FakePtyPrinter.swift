import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A receipt printer played by the test on the master side of a real pty: it records every byte
/// the driver writes to the slave and answers `DLE EOT n` with the status bytes the test sets,
/// the way a printer's firmware does. It can stop reading (a stalled printer) or hang up (a
/// pulled cable).
public final class FakePtyPrinter: Sendable {
    public struct Status: Sendable {
        /// Answers to DLE EOT 1…4 (index n − 1); all "online, no error, paper ok" by default.
        public var answers: [UInt8] = [0x12, 0x12, 0x12, 0x12]
        public init(answers: [UInt8] = [0x12, 0x12, 0x12, 0x12]) { self.answers = answers }
        public static let ok = Status()
        public static let nearEnd = Status(answers: [0x12, 0x12, 0x12, 0x1E])
        public static let paperOut = Status(answers: [0x1A, 0x32, 0x12, 0x72])
        public static let coverOpen = Status(answers: [0x1A, 0x16, 0x12, 0x12])
        public static let cutterError = Status(answers: [0x1A, 0x52, 0x1A, 0x12])
    }

    private struct Inner: Sendable {
        var received: [UInt8] = []
        var scanned = 0
        /// When each job's last byte (the cut, `GS V 66 0`) was read off the pty.
        var cutsAt: [ContinuousClock.Instant] = []
        var status = Status.ok
        var answering = true
        var draining = true
        var stop = false
        var stopped = false
    }

    public let slavePath: String
    private let master: Int32
    /// The test's own slave descriptor: sets raw mode and keeps the pty alive between opens.
    private let slaveHold: Int32
    private let inner = Mutex(Inner())

    public init() throws {
        let m = PtyFunctions.posixOpenpt(O_RDWR | O_NOCTTY)
        guard m >= 0, PtyFunctions.grantpt(m) == 0, PtyFunctions.unlockpt(m) == 0 else { throw POSIXError(.EIO) }
        var name = [CChar](repeating: 0, count: 128)
        guard PtyFunctions.ptsnameR(m, &name, name.count) == 0 else { throw POSIXError(.EIO) }
        slavePath = String(decoding: name.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        master = m
        let s = open(slavePath, O_RDWR | O_NOCTTY)
        guard s >= 0 else { throw POSIXError(.EIO) }
        var t = termios()
        tcgetattr(s, &t)
        cfmakeraw(&t)  // no echo, no CR/LF translation: bytes pass exactly
        tcsetattr(s, TCSANOW, &t)
        slaveHold = s
        let thread = Thread { [self] in run() }
        thread.start()
    }

    deinit {
        hangUp()
        Glibc.close(slaveHold)
    }

    public var received: [UInt8] { inner.withLock { $0.received } }

    /// When each job's last byte arrived, in order (benchmarks: print latency).
    public var cutsAt: [ContinuousClock.Instant] { inner.withLock { $0.cutsAt } }

    public func setStatus(_ s: Status) { inner.withLock { $0.status = s } }
    public func setAnswering(_ on: Bool) { inner.withLock { $0.answering = on } }
    /// false: the printer stops taking bytes (paper jam, firmware hung), so the pty fills up.
    public func setDraining(_ on: Bool) { inner.withLock { $0.draining = on } }
    public func clearReceived() {
        inner.withLock {
            $0.received = []
            $0.scanned = 0
        }
    }

    /// Waits until at least `count` bytes arrived (or `timeout` passes).
    public func waitForBytes(_ count: Int, timeout: Duration = .seconds(5)) -> [UInt8] {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let r = received
            if r.count >= count { return r }
            usleep(2000)
        }
        return received
    }

    /// Waits until the bytes received so far end with a cut (`GS V 66 0`), i.e. a whole job.
    public func waitForCut(timeout: Duration = .seconds(5)) -> [UInt8] {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let r = received
            if r.suffix(4).elementsEqual([0x1D, 0x56, 0x42, 0x00]) { return r }
            usleep(2000)
        }
        return received
    }

    /// Closes the master side: the slave hangs up (writes fail with EIO), like a pulled cable.
    public func hangUp() {
        let already = inner.withLock { i -> Bool in
            let was = i.stop
            i.stop = true
            return was
        }
        if already { return }
        while !inner.withLock({ $0.stopped }) { usleep(1000) }
        Glibc.close(master)
    }

    private func run() {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let (stop, draining) = inner.withLock { ($0.stop, $0.draining) }
            if stop { break }
            if !draining {
                usleep(2000)
                continue
            }
            var p = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
            guard poll(&p, 1, 10) > 0 else { continue }
            let n = read(master, &buffer, buffer.count)
            guard n > 0 else {
                usleep(2000)
                continue
            }
            let now = ContinuousClock.now
            let replies = inner.withLock { i -> [UInt8] in
                i.received += buffer[0..<n]
                if i.received.suffix(4).elementsEqual([0x1D, 0x56, 0x42, 0x00]) { i.cutsAt.append(now) }
                var out: [UInt8] = []
                // Answer each complete DLE EOT n not seen before.
                while i.scanned + 2 < i.received.count {
                    let k = i.scanned
                    if i.received[k] == 0x10, i.received[k + 1] == 0x04, (1...4).contains(i.received[k + 2]) {
                        if i.answering { out.append(i.status.answers[Int(i.received[k + 2]) - 1]) }
                        i.scanned += 3
                    } else {
                        i.scanned += 1
                    }
                }
                return out
            }
            if !replies.isEmpty { _ = write(master, replies, replies.count) }
        }
        inner.withLock { $0.stopped = true }
    }
}

/// The bytes a status round asks when everything is fine: DLE EOT 1, 2, 4.
public let statusRound: [UInt8] = [0x10, 0x04, 0x01, 0x10, 0x04, 0x02, 0x10, 0x04, 0x04]
