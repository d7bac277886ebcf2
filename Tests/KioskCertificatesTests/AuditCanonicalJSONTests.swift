import Foundation
import Testing

@testable import KioskCertificates

/// The one text form of audit details.
@Suite("Audit: canonical JSON")
struct AuditCanonicalJSONTests {
    @Test func keysAreSortedAndThereIsNoWhitespace() {
        let value: CanonicalJSON = [
            "serial": "500107-01-20261121-0007", "department": "health", "copies": 1, "release": true,
            "nested": ["b": [1, 2, nil], "a": false],
        ]
        #expect(value.text == #"{"copies":1,"department":"health","nested":{"a":false,"b":[1,2,null]},"release":true,"serial":"500107-01-20261121-0007"}"#)
    }

    @Test func keysSortByTheirUTF8Bytes() {
        let value: CanonicalJSON = ["张": 4, "é": 3, "a": 2, "B": 1, "😀": 5, "\u{FFFD}": 6]
        // B (42) < a (61) < é (C3 A9) < 张 (E5 BC A0) < U+FFFD (EF BF BD) < 😀 (F0 9F 98 80)
        #expect(value.text == "{\"B\":1,\"a\":2,\"é\":3,\"张\":4,\"\u{FFFD}\":6,\"😀\":5}")
    }

    @Test func onlyQuotesBackslashesAndControlCharactersAreEscaped() {
        let value = CanonicalJSON.string("a\"b\\c/d\n\t\r\u{8}\u{C}\u{1}\u{1F} 张三 😀 \u{7F}\u{2028}")
        #expect(value.text == "\"a\\\"b\\\\c/d\\n\\t\\r\\b\\f\\u0001\\u001f 张三 😀 \u{7F}\u{2028}\"")
    }

    @Test func integersAreDecimal() {
        let value: CanonicalJSON = [0, -1, .int(Int64.max), .int(Int64.min)]
        #expect(value.text == "[0,-1,9223372036854775807,-9223372036854775808]")
    }

    @Test func theInsertionOrderOfKeysDoesNotMatter() {
        let keys = ["orderId", "department", "approver", "sealDigest", "reason", "张三"]
        let reference = CanonicalJSON.object(Dictionary(uniqueKeysWithValues: keys.map { ($0, CanonicalJSON.string($0)) })).text
        for _ in 0..<10 {
            var members: [String: CanonicalJSON] = [:]
            for key in keys.shuffled() { members[key] = .string(key) }
            #expect(CanonicalJSON.object(members).text == reference)
        }
    }

    @Test func theTextIsValidJSONWithTheSameValues() throws {
        let value: CanonicalJSON = ["text": "引号\"反斜杠\\换行\n\u{0}", "list": [true, nil, -7], "empty": [:], "none": []]
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(value.text.utf8)) as? [String: Any])
        #expect(parsed["text"] as? String == "引号\"反斜杠\\换行\n\u{0}")
        #expect((parsed["list"] as? [Any])?.count == 3)
        #expect((parsed["empty"] as? [String: Any])?.isEmpty == true)
        #expect((parsed["none"] as? [Any])?.isEmpty == true)
    }
}
