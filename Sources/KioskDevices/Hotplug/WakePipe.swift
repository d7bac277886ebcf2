import Foundation

/// A pipe that wakes a thread blocked in `poll` so it can stop, closed exactly once.
///
/// Why a class with a lock: `stop()`, `deinit` and the stream's termination handler may all
/// signal, from any thread, and a write to an already closed (and possibly reused) descriptor
/// must never happen.
final class WakePipe: @unchecked Sendable {
    private let lock = NSLock()
    private var writeFD: Int32
    /// The end the polling thread watches; the thread closes it when it ends.
    let readFD: Int32

    init() throws(HotplugError) {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { throw .udevUnavailable("pipe: \(String(cString: strerror(errno)))") }
        readFD = fds[0]
        writeFD = fds[1]
    }

    /// Wakes the thread (idempotent).
    func signal() {
        lock.withLock {
            guard writeFD >= 0 else { return }
            var byte: UInt8 = 1
            _ = write(writeFD, &byte, 1)
        }
    }

    /// Wakes the thread for the last time and closes the write end.
    func shutdown() {
        lock.withLock {
            guard writeFD >= 0 else { return }
            var byte: UInt8 = 1
            _ = write(writeFD, &byte, 1)
            close(writeFD)
            writeFD = -1
        }
    }
}
