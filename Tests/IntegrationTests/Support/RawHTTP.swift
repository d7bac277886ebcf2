import Foundation

/// A deliberately plain HTTP/1.1 client on a POSIX socket, so tests see exactly the bytes the
/// listener sends (status line, headers, an event stream as it arrives) — what a browser, curl or
/// a hall screen's own client would get.
final class RawHTTP {
    private(set) var fd: Int32
    private var buffer = Data()

    /// `receiveBuffer`: a small `SO_RCVBUF`, for a client that falls behind after a few KiB.
    init(port: Int, host: String = "127.0.0.1", receiveBuffer: Int32? = nil) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw HarnessError("socket: \(errno)") }
        if var size = receiveBuffer {
            setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        inet_pton(AF_INET, host, &addr.sin_addr)
        let r = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard r == 0 else {
            let e = errno
            close(fd)
            // deinit runs for a class whose init throws once every property is set: without this
            // it closed the number again — by then perhaps another test's file.
            fd = -1
            throw HarnessError("connect to \(host):\(port): errno \(e)")
        }
    }

    deinit { if fd >= 0 { close(fd) } }

    func send(_ text: String) {
        let bytes = Array(text.utf8)
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBufferPointer { Foundation.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return }
            sent += n
        }
    }

    /// Sends a request with `Connection: close` and returns the whole answer.
    static func request(port: Int, _ method: String, _ path: String, headers: [String: String] = [:]) throws -> Response {
        let c = try RawHTTP(port: port)
        var text = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        for (k, v) in headers { text += "\(k): \(v)\r\n" }
        c.send(text + "\r\n")
        return Response(raw: c.readToEnd(timeout: 10))
    }

    /// Reads until the peer closes or `timeout` passes.
    func readToEnd(timeout: TimeInterval) -> String {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline, readSome(until: deadline) {}
        return String(decoding: buffer, as: UTF8.self)
    }

    /// Reads until `predicate` holds for all that arrived so far, or `timeout` passes; returns it.
    func read(until predicate: (String) -> Bool, timeout: TimeInterval) -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var text = String(decoding: buffer, as: UTF8.self)
        while !predicate(text), Date() < deadline, readSome(until: deadline) {
            text = String(decoding: buffer, as: UTF8.self)
        }
        return text
    }

    /// One read (waiting at most until `deadline`); false at end of stream or on error.
    private func readSome(until deadline: Date) -> Bool {
        var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let ms = Int32(max(0, deadline.timeIntervalSinceNow * 1000))
        guard poll(&p, 1, ms) > 0 else { return Date() < deadline }
        var chunk = [UInt8](repeating: 0, count: 65_536)
        let n = recv(fd, &chunk, chunk.count, 0)
        guard n > 0 else { return false }
        buffer.append(contentsOf: chunk[0..<n])
        return true
    }

    struct Response {
        let raw: String
        var status: Int { Int(raw.split(separator: " ", maxSplits: 2).dropFirst().first ?? "") ?? 0 }
        var head: String { raw.components(separatedBy: "\r\n\r\n").first ?? "" }
        var body: String { raw.components(separatedBy: "\r\n\r\n").dropFirst().joined(separator: "\r\n\r\n") }
        func header(_ name: String) -> String? {
            for line in head.split(separator: "\r\n").dropFirst() {
                let parts = line.split(separator: ":", maxSplits: 1)
                if parts.count == 2, parts[0].lowercased() == name.lowercased() { return parts[1].trimmingCharacters(in: .whitespaces) }
            }
            return nil
        }
    }

    /// A TCP port nobody listens on right now (bound to port 0, then released).
    static func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr)
        _ = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        return Int(UInt16(bigEndian: addr.sin_port))
    }
}
