import Foundation
import Glibc

/// A real pty for a device emulator: the driver under test opens `path` (a symlink to the slave,
/// like /dev/ttyUSB0) and a test thread plays the device on `master`.
struct PtyPair: Sendable {
    let master: Int32
    /// The slave, e.g. /dev/pts/7. Drivers should open `path`: pts numbers are reused at once by
    /// other tests' ptys, so a driver retrying the bare slave after an unplug could open (and
    /// disturb) someone else's.
    let slavePath: String
    let path: String
    /// Held open so the master never sees "no slave" hang-ups between the driver's opens.
    private let slaveKeepAlive: Int32

    /// `link`: the symlink's path; a fresh one in the temp folder when nil.
    init(link: String? = nil, prefix: String) throws {
        // posix_openpt / grantpt / unlockpt / ptsname, spelled as the Linux calls they wrap (the
        // Glibc module does not import the XSI pty functions): open /dev/ptmx, clear the lock
        // with TIOCSPTLCK, ask the slave's number with TIOCGPTN.
        let m = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC)
        guard m >= 0 else { throw POSIXError(.ENODEV) }
        var unlock: Int32 = 0
        var number: UInt32 = 0
        let TIOCSPTLCK: UInt = 0x4004_5431
        let TIOCGPTN: UInt = 0x8004_5430
        guard ioctl(m, TIOCSPTLCK, &unlock) == 0, ioctl(m, TIOCGPTN, &number) == 0 else {
            Glibc.close(m)
            throw POSIXError(.EIO)
        }
        master = m
        slavePath = "/dev/pts/\(number)"
        slaveKeepAlive = open(slavePath, O_RDWR | O_NOCTTY | O_CLOEXEC)
        path = link ?? NSTemporaryDirectory() + "\(prefix)-\(UUID().uuidString)"
        guard symlink(slavePath, path) == 0 else { throw POSIXError(.EIO) }
    }

    /// What arrived on the master, waiting at most 20 ms; empty when nothing did.
    func readSome(into chunk: inout [UInt8]) -> ArraySlice<UInt8> {
        var p = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
        guard poll(&p, 1, 20) > 0 else { return [] }
        let n = chunk.withUnsafeMutableBytes { read(master, $0.baseAddress!, $0.count) }
        guard n > 0 else {
            usleep(5000)
            return []
        }
        return chunk[0..<n]
    }

    /// The device's name goes, as /dev/ttyUSB0 does when the cable is pulled.
    func removeLink() { unlink(path) }

    /// The master closes, the slave hangs up.
    func close() {
        Glibc.close(master)
        if slaveKeepAlive >= 0 { Glibc.close(slaveKeepAlive) }
    }
}
