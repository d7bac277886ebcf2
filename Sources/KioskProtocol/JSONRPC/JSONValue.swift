import Foundation
import KioskCore

/// Any JSON value: request params before a handler types them, results a client prints generically.
public enum JSONValue: Sendable, Equatable, Codable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let i = try? c.decode(Int64.self) { self = .int(i) }
        else if let d = try? c.decode(Double.self) { self = .double(d) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([JSONValue].self) { self = .array(a) }
        else { self = .object(try c.decode([String: JSONValue].self)) }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .null: try c.encodeNil()
        case .bool(let b): try c.encode(b)
        case .int(let i): try c.encode(i)
        case .double(let d): try c.encode(d)
        case .string(let s): try c.encode(s)
        case .array(let a): try c.encode(a)
        case .object(let o): try c.encode(o)
        }
    }

    public subscript(key: String) -> JSONValue? {
        if case .object(let o) = self { return o[key] }
        return nil
    }

    public var stringValue: String? { if case .string(let s) = self { s } else { nil } }
    public var intValue: Int64? {
        switch self {
        case .int(let i): i
        case .double(let d) where d == d.rounded(): Int64(d)
        default: nil
        }
    }
    public var arrayValue: [JSONValue]? { if case .array(let a) = self { a } else { nil } }
    public var objectValue: [String: JSONValue]? { if case .object(let o) = self { o } else { nil } }
    public var isNull: Bool { self == .null }

    /// Plain text for tables: strings unquoted, null empty, containers as compact JSON.
    public var plainText: String {
        switch self {
        case .null: ""
        case .bool(let b): b ? "yes" : "no"
        case .int(let i): String(i)
        case .double(let d): d == d.rounded() && abs(d) < 1e15 ? String(Int64(d)) : String(format: "%.2f", d)
        case .string(let s): s
        case .array, .object: (try? JSONCoding.string(self)) ?? ""
        }
    }

    /// Converts any Encodable into a JSONValue (through JSON).
    public init<T: Encodable>(encoding value: T) throws {
        self = try JSONCoding.decoder.decode(JSONValue.self, from: JSONCoding.encoder.encode(value))
    }

    /// Converts any Encodable into a JSONValue, its dates in `timeZone`'s offset: what a result
    /// whose dates a person reads (a device's `health.since`) is built with, in the hall's zone.
    public init<T: Encodable>(encoding value: T, timeZone: TimeZone) throws {
        self = try JSONCoding.decoder.decode(JSONValue.self, from: JSONCoding.encoder(timeZone: timeZone).encode(value))
    }

    /// Decodes this value as `T` (through JSON).
    public func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try JSONCoding.decoder.decode(T.self, from: JSONCoding.encoder.encode(self))
    }
}

/// The one JSON configuration used on the wire: compact, sorted keys (stable output for diffs).
public enum JSONCoding {
    public static var encoder: JSONEncoder { encoder(timeZone: TimeZone(identifier: "UTC")!) }

    /// Any Date that reaches the wire is ISO 8601 with offset (contract), never seconds; results
    /// pass the hall's zone so a person reads hall time.
    public static func encoder(timeZone: TimeZone) -> JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        e.dateEncodingStrategy = .custom { date, encoder in
            var c = encoder.singleValueContainer()
            try c.encode(ISO8601.string(date, timeZone: timeZone))
        }
        return e
    }
    public static var decoder: JSONDecoder { JSONDecoder() }

    public static func string<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
