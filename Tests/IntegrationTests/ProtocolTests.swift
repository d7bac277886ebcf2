import Foundation
import KioskClient
import KioskProtocol
import KioskTestSupport
import Testing

/// The framing, errors and roles of the socket protocol, against the real daemon. Every bad
/// input gets its documented error and changes nothing.
@Suite(.serialized) struct ProtocolTests {
    let daemon: DaemonHarness

    init() throws {
        daemon = try DaemonHarness()
        try daemon.start()
    }

    func ticketCount(_ c: KioskClient) throws -> Int64 {
        try #require(c.call("daemon.status")["tickets"]?.intValue)
    }

    @Test func malformedJSONAnswersParseErrorAndConnectionStaysUsable() throws {
        let c = try daemon.client()
        try c.send(Data("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\n".utf8))
        let error = try c.readMessage()
        #expect(error["error"]?["code"] == .int(-32700))
        #expect(error["id"] == .null)
        try c.send(Data("\u{1}\u{2}garbage\n".utf8))
        #expect(try c.readMessage()["error"]?["code"] == .int(-32700))
        // Still usable:
        #expect(try c.call("daemon.status")["hall"]?["code"] == .string("500107-01"))
    }

    @Test func oversizedLineIsRefusedAndClosedWhileOthersAreServed() throws {
        let other = try daemon.client()
        let c = try daemon.client()
        let before = try ticketCount(other)
        var big = Data("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"queue.take\",\"params\":{\"category\":\"A\",\"pad\":\"".utf8)
        big.append(Data(repeating: 0x61, count: (1 << 20) + 10))
        try? c.send(big)
        let answer = try c.readMessage()
        #expect(answer["error"]?["data"]?["reason"] == .string("line_too_long"))
        #expect(throws: KioskClient.ClientError.self) { try c.readLine() }  // closed
        #expect(try ticketCount(other) == before)
        #expect(try other.call("queue.take", .object(["category": "A"]))["number"] != nil)
    }

    @Test func unknownMethodAnswersMethodNotFound() throws {
        let e = rpcError { try daemon.client().call("queue.takeAll") }
        #expect(e?.code == -32601)
        #expect(e?.reason == "unknown_method")
    }

    @Test func invalidRequestsAnswerInvalidRequest() throws {
        let c = try daemon.client()
        for line in [#"[1,2,3]"#, #"{"jsonrpc":"1.0","id":3,"method":"daemon.status"}"#, #"{"jsonrpc":"2.0","id":4}"#,
            #"{"jsonrpc":"2.0","id":{"a":1},"method":"daemon.status"}"#] {
            try c.send(Data((line + "\n").utf8))
            let answer = try c.readMessage()
            #expect(answer["error"]?["code"] == .int(-32600), "\(line)")
            // Not `line_too_long` (same code, but it closes the connection).
            #expect(answer["error"]?["data"]?["reason"] == .string("invalid_request"), "\(line): \(answer)")
        }
        // The id is echoed when it was readable.
        try c.send(Data(#"{"jsonrpc":"1.0","id":3,"method":"daemon.status"}"#.utf8 + [0x0A]))
        #expect(try c.readMessage()["id"] == .int(3))
    }

    @Test func missingAndMistypedParamsAnswerInvalidParamsNamingTheKey() throws {
        let c = try daemon.client()
        let before = try ticketCount(c)
        let missing = rpcError { try c.call("queue.take", .object([:])) }
        #expect(missing?.code == -32602)
        #expect(missing?.message.contains("category") == true)
        let mistyped = rpcError { try c.call("queue.call", .object(["window": .int(1)])) }
        #expect(mistyped?.code == -32602)
        #expect(mistyped?.message.contains("params.window") == true)
        let notObject = rpcError { try c.call("queue.take", .array([.string("A")])) }
        #expect(notObject?.code == -32602)
        let badScore = rpcError { try c.call("evaluation.submit", .object(["ticket": 1, "score": 9])) }
        #expect(badScore?.code == -32602)
        #expect(try ticketCount(c) == before)
    }

    @Test func unknownCategoryWindowAndTicketAnswerNotFoundAndChangeNothing() throws {
        let c = try daemon.client()
        let before = try ticketCount(c)
        #expect(rpcError { try c.call("queue.take", .object(["category": "Z"])) }?.reason == "not_found")
        #expect(rpcError { try c.call("window.open", .object(["window": "99", "staff": "x"])) }?.reason == "not_found")
        #expect(rpcError { try c.call("queue.cancel", .object(["ticket": 424242])) }?.reason == "not_found")
        #expect(rpcError { try c.call("queue.ticket", .object(["number": "A999"])) }?.reason == "not_found")
        #expect(try ticketCount(c) == before)
    }

    @Test func invalidIDNumberIsRefusedAndNothingIssued() throws {
        let c = try daemon.client()
        let before = try ticketCount(c)
        let e = rpcError { try c.call("queue.take", .object(["category": "A", "idNumber": "110105194912310021"])) }
        #expect(e?.reason == "invalid_id_number")
        #expect(e.map { !$0.message.contains("110105194912310021") } == true)
        #expect(try ticketCount(c) == before)
    }

    @Test func aRoleWithoutTheRightIsForbiddenAndNothingChanges() throws {
        let display = try daemon.client(role: "display")
        let before = try ticketCount(display)
        let e = rpcError { try display.call("queue.take", .object(["category": "A"])) }
        #expect(e?.reason == "forbidden")
        #expect(e?.code == 1001)
        #expect(rpcError { try display.call("window.open", .object(["window": "1", "staff": "x"])) }?.reason == "forbidden")
        #expect(try ticketCount(display) == before)
        // Reading is allowed.
        #expect(try display.call("queue.categories").arrayValue?.count == 4)
        // A kiosk cannot operate windows; a counter can.
        let kiosk = try daemon.client(role: "kiosk")
        #expect(rpcError { try kiosk.call("queue.call", .object(["window": "1"])) }?.reason == "forbidden")
        let counter = try daemon.client(role: "counter")
        #expect(rpcError { try counter.call("window.open", .object(["window": "1", "staff": "李"])) } == nil)
    }

    @Test func helloLowersButNeverRaisesARole() throws {
        let c = try daemon.client(role: "kiosk")
        #expect(rpcError { try c.call("session.hello", .object(["role": "admin"])) }?.reason == "forbidden")
        #expect(rpcError { try c.call("session.hello", .object(["role": "counter"])) }?.reason == "forbidden")
        #expect(try c.call("session.hello", .object(["role": "display"]))["role"] == .string("display"))
        #expect(rpcError { try c.call("queue.take", .object(["category": "A"])) }?.reason == "forbidden")
        #expect(rpcError { try c.call("session.hello", .object(["role": "wizard"])) }?.code == -32602)
    }

    @Test func notificationsWithoutIdGetNoAnswer() throws {
        let c = try daemon.client()
        try c.send(Data(#"{"jsonrpc":"2.0","method":"daemon.status"}"#.utf8 + [0x0A]))
        try c.send(Data(#"{"jsonrpc":"2.0","id":"x","method":"daemon.status"}"#.utf8 + [0x0A]))
        #expect(try c.readMessage()["id"] == .string("x"))
    }

    @Test func socketIsOwnerAndGroupOnly() throws {
        let attrs = try FileManager.default.attributesOfItem(atPath: daemon.socket)
        #expect((attrs[.posixPermissions] as? Int) == 0o660)
    }

    @Test func aSecondDaemonOnTheSameSocketRefusesToStart() throws {
        let second = try ToolRun.run(DaemonHarness.binary("kioskd"), ["--config", daemon.configPath], timeout: 30)
        #expect(second.status != 0 && !second.timedOut)
        #expect(try daemon.client().call("daemon.status")["pid"]?.intValue == Int64(daemon.process!.processIdentifier))
    }

    @Test func aClientThatHalfClosesStillGetsItsAnswers() throws {
        let c = try daemon.client()
        try c.send(Data(#"{"jsonrpc":"2.0","id":1,"method":"queue.take","params":{"category":"C"}}"#.utf8 + [0x0A]))
        try c.send(Data(#"{"jsonrpc":"2.0","id":2,"method":"daemon.status"}"#.utf8 + [0x0A]))
        c.finishSending()
        let first = try c.readMessage()
        #expect(first["id"] == .int(1))
        #expect(first["result"]?["number"]?.stringValue?.hasPrefix("C") == true)
        #expect(try c.readMessage()["id"] == .int(2))
        #expect(throws: KioskClient.ClientError.self) { try c.readLine() }  // then closed
    }

    @Test func nullParamsReadAsNoParams() throws {
        let c = try daemon.client()
        try c.send(Data(#"{"jsonrpc":"2.0","id":1,"method":"daemon.status","params":null}"#.utf8 + [0x0A]))
        #expect(try c.readMessage()["result"]?["hall"] != nil)
        try c.send(Data(#"{"jsonrpc":"2.0","id":2,"method":"queue.take","params":null}"#.utf8 + [0x0A]))
        let e = try c.readMessage()["error"]
        #expect(e?["code"] == .int(-32602))
        #expect(e?["message"]?.stringValue?.contains("params.category") == true)
    }

    @Test func deeplyNestedGarbageIsAParseErrorNotACrash() throws {
        let c = try daemon.client()
        try c.send(Data(String(repeating: "[", count: 500_000).utf8 + [0x0A]))
        #expect(try c.readMessage()["error"]?["code"] == .int(-32700))
        #expect(try c.call("daemon.status")["hall"] != nil)
    }
}
