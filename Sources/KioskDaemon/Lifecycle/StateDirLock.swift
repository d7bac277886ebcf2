import Foundation
import KioskCore

/// One kioskd per state dir: an exclusive `flock` on `<state_dir>/kioskd.lock`, held for the
/// life of the process (the kernel releases it at any exit, `kill -9` included, so a stale file
/// never blocks a restart). The file names the holder's pid for the refusal message.
final class StateDirLock: Sendable {
    static let fileName = "kioskd.lock"
    private let fd: Int32

    private init(fd: Int32) { self.fd = fd }

    /// Takes the lock, or refuses (`conflict`) naming the pid of the daemon that holds it.
    static func acquire(stateDir: String) throws -> StateDirLock {
        let path = (stateDir as NSString).appendingPathComponent(fileName)
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o640)
        guard fd >= 0 else {
            throw KioskError(.storageUnavailable, "cannot open \(path): \(String(cString: strerror(errno)))")
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let holder = (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
            close(fd)
            let who = holder.flatMap(Int32.init).map { "another kioskd (pid \($0))" } ?? "another kioskd"
            throw KioskError(.conflict, "\(who) is already running on the state dir \(stateDir); stop it first, or give this one its own state_dir")
        }
        let pid = "\(getpid())\n"
        _ = ftruncate(fd, 0)
        _ = pid.withCString { pwrite(fd, $0, strlen($0), 0) }
        return StateDirLock(fd: fd)
    }

    deinit { close(fd) }
}
