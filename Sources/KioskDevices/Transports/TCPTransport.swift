import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A network receipt printer on its raw port (9100, "JetDirect"/"AppSocket"): ESC/POS bytes go
/// straight into the TCP stream and `DLE EOT` answers come back on it.
///
/// Why a non-blocking connect with `poll`: a printer switched off on the hall's LAN makes a
/// blocking `connect` hang for minutes (SYN retries); the device's I/O thread must give up
/// within `connectTimeout` and report it. Why `TCP_NODELAY`: status requests are 3-byte
/// writes that wait for a 1-byte answer; Nagle's algorithm would hold them back.
public final class TCPTransport: ByteTransport, TransportReadability {
    public let host: String
    public let port: Int
    /// "tcp://10.0.0.5:9100".
    public let endpoint: String
    public let canRead = true
    private let target: DescriptorIO.Target
    private let fd: OwnedDescriptor

    /// Connects to `host:port` (a numeric address or a name; names are resolved on the calling
    /// thread, which is the device's I/O thread).
    ///
    /// Errors carry the address: ECONNREFUSED → `notFound` (nothing listens there: wrong
    /// address, printer's network card up but the port closed); EHOSTUNREACH/ENETUNREACH →
    /// `disconnected` (printer off or cable out); no answer within `connectTimeout` → `timeout`;
    /// an unknown name → `notFound`.
    public init(host: String, port: Int = 9100, connectTimeout: Duration = .seconds(3)) throws(TransportError) {
        self.host = host
        self.port = port
        let endpoint = host.contains(":") ? "tcp://[\(host)]:\(port)" : "tcp://\(host):\(port)"
        self.endpoint = endpoint
        target = DescriptorIO.Target(endpoint: endpoint, isSocket: true)
        fd = OwnedDescriptor(try Self.connect(host: host, port: port, timeout: connectTimeout, endpoint: endpoint), label: endpoint)
    }

    deinit { close() }

    public func write(_ bytes: [UInt8], timeout: Duration) throws(TransportError) {
        try DescriptorIO.writeAll(try descriptor(), bytes, timeout: timeout, target)
    }

    public func read(max: Int, timeout: Duration) throws(TransportError) -> [UInt8] {
        try DescriptorIO.readSome(try descriptor(), max: max, timeout: timeout, target)
    }

    public func discardInput() {
        guard let d = try? descriptor() else { return }
        DescriptorIO.drain(d)
    }

    /// Closes the connection; later calls throw `disconnected`. Idempotent.
    public func close() { fd.close() }

    private func descriptor() throws(TransportError) -> Int32 { try fd.get() }

    /// Resolves `host` and tries each address in turn; the last failure is reported.
    private static func connect(host: String, port: Int, timeout: Duration, endpoint: String) throws(TransportError)
        -> Int32
    {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if canImport(Glibc)
            hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #else
            hints.ai_socktype = SOCK_STREAM
        #endif
        hints.ai_protocol = Int32(IPPROTO_TCP)
        var list: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(host, String(port), &hints, &list)
        guard rc == 0, let first = list else {
            throw .notFound("\(endpoint): cannot resolve \(host): \(String(cString: gai_strerror(rc)))")
        }
        defer { freeaddrinfo(first) }
        let deadline = ContinuousClock.now + timeout
        var lastError = TransportError.notFound("\(endpoint): no address")
        var next: UnsafeMutablePointer<addrinfo>? = first
        while let ai = next {
            next = ai.pointee.ai_next
            switch attempt(ai.pointee, deadline: deadline, timeout: timeout, endpoint: endpoint) {
            case .success(let fd): return fd
            case .failure(let e): lastError = e
            }
        }
        throw lastError
    }

    private static func attempt(
        _ ai: addrinfo, deadline: ContinuousClock.Instant, timeout: Duration, endpoint: String
    ) -> Result<Int32, TransportError> {
        #if canImport(Glibc)
            let type = ai.ai_socktype | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        #else
            let type = ai.ai_socktype
        #endif
        let fd = socket(ai.ai_family, type, ai.ai_protocol)
        guard fd >= 0 else { return .failure(.io("\(endpoint): socket: \(DescriptorIO.message(errno))")) }
        #if !canImport(Glibc)
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        #endif
        var one: Int32 = 1
        _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        #if canImport(Darwin)
            _ = setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &one, socklen_t(MemoryLayout<Int32>.size))
        #endif
        var code: Int32 = 0
        if Glibc.connect(fd, ai.ai_addr, ai.ai_addrlen) != 0 {
            code = errno
            if code == EINPROGRESS || code == EINTR {
                let revents = DescriptorIO.wait(fd, Int16(POLLOUT), until: deadline)
                if revents == 0 {
                    closeSocket(fd)
                    return .failure(
                        .timeout("\(endpoint): no answer to connect within \(DescriptorIO.format(timeout)) s"))
                }
                var soError: Int32 = 0
                var len = socklen_t(MemoryLayout<Int32>.size)
                _ = getsockopt(fd, SOL_SOCKET, SO_ERROR, &soError, &len)
                code = soError
            }
        }
        guard code != 0 else { return .success(fd) }
        closeSocket(fd)
        return .failure(connectError(code, endpoint))
    }

    static func connectError(_ code: Int32, _ endpoint: String) -> TransportError {
        let text = "\(endpoint): \(DescriptorIO.message(code))"
        switch code {
        case ECONNREFUSED: return .notFound("\(text): nothing listens there")
        case EHOSTUNREACH, ENETUNREACH, EHOSTDOWN, ENETDOWN: return .disconnected(text)
        case ETIMEDOUT: return .timeout(text)
        case EACCES, EPERM: return .permissionDenied(text)
        default: return .io(text)
        }
    }
}

/// `close(2)` for a socket, named so that it does not collide with `ByteTransport.close()`.
private func closeSocket(_ d: Int32) {
    #if canImport(Glibc)
        _ = Glibc.close(d)
    #elseif canImport(Darwin)
        _ = Darwin.close(d)
    #endif
}
