import Foundation
import KioskProtocol
import Testing

/// The request parser: strict RFC 8259, one pass, bounded nesting.
@Suite struct JSONParserTests {
    func parse(_ text: String) throws -> JSONValue { try JSONParser.parse(Array(text.utf8)) }

    @Test func parsesARequestLine() throws {
        let v = try parse(#"{"jsonrpc":"2.0","id":7,"method":"queue.take","params":{"category":"A","print":true,"x":null,"n":-1.5e2}}"#)
        #expect(v["id"] == .int(7))
        #expect(v["params"]?["category"] == .string("A"))
        #expect(v["params"]?["print"] == .bool(true))
        #expect(v["params"]?["x"] == .null)
        #expect(v["params"]?["n"] == .double(-150))
    }

    @Test func decodesEscapesAndSurrogatePairs() throws {
        #expect(try parse(#""a\"b\\c\/d\n\t\u4e2d\u6587\ud83d\ude00""#) == .string("a\"b\\c/d\n\t中文😀"))
        #expect(try parse("\"请A001号到3号窗口\"") == .string("请A001号到3号窗口"))
    }

    @Test(arguments: [
        "", " ", "{", "}", "[1,]", "{\"a\":1,}", "{\"a\" 1}", "{a:1}", "'x'", "01", "1.", ".5", "-", "1e", "+1",
        "tru", "nul", "\"abc", "\"\\x\"", "\"\\u12\"", "\"\\ud800\"", "\"\\udc00x\"", "\"tab\there\"", "[1] [2]",
        "{\"a\":1}}", "NaN", "1e999",
    ]) func refusesMalformedInput(_ text: String) {
        #expect(throws: JSONParser.Failure.self) { try parse(text) }
    }

    @Test func refusesInvalidUTF8() {
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse([0x22, 0xFF, 0xFE, 0x22]) }
    }

    @Test func nestingIsBoundedInsteadOfExhaustingTheStack() throws {
        let deep = String(repeating: "[", count: 1_000_000)
        let e = #expect(throws: JSONParser.Failure.self) { try parse(deep) }
        #expect(e?.reason.contains("deeper") == true)
        let ok = String(repeating: "[", count: JSONParser.maxDepth) + String(repeating: "]", count: JSONParser.maxDepth)
        #expect(throws: Never.self) { try parse(ok) }
    }

    @Test func integersStayExactAndLargeOnesBecomeDoubles() throws {
        #expect(try parse("9007199254740993") == .int(9_007_199_254_740_993))
        #expect(try parse("-0") == .int(0))
        #expect(try parse("99999999999999999999") == .double(1e20))
    }

    @Test func agreesWithFoundationOnRandomDocuments() throws {
        var rng = SystemRandomNumberGenerator()
        func random(_ depth: Int) -> JSONValue {
            switch (depth > 3 ? Int.random(in: 0..<5, using: &rng) : Int.random(in: 0..<7, using: &rng)) {
            case 0: return .null
            case 1: return .bool(Bool.random(using: &rng))
            case 2: return .int(Int64.random(in: -1_000_000_000_000...1_000_000_000_000, using: &rng))
            case 3: return .double(Double(Int.random(in: -1000...1000, using: &rng)) / 8 + 0.0625)  // never integral
            case 4:
                let pool = Array("aZ09 \"\\/\n\t\u{1}中文号窗口😀é")
                return .string(String((0..<Int.random(in: 0..<12, using: &rng)).map { _ in pool.randomElement(using: &rng)! }))
            case 5: return .array((0..<Int.random(in: 0..<5, using: &rng)).map { _ in random(depth + 1) })
            default:
                return .object(Dictionary((0..<Int.random(in: 0..<5, using: &rng)).map { i in ("k\(i)", random(depth + 1)) },
                    uniquingKeysWith: { a, _ in a }))
            }
        }
        for _ in 0..<500 {
            let value = random(0)
            let encoded = try JSONEncoder().encode(value)
            #expect(try JSONParser.parse(encoded) == value)
        }
    }
}
