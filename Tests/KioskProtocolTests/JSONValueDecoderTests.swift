import Foundation
import KioskProtocol
import Testing

/// Params are typed from the parsed tree, with the same errors `JSONDecoder` gives.
@Suite struct JSONValueDecoderTests {
    func tree(_ text: String) throws -> JSONValue { try JSONParser.parse(Array(text.utf8)) }

    @Test func decodesNestedParamsOptionalsArraysAndMaps() throws {
        let v = try tree(#"""
            {"orderId":"o-1","type":"food","holder":{"name":"张三","idNumber":"11010519491231002X"},
             "fields":{"unitName":"重庆小面"},"department":"health",
             "acceptedBy":{"id":"a01","name":"甲"},"approvedBy":{"id":"b02","name":"乙"}}
            """#)
        let p = try JSONValueDecoder.decode(CertSubmitParams.self, from: v)
        #expect(p.orderId == "o-1")
        #expect(p.holder.name == "张三")
        #expect(p.fields == ["unitName": "重庆小面"])
        #expect(p.delivery == nil)
        let topics = try JSONValueDecoder.decode(SubscribeParams.self, from: try tree(#"{"topics":["ticket.*","cert.*"],"since":4}"#))
        #expect(topics.topics == ["ticket.*", "cert.*"])
        #expect(topics.since == 4)
    }

    @Test func aMissingKeyIsKeyNotFound() throws {
        #expect {
            try JSONValueDecoder.decode(WindowParams.self, from: try tree("{}"))
        } throws: { error in
            guard case DecodingError.keyNotFound(let key, _) = error else { return false }
            return key.stringValue == "window"
        }
    }

    @Test func aWrongTypeIsTypeMismatchWithItsPath() throws {
        #expect {
            try JSONValueDecoder.decode(SubscribeParams.self, from: try tree(#"{"topics":["a",7]}"#))
        } throws: { error in
            guard case DecodingError.typeMismatch(_, let ctx) = error else { return false }
            return ctx.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue } == ["topics", "1"]
        }
    }

    @Test func nullForARequiredValueIsValueNotFound() throws {
        #expect {
            try JSONValueDecoder.decode(WindowParams.self, from: try tree(#"{"window":null}"#))
        } throws: { error in
            if case DecodingError.valueNotFound = error { return true }
            return false
        }
    }

    @Test func integersMustBeWholeAndInRange() throws {
        #expect(try JSONValueDecoder.decode(TicketParams.self, from: try tree(#"{"ticket":3}"#)).ticket == 3)
        #expect(throws: DecodingError.self) { try JSONValueDecoder.decode(TicketParams.self, from: try tree(#"{"ticket":1.5}"#)) }
        #expect(throws: DecodingError.self) {
            try JSONValueDecoder.decode(TicketParams.self, from: try tree(#"{"ticket":18446744073709551616}"#))
        }
        #expect(throws: DecodingError.self) { try JSONValueDecoder.decode(TicketParams.self, from: try tree(#"{"ticket":"3"}"#)) }
    }

    @Test func doublesAcceptIntegers() throws {
        #expect(try JSONValueDecoder.decode(IDCardReadParams.self, from: try tree(#"{"timeoutSeconds":5}"#)).timeoutSeconds == 5)
    }
}

/// Documented limits are enforced, not cut: `checkLimits` names the limit.
@Suite struct ParamLimitTests {
    func message(_ body: () throws -> Void) -> String? {
        do { try body(); return nil } catch let e as RPCError { return e.code == RPCError.invalidParams ? e.message : "code \(e.code)" } catch { return "\(error)" }
    }

    @Test func staffLongerThan64IsRefused() {
        #expect(message { try WindowParams(window: "1", staff: String(repeating: "王", count: 64)).checkLimits() } == nil)
        let m = message { try WindowParams(window: "1", staff: String(repeating: "王", count: 5_000)).checkLimits() }
        #expect(m?.contains("64") == true)
        #expect(m?.contains("staff") == true)
    }

    @Test func reasonLongerThan200IsRefused() {
        #expect(message { try TicketParams(ticket: 1, reason: String(repeating: "x", count: 200)).checkLimits() } == nil)
        #expect(message { try TicketParams(ticket: 1, reason: String(repeating: "x", count: 100_000)).checkLimits() }?.contains("200") == true)
    }

    @Test(arguments: [-1, 0, 1_001]) func rowCountsOutsideOneToAThousandAreRefused(_ n: Int) {
        #expect(message { try AuditTailParams(n: n).checkLimits() }?.contains("between 1 and 1000") == true)
        #expect(message { try CertListParams(limit: n).checkLimits() }?.contains("between 1 and 1000") == true)
    }

    @Test(arguments: [1, 1_000]) func rowCountsAtTheBoundsPass(_ n: Int) {
        #expect(message { try AuditTailParams(n: n).checkLimits() } == nil)
        #expect(message { try CertListParams(limit: n).checkLimits() } == nil)
    }
}
