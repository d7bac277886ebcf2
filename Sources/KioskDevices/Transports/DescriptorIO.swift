#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The poll-driven, non-blocking read and write loops that `FileTransport` and `TCPTransport`
/// share.
///
/// Why poll on a non-blocking descriptor instead of blocking calls with alarms: a printer that
/// stops taking paper (or a socket whose peer stops reading) would otherwise block the device's
/// I/O thread forever; with `poll` every wait has a deadline and the driver turns a stall into a
/// health fault. (It lives here because `Transports/` is shared with other engineers; it belongs
/// beside the transports and should move there.)
enum DescriptorIO {
    /// What the descriptor is, for the error messages ("/dev/usb/lp0", "tcp://10.0.0.5:9100").
    struct Target {
        var endpoint: String
        /// Writes with `send(MSG_NOSIGNAL)` (sockets) instead of `write`.
        var isSocket: Bool
    }

    /// The current `errno` text: "Input/output error (errno 5)".
    static func message(_ code: Int32) -> String {
        "\(String(cString: strerror(code))) (errno \(code))"
    }

    /// Milliseconds left until `deadline`, at least 0, for `poll`.
    static func millisecondsLeft(until deadline: ContinuousClock.Instant) -> Int32 {
        let left = deadline - ContinuousClock.now
        if left <= .zero { return 0 }
        let c = left.components
        let ms = c.seconds * 1000 + (c.attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        return Int32(clamping: ms)
    }

    /// Waits until `fd` is ready for `events` or `deadline` passes. Returns the revents, or 0 on
    /// timeout; EINTR is retried with the time left.
    static func wait(_ fd: Int32, _ events: Int16, until deadline: ContinuousClock.Instant) -> Int16 {
        while true {
            var p = pollfd(fd: fd, events: events, revents: 0)
            let r = poll(&p, 1, millisecondsLeft(until: deadline))
            if r > 0 { return p.revents }
            if r == 0 { return 0 }
            if errno == EINTR { continue }
            return Int16(POLLERR)
        }
    }

    /// Maps an errno seen while the descriptor was open to a transport error.
    static func ioError(_ code: Int32, _ target: Target, _ doing: String) -> TransportError {
        let text = "\(target.endpoint): \(doing): \(message(code))"
        switch code {
        case EIO, ENODEV, ENXIO, EPIPE, ECONNRESET, ECONNABORTED, ENOTCONN, EHOSTUNREACH, ENETUNREACH,
            ENETDOWN, EBADF, ESHUTDOWN:
            return .disconnected(text)
        case ETIMEDOUT:
            return .timeout(text)
        case EACCES, EPERM:
            return .permissionDenied(text)
        case EBUSY:
            return .busy(text)
        default:
            return .io(text)
        }
    }

    /// Writes all of `bytes`; each wait for the device to take more is bounded by `timeout`
    /// (the clock restarts whenever a byte is taken, so a slow but moving printer is fine).
    static func writeAll(_ fd: Int32, _ bytes: [UInt8], timeout: Duration, _ target: Target) throws(TransportError) {
        var written = 0
        var deadline = ContinuousClock.now + timeout
        while written < bytes.count {
            let n: Int = bytes.withUnsafeBufferPointer { buf in
                let base = buf.baseAddress! + written
                let count = buf.count - written
                if target.isSocket {
                    #if os(Linux)
                        return send(fd, base, count, Int32(MSG_NOSIGNAL))
                    #else
                        return send(fd, base, count, 0)
                    #endif
                }
                return write(fd, base, count)
            }
            if n > 0 {
                written += n
                deadline = ContinuousClock.now + timeout
                continue
            }
            let code = n < 0 ? errno : EAGAIN
            if code == EINTR { continue }
            guard code == EAGAIN || code == EWOULDBLOCK else {
                throw ioError(code, target, "write failed after \(written) of \(bytes.count) bytes")
            }
            let revents = wait(fd, Int16(POLLOUT), until: deadline)
            if revents == 0 {
                throw .timeout(
                    "\(target.endpoint): the device took no byte for \(format(timeout)) s "
                        + "(\(written) of \(bytes.count) bytes written)")
            }
            if revents & Int16(POLLOUT) == 0, revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0 {
                throw .disconnected(
                    "\(target.endpoint): hung up after \(written) of \(bytes.count) bytes")
            }
        }
    }

    /// Reads up to `max` bytes, waiting at most `timeout` for the first; [] when none came.
    static func readSome(_ fd: Int32, max: Int, timeout: Duration, _ target: Target) throws(TransportError) -> [UInt8] {
        guard max > 0 else { return [] }
        let deadline = ContinuousClock.now + timeout
        var buffer = [UInt8](repeating: 0, count: max)
        while true {
            let n = buffer.withUnsafeMutableBufferPointer { read(fd, $0.baseAddress!, max) }
            if n > 0 { return Array(buffer[0..<n]) }
            if n == 0 {
                throw .disconnected("\(target.endpoint): closed by the other end")
            }
            let code = errno
            if code == EINTR { continue }
            guard code == EAGAIN || code == EWOULDBLOCK else { throw ioError(code, target, "read failed") }
            let revents = wait(fd, Int16(POLLIN), until: deadline)
            if revents == 0 { return [] }
            if revents & Int16(POLLNVAL) != 0 { throw .disconnected("\(target.endpoint): descriptor closed") }
            if revents & Int16(POLLIN) == 0, revents & Int16(POLLHUP | POLLERR) != 0 {
                throw .disconnected("\(target.endpoint): hung up")
            }
            // Readable (possibly with POLLHUP): the next read returns the bytes or the precise error.
        }
    }

    /// Reads and drops whatever is waiting, without waiting.
    static func drain(_ fd: Int32) {
        var buffer = [UInt8](repeating: 0, count: 512)
        for _ in 0..<64 {
            let n = buffer.withUnsafeMutableBufferPointer { read(fd, $0.baseAddress!, 512) }
            if n <= 0 { return }
        }
    }

    static func format(_ d: Duration) -> String {
        let s = d.seconds
        return s == s.rounded() ? String(Int(s)) : String(s)
    }
}
