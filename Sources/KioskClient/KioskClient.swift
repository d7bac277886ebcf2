import Foundation
import KioskProtocol

#if canImport(Glibc)
import Glibc
#endif

/// A small blocking client of the kioskd socket, for kioskctl, tests and benchmarks.
/// One request at a time; events that arrive while waiting for an answer are kept for
/// `nextEvent`.
public final class KioskClient {
    public enum ClientError: Error, CustomStringConvertible {
        case connect(String, String)
        case closed
        case timeout
        case badMessage(String)
        public var description: String {
            switch self {
            case .connect(let path, let why): "cannot connect to \(path): \(why)"
            case .closed: "kioskd closed the connection"
            case .timeout: "no answer from kioskd in time"
            case .badMessage(let m): "unreadable message from kioskd: \(m)"
            }
        }
    }

    public let socketPath: String
    private let fd: Int32
    private var buffer: [UInt8] = []
    private var nextId: Int64 = 1
    private var pendingEvents: [EventMessage.Params] = []
    /// Seconds to wait for an answer; nil waits forever.
    public var timeout: Double?

    public init(socketPath: String, timeout: Double? = 30) throws {
        self.socketPath = socketPath
        self.timeout = timeout
        // Connected before it is stored: were `fd` set first, a failed connect would close it
        // here and `deinit` (which runs for a class whose stored properties are all set) again —
        // by then perhaps a descriptor another thread had just opened.
        fd = try Self.connect(socketPath)
    }

    private static func connect(_ socketPath: String) throws -> Int32 {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ClientError.connect(socketPath, String(cString: strerror(errno))) }
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(socketPath.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: addr.sun_path) else {
            close(fd)
            throw ClientError.connect(socketPath, "path too long")
        }
        withUnsafeMutableBytes(of: &addr.sun_path) { $0.copyBytes(from: bytes + [0]) }
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard rc == 0 else {
            let why = String(cString: strerror(errno))
            close(fd)
            throw ClientError.connect(socketPath, why)
        }
        return fd
    }

    deinit { close(fd) }

    /// Calls `method` and returns its result, or throws the daemon's `RPCError`.
    @discardableResult
    public func call(_ method: String, _ params: JSONValue = .object([:])) throws -> JSONValue {
        let id = nextId
        nextId += 1
        let request = RPCRequest(id: .number(id), method: method, params: params)
        var data = try JSONCoding.encoder.encode(request)
        data.append(0x0A)
        try send(data)
        while true {
            let message = try readMessage()
            if let event = Self.event(message) {
                pendingEvents.append(event)
                continue
            }
            guard message["id"] == .int(id) || message["id"] == .null || message["id"] == nil else { continue }
            if let error = message["error"] {
                var data = error["data"]?.objectValue
                if data?.isEmpty == true { data = nil }
                var rpc = RPCError(code: Int(error["code"]?.intValue ?? 0), message: error["message"]?.stringValue ?? "")
                rpc.data = data
                throw rpc
            }
            return message["result"] ?? .null
        }
    }

    @discardableResult
    public func call<P: Encodable>(_ method: String, params: P) throws -> JSONValue {
        try call(method, JSONValue(encoding: params))
    }

    /// The next event after `events.subscribe`; nil on timeout.
    public func nextEvent(timeout seconds: Double?) throws -> EventMessage.Params? {
        if !pendingEvents.isEmpty { return pendingEvents.removeFirst() }
        let saved = timeout
        timeout = seconds
        defer { timeout = saved }
        do {
            while true {
                if let event = Self.event(try readMessage()) { return event }
            }
        } catch ClientError.timeout {
            return nil
        }
    }

    /// An event notification's params, or nil for any other message.
    static func event(_ message: JSONValue) -> EventMessage.Params? {
        guard message["method"] == .string("event"), let p = message["params"], let seq = p["seq"]?.intValue,
            let topic = p["topic"]?.stringValue
        else { return nil }
        return EventMessage.Params(seq: seq, topic: topic, at: p["at"]?.stringValue ?? "", data: p["data"] ?? .null)
    }

    /// Writes raw bytes (tests of the framing).
    public func send(_ data: Data) throws {
        var offset = 0
        while offset < data.count {
            let n = data.withUnsafeBytes { write(fd, $0.baseAddress! + offset, data.count - offset) }
            if n < 0 {
                if errno == EINTR { continue }
                throw ClientError.closed
            }
            offset += n
        }
    }

    /// Shuts down the sending side; answers to requests already sent still arrive.
    public func finishSending() { shutdown(fd, Int32(SHUT_WR)) }

    /// Reads one line and parses it as JSON.
    public func readMessage() throws -> JSONValue {
        let line = try readLine()
        do {
            return try JSONParser.parse(line)
        } catch {
            throw ClientError.badMessage(String(decoding: line.prefix(200), as: UTF8.self))
        }
    }

    /// Reads one raw line (without the newline).
    public func readLine() throws -> [UInt8] {
        let deadline = timeout.map { Date().addingTimeInterval($0) }
        while true {
            if let nl = buffer.firstIndex(of: 0x0A) {
                let line = Array(buffer[..<nl])
                buffer.removeSubrange(...nl)
                return line
            }
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let waitMs = deadline.map { max(0, Int32($0.timeIntervalSinceNow * 1000)) } ?? -1
            let ready = poll(&pfd, 1, waitMs)
            if ready < 0 {
                if errno == EINTR { continue }
                throw ClientError.closed
            }
            if ready == 0 { throw ClientError.timeout }
            var chunk = [UInt8](repeating: 0, count: 65536)
            let n = read(fd, &chunk, chunk.count)
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw ClientError.closed }
            buffer.append(contentsOf: chunk[..<n])
        }
    }
}
