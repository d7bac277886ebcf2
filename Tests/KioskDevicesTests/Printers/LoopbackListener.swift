import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A TCP server on 127.0.0.1 that plays a network receipt printer (raw port 9100): it records
/// the bytes of each connection, answering `DLE EOT n` with "all fine" status bytes, and can
/// drop its connections as a printer with an idle timeout does.
final class LoopbackListener: Sendable {
    private struct Inner: Sendable {
        /// Bytes of each accepted connection, in order.
        var connections: [[UInt8]] = []
        var closed = 0
        var open: [Int32] = []
    }

    let port: Int
    private let listener: Int32
    private let inner = Mutex(Inner())

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &addr) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { sa in
                bind(fd, sa, len) == 0 && listen(fd, 4) == 0 && getsockname(fd, sa, &len) == 0
            }
        }
        guard ok else { throw POSIXError(.EADDRINUSE) }
        port = Int(UInt16(bigEndian: addr.sin_port))
        listener = fd
        Thread { [self] in acceptLoop() }.start()
    }

    deinit {
        shutdown(listener, Int32(SHUT_RDWR))
        Glibc.close(listener)
    }

    /// Waits for the first connection to close, then returns everything sent on it.
    func receivedAfterClose(timeout: Duration = .seconds(5)) -> [UInt8] {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline, inner.withLock({ $0.closed == 0 }) { usleep(2000) }
        return inner.withLock { $0.connections.first ?? [] }
    }

    /// Everything received so far, per connection.
    var connections: [[UInt8]] { inner.withLock { $0.connections } }

    /// Drops every open connection from the printer's side (an idle timeout on a network printer).
    func dropConnections() {
        // Under the lock: a connection's thread closes its descriptor under the same lock, so a
        // number shut down here is never one already closed and reused by someone else.
        inner.withLock { i in for c in i.open { shutdown(c, Int32(SHUT_RDWR)) } }
        let deadline = ContinuousClock.now + .seconds(2)
        while ContinuousClock.now < deadline, inner.withLock({ !$0.open.isEmpty }) { usleep(1000) }
    }

    private func acceptLoop() {
        while true {
            let c = accept(listener, nil, nil)
            guard c >= 0 else { return }
            let index = inner.withLock { i -> Int in
                i.connections.append([])
                i.open.append(c)
                return i.connections.count - 1
            }
            Thread { [self] in serve(c, index) }.start()
        }
    }

    private func serve(_ c: Int32, _ index: Int) {
        var buffer = [UInt8](repeating: 0, count: 4096)
        var scanned = 0
        while true {
            let n = read(c, &buffer, buffer.count)
            if n <= 0 { break }
            let replies = inner.withLock { i -> [UInt8] in
                i.connections[index] += buffer[0..<n]
                let received = i.connections[index]
                var out: [UInt8] = []
                while scanned + 2 < received.count {
                    if received[scanned] == 0x10, received[scanned + 1] == 0x04 {
                        out.append(0x12)
                        scanned += 3
                    } else {
                        scanned += 1
                    }
                }
                return out
            }
            if !replies.isEmpty { _ = send(c, replies, replies.count, Int32(MSG_NOSIGNAL)) }
        }
        inner.withLock { i in
            i.closed += 1
            i.open.removeAll { $0 == c }
            Glibc.close(c)
        }
    }
}

/// A port on 127.0.0.1 where nothing listens: a socket bound to it (so no one else takes it)
/// but never listening, so a connect is refused.
final class RefusingPort: Sendable {
    let port: Int
    private let fd: Int32

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &addr) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { sa in
                bind(fd, sa, len) == 0 && getsockname(fd, sa, &len) == 0
            }
        }
        guard fd >= 0, ok else { throw POSIXError(.EADDRINUSE) }
        port = Int(UInt16(bigEndian: addr.sin_port))
        self.fd = fd
    }

    deinit { Glibc.close(fd) }
}
