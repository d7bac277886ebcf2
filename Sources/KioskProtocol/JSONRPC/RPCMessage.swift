import Foundation

/// A JSON-RPC 2.0 request id: a number or a string (null for notifications and unreadable requests).
public enum RPCId: Sendable, Equatable, Hashable, Codable, CustomStringConvertible {
    case number(Int64)
    case string(String)

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let n = try? c.decode(Int64.self) { self = .number(n) } else { self = .string(try c.decode(String.self)) }
    }
    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .number(let n): try c.encode(n)
        case .string(let s): try c.encode(s)
        }
    }
    public var description: String {
        switch self {
        case .number(let n): String(n)
        case .string(let s): s
        }
    }
}

/// `{"jsonrpc":"2.0","id":7,"method":"queue.take","params":{…}}`
public struct RPCRequest: Sendable, Codable {
    public var jsonrpc: String
    public var id: RPCId?
    public var method: String
    public var params: JSONValue?

    public init(id: RPCId?, method: String, params: JSONValue? = nil) {
        self.jsonrpc = "2.0"
        self.id = id
        self.method = method
        self.params = params
    }
}

/// `error: {code, message, data: {reason, …}}`
public struct RPCError: Error, Sendable, Equatable, Codable, CustomStringConvertible {
    public var code: Int
    public var message: String
    public var data: [String: JSONValue]?

    public init(code: Int, message: String, reason: String? = nil, details: [String: String] = [:]) {
        self.code = code
        self.message = message
        var data: [String: JSONValue] = details.mapValues { .string($0) }
        if let reason { data["reason"] = .string(reason) }
        self.data = data.isEmpty ? nil : data
    }

    public var reason: String? { data?["reason"]?.stringValue }
    public var description: String { reason.map { "\(message) (\($0))" } ?? message }

    // Standard JSON-RPC codes (contract).
    public static let parseError = -32700
    public static let invalidRequest = -32600
    public static let methodNotFound = -32601
    public static let invalidParams = -32602
    public static let internalError = -32603

    public static func parse(_ message: String) -> RPCError { RPCError(code: parseError, message: message, reason: "parse_error") }
    public static func invalidRequest(_ message: String) -> RPCError { RPCError(code: invalidRequest, message: message, reason: "invalid_request") }
    public static func methodNotFound(_ method: String) -> RPCError {
        RPCError(code: methodNotFound, message: "unknown method \(method)", reason: "unknown_method")
    }
    public static func invalidParams(_ message: String) -> RPCError { RPCError(code: invalidParams, message: message, reason: "invalid_params") }
    public static func lineTooLong(limit: Int) -> RPCError {
        RPCError(code: invalidRequest, message: "line longer than \(limit) bytes; closing the connection", reason: "line_too_long")
    }
}

/// A response: exactly one of `result` and `error`.
public struct RPCResponse: Sendable, Codable {
    public var jsonrpc: String = "2.0"
    public var id: RPCId?
    public var result: JSONValue?
    public var error: RPCError?

    public init(id: RPCId?, result: JSONValue) {
        self.id = id
        self.result = result
    }
    public init(id: RPCId?, error: RPCError) {
        self.id = id
        self.error = error
    }

    // Encode `"result": null` explicitly: `queue.call` answers null when nobody waits, and a
    // response must carry `result` or `error`.
    enum CodingKeys: String, CodingKey { case jsonrpc, id, result, error }
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(jsonrpc, forKey: .jsonrpc)
        if let id { try c.encode(id, forKey: .id) } else { try c.encodeNil(forKey: .id) }
        if let error { try c.encode(error, forKey: .error) } else { try c.encode(result ?? .null, forKey: .result) }
    }
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        jsonrpc = try c.decodeIfPresent(String.self, forKey: .jsonrpc) ?? "2.0"
        id = try c.decodeIfPresent(RPCId.self, forKey: .id)
        error = try c.decodeIfPresent(RPCError.self, forKey: .error)
        result = error == nil ? (try c.decodeIfPresent(JSONValue.self, forKey: .result) ?? .null) : nil
    }
}

/// A server notification carrying one event (contract):
/// `{"jsonrpc":"2.0","method":"event","params":{"seq":N,"topic":"ticket.called","at":"…","data":{…}}}`
public struct EventMessage: Sendable, Codable {
    public struct Params: Sendable, Codable {
        public var seq: Int64
        public var topic: String
        public var at: String
        public var data: JSONValue
        public init(seq: Int64, topic: String, at: String, data: JSONValue) {
            self.seq = seq
            self.topic = topic
            self.at = at
            self.data = data
        }
    }
    public var jsonrpc = "2.0"
    public var method = "event"
    public var params: Params
    public init(params: Params) { self.params = params }
}

/// Limits of the framing (contract).
public enum Framing {
    /// A request line longer than this is refused and the connection closed.
    public static let maxLineBytes = 1 << 20
}
