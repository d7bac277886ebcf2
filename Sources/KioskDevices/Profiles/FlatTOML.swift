/// The small subset of TOML that device profiles use: `key = value` lines with strings, integers,
/// booleans and arrays of strings, `#` comments and blank lines. No tables, no dotted keys, no
/// multi-line values.
///
/// Why not TOMLKit: KioskDevices must stay free of it (only KioskConfig links it), and a profile
/// is deliberately flat so a technician can write one from a sample. Every error names its line.
public enum FlatTOML {
    public enum Value: Sendable, Equatable {
        case string(String)
        case integer(Int)
        case boolean(Bool)
        case strings([String])

        /// The TOML type name, for "expected a string, found an integer".
        public var typeName: String {
            switch self {
            case .string: "a string"
            case .integer: "an integer"
            case .boolean: "a boolean"
            case .strings: "an array of strings"
            }
        }
    }

    /// One `key = value`, with the line it came from (1-based).
    public struct Entry: Sendable, Equatable {
        public var key: String
        public var value: Value
        public var line: Int
    }

    /// A parse error at a line (1-based).
    public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        public var line: Int
        public var message: String
        public var description: String { "line \(line): \(message)" }
    }

    /// The entries in file order. Throws on the first malformed line or a repeated key.
    public static func parse(_ text: String) throws(ParseError) -> [Entry] {
        var entries: [Entry] = []
        var seen: [String: Int] = [:]
        for (index, raw) in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).enumerated() {
            let line = index + 1
            var rest = raw  // "\r\n" is one Character in Swift: the split above handles CRLF
            skipSpaces(&rest)
            if rest.isEmpty || rest.first == "#" { continue }
            if rest.first == "[" {
                throw ParseError(line: line, message: "tables are not supported in a profile: use flat key = value lines")
            }
            let key = rest.prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }
            guard !key.isEmpty, key.allSatisfy(\.isASCII) else {
                throw ParseError(line: line, message: "expected a key (letters, digits, _ or -)")
            }
            rest = rest.dropFirst(key.count)
            skipSpaces(&rest)
            guard rest.first == "=" else { throw ParseError(line: line, message: "expected = after \(key)") }
            rest = rest.dropFirst()
            skipSpaces(&rest)
            let value = try parseValue(&rest, line: line)
            skipSpaces(&rest)
            guard rest.isEmpty || rest.first == "#" else {
                throw ParseError(line: line, message: "unexpected text after the value: \(rest)")
            }
            if let first = seen[String(key)] {
                throw ParseError(line: line, message: "\(key) is already set on line \(first)")
            }
            seen[String(key)] = line
            entries.append(Entry(key: String(key), value: value, line: line))
        }
        return entries
    }

    private static func parseValue(_ s: inout Substring, line: Int) throws(ParseError) -> Value {
        guard let first = s.first else { throw ParseError(line: line, message: "missing value") }
        switch first {
        case "\"": return .string(try parseString(&s, line: line))
        case "[":
            s = s.dropFirst()
            var items: [String] = []
            while true {
                skipSpaces(&s)
                if s.first == "]" {
                    s = s.dropFirst()
                    return .strings(items)
                }
                guard s.first == "\"" else {
                    throw ParseError(line: line, message: "arrays hold strings only, and must close on the same line")
                }
                items.append(try parseString(&s, line: line))
                skipSpaces(&s)
                if s.first == "," { s = s.dropFirst() } else if s.first != "]" {
                    throw ParseError(line: line, message: "expected , or ] in the array")
                }
            }
        default:
            let word = s.prefix { !$0.isWhitespace && $0 != "#" }
            s = s.dropFirst(word.count)
            switch word {
            case "true": return .boolean(true)
            case "false": return .boolean(false)
            default:
                let digits = word.replacingOccurrences(of: "_", with: "")
                if let n = Int(digits) { return .integer(n) }
                if digits.hasPrefix("0x"), let n = Int(digits.dropFirst(2), radix: 16) { return .integer(n) }
                throw ParseError(
                    line: line, message: "unsupported value \(word): use \"text\", an integer, true/false or [\"a\", \"b\"]")
            }
        }
    }

    /// A basic string: "…" with \" \\ \n \t \uXXXX escapes.
    private static func parseString(_ s: inout Substring, line: Int) throws(ParseError) -> String {
        s = s.dropFirst()
        var out = ""
        while let c = s.first {
            s = s.dropFirst()
            switch c {
            case "\"": return out
            case "\\":
                guard let e = s.first else { break }
                s = s.dropFirst()
                switch e {
                case "\"": out.append("\"")
                case "\\": out.append("\\")
                case "n": out.append("\n")
                case "t": out.append("\t")
                case "u":
                    let hex = s.prefix(4)
                    guard hex.count == 4, let v = UInt32(hex, radix: 16), let scalar = Unicode.Scalar(v) else {
                        throw ParseError(line: line, message: "bad \\u escape in a string")
                    }
                    s = s.dropFirst(4)
                    out.unicodeScalars.append(scalar)
                default: throw ParseError(line: line, message: "unknown escape \\\(e) in a string")
                }
            default: out.append(c)
            }
        }
        throw ParseError(line: line, message: "unterminated string")
    }

    private static func skipSpaces(_ s: inout Substring) {
        while let c = s.first, c == " " || c == "\t" { s = s.dropFirst() }
    }
}
