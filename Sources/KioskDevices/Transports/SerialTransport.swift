import Glibc
import Synchronization

/// A serial port (串口) as a `ByteTransport`: `/dev/ttyUSB0` behind a USB-serial adapter, a
/// built-in `/dev/ttyS0`, or the slave side of a pty in tests.
///
/// Why each setting:
/// - `O_NOCTTY` so a reader never becomes the daemon's controlling terminal, `O_NONBLOCK` so
///   `open` never waits for carrier detect, `O_CLOEXEC` so helpers we spawn do not inherit it.
/// - Exclusive: `TIOCEXCL` refuses later `open`s by other users, and `flock(LOCK_EX|LOCK_NB)`
///   refuses a second cooperating process (root ignores `TIOCEXCL`; everyone honours the lock).
///   Either refusal is `.busy`, never a silent shared port where two readers eat each other's
///   answers.
/// - Raw 8N1 (or 8E1/8O1) with `CLOCAL|CREAD`, `VMIN=0 VTIME=0`: the line discipline never
///   waits or rewrites bytes; timeouts come from `poll()`, so a silent reader costs exactly the
///   timeout asked for.
///
/// Non-tty nodes: when `tcgetattr` fails with `ENOTTY` (umockdev's emulated ttys, FIFOs) the port
/// is used as a plain byte stream with no line settings, because there is no line to set; any
/// other termios failure is an error. `isatty()` is never consulted (TESTING.md: it is false on
/// umockdev ttys).
public final class SerialTransport: ByteTransport {
    /// Parity bit setting (校验位).
    public enum Parity: String, Sendable, CaseIterable {
        case none, even, odd
    }

    public let endpoint: String
    public let path: String
    public let baud: Int
    /// Whether termios settings were applied (false on a non-tty node).
    public let isTerminal: Bool
    private let fd: OwnedDescriptor

    /// Opens and configures `path`. Errors: `.notFound` (ENOENT, ENODEV, ENXIO at open),
    /// `.permissionDenied` (EACCES, EPERM), `.busy` (held by another process), `.io` otherwise.
    public init(path: String, baud: Int = 115_200, parity: Parity = .none, stopBits: Int = 1) throws(TransportError) {
        guard let speed = Self.speed(baud) else { throw .io("\(path): unsupported baud rate \(baud)") }
        guard stopBits == 1 || stopBits == 2 else { throw .io("\(path): stop bits must be 1 or 2") }
        let fd = Glibc.open(path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else {
            let e = errno
            switch e {
            case ENOENT, ENODEV, ENXIO: throw .notFound(path)
            case EACCES, EPERM: throw .permissionDenied(path)
            case EBUSY: throw .busy("\(path) is held exclusively by another process")
            default: throw .io("\(path): open: \(Self.message(e))")
            }
        }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let e = errno
            Glibc.close(fd)
            if e == EWOULDBLOCK { throw .busy("\(path) is locked by another process") }
            throw .io("\(path): flock: \(Self.message(e))")
        }
        var t = termios()
        if tcgetattr(fd, &t) == 0 {
            _ = ioctl(fd, UInt(TIOCEXCL))  // best effort: root bypasses it, the flock still holds
            cfmakeraw(&t)
            t.c_cflag |= (tcflag_t(CLOCAL) | tcflag_t(CREAD))
            t.c_cflag &= ~(tcflag_t(CSIZE) | tcflag_t(CSTOPB) | tcflag_t(PARENB) | tcflag_t(PARODD) | tcflag_t(CRTSCTS))
            t.c_cflag |= (tcflag_t(CS8))
            if stopBits == 2 { t.c_cflag |= (tcflag_t(CSTOPB)) }
            switch parity {
            case .none: t.c_iflag &= ~(tcflag_t(INPCK))
            case .even:
                t.c_cflag |= (tcflag_t(PARENB))
                t.c_iflag |= (tcflag_t(INPCK))
            case .odd:
                t.c_cflag |= (tcflag_t(PARENB) | tcflag_t(PARODD))
                t.c_iflag |= (tcflag_t(INPCK))
            }
            withUnsafeMutableBytes(of: &t.c_cc) { cc in
                cc[Int(VMIN)] = 0
                cc[Int(VTIME)] = 0
            }
            cfsetispeed(&t, speed)
            cfsetospeed(&t, speed)
            guard tcsetattr(fd, TCSANOW, &t) == 0 else {
                let e = errno
                Glibc.close(fd)
                throw .io("\(path): tcsetattr: \(Self.message(e))")
            }
            tcflush(fd, TCIOFLUSH)
            isTerminal = true
        } else {
            let e = errno
            guard e == ENOTTY || e == EINVAL else {
                Glibc.close(fd)
                throw .io("\(path): tcgetattr: \(Self.message(e))")
            }
            isTerminal = false
        }
        self.fd = OwnedDescriptor(fd, label: "\(path) @\(baud)")
        self.path = path
        self.baud = baud
        endpoint = "\(path) @\(baud)"
    }

    deinit { close() }

    public func write(_ bytes: [UInt8], timeout: Duration) throws(TransportError) {
        let deadline = ContinuousClock.now + timeout
        var sent = 0
        while sent < bytes.count {
            let fd = try currentFD()
            let n = bytes.withUnsafeBytes { buf in
                Glibc.write(fd, buf.baseAddress! + sent, buf.count - sent)
            }
            if n > 0 {
                sent += n
                continue
            }
            let e = errno
            if n < 0, e == EINTR { continue }
            if n < 0, e != EAGAIN, e != EWOULDBLOCK { throw mapIOError(e, "write") }
            guard try wait(for: Int16(POLLOUT), until: deadline) else {
                throw .timeout("\(endpoint): wrote \(sent) of \(bytes.count) bytes")
            }
        }
    }

    public func read(max: Int, timeout: Duration) throws(TransportError) -> [UInt8] {
        let deadline = ContinuousClock.now + timeout
        var buffer = [UInt8](repeating: 0, count: Swift.max(1, max))
        while true {
            let fd = try currentFD()
            let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress!, $0.count) }
            if n > 0 { return Array(buffer[0..<n]) }
            let e = errno
            if n == 0 {
                // With VMIN=0 VTIME=0 a tty answers "nothing yet" with 0, as does a hung-up one:
                // poll() below tells them apart (POLLHUP).
            } else if e == EINTR {
                continue
            } else if e != EAGAIN && e != EWOULDBLOCK {
                throw mapIOError(e, "read")
            }
            guard try wait(for: Int16(POLLIN), until: deadline) else { return [] }
        }
    }

    public func discardInput() {
        guard let fd = try? currentFD() else { return }
        if isTerminal {
            tcflush(fd, TCIFLUSH)
        } else {
            // Bounded: a stream that never pauses must not hold the driver here forever.
            var scratch = [UInt8](repeating: 0, count: 512)
            for _ in 0..<64 where scratch.withUnsafeMutableBytes({ Glibc.read(fd, $0.baseAddress!, $0.count) }) <= 0 {
                break
            }
        }
    }

    public func close() { fd.close { flock($0, LOCK_UN) } }

    // MARK: Internals

    private func currentFD() throws(TransportError) -> Int32 { try fd.get() }

    /// Waits until the port is ready for `events`; false on timeout. A hang-up with nothing left
    /// to read is `.disconnected`.
    private func wait(for events: Int16, until deadline: ContinuousClock.Instant) throws(TransportError) -> Bool {
        while true {
            let remaining = deadline - ContinuousClock.now
            let ms = remaining <= .zero ? 0 : Int32(clamping: (remaining.components.seconds * 1000)
                + Int64(remaining.components.attoseconds / 1_000_000_000_000_000) + 1)
            var p = pollfd(fd: try currentFD(), events: events, revents: 0)
            let r = poll(&p, 1, ms)
            if r < 0 {
                if errno == EINTR { continue }
                throw .io("\(endpoint): poll: \(Self.message(errno))")
            }
            if r == 0 { return false }
            if p.revents & Int16(POLLNVAL) != 0 { throw .disconnected("\(endpoint): closed") }
            // Checked before readiness: a hung-up tty also reports POLLIN, then reads 0 forever.
            if p.revents & Int16(POLLHUP | POLLERR) != 0 { throw .disconnected("\(endpoint): hung up") }
            if p.revents & events != 0 { return true }
        }
    }

    private func mapIOError(_ e: Int32, _ op: String) -> TransportError {
        switch e {
        case EIO, ENXIO, ENODEV, EBADF, EPIPE: .disconnected("\(endpoint): \(op): \(Self.message(e))")
        default: .io("\(endpoint): \(op): \(Self.message(e))")
        }
    }

    static func message(_ e: Int32) -> String { String(cString: strerror(e)) }

    /// The termios speed constant for a baud rate (9600 → B9600).
    static func speed(_ baud: Int) -> speed_t? {
        let table: [Int: Int32] = [
            1200: B1200, 2400: B2400, 4800: B4800, 9600: B9600, 19200: B19200, 38400: B38400,
            57600: B57600, 115_200: B115200, 230_400: B230400, 460_800: B460800, 921_600: B921600,
        ]
        return table[baud].map { speed_t($0) }
    }
}
