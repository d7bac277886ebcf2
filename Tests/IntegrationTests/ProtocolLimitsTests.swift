import Foundation
import KioskClient
import KioskProtocol
import Testing

/// Limits the protocol documents are enforced, not cut silently; the envelope's edge cases get
/// the answer JSON-RPC prescribes.
@Suite(.serialized) struct ProtocolLimitsTests {
    let daemon: DaemonHarness

    init() throws {
        daemon = try DaemonHarness()
        try daemon.start()
    }

    @Test func aStaffNameOverSixtyFourCharactersIsRefusedNotCut() throws {
        let c = try daemon.client()
        let e = rpcError { try c.call("window.open", ["window": "1", "staff": .string(String(repeating: "王", count: 5_000))]) }
        #expect(e?.reason == "invalid_params")
        #expect(e?.message.contains("64") == true)
        #expect(try c.call("window.list").arrayValue?.first { $0["id"] == "1" }?["status"] == .string("closed"))
    }

    @Test func aCancelReasonOverTwoHundredCharactersIsRefusedAndTheTicketStaysWaiting() throws {
        let c = try daemon.client()
        let t = try c.call("queue.take", ["category": "C"])
        let id = try #require(t["id"]?.intValue)
        let e = rpcError { try c.call("queue.cancel", ["ticket": .int(id), "reason": .string(String(repeating: "x", count: 100_000))]) }
        #expect(e?.reason == "invalid_params")
        #expect(e?.message.contains("200") == true)
        #expect(try c.call("queue.ticket", ["id": .int(id)])["state"] == .string("waiting"))
    }

    @Test(arguments: [-1, 0, 1_001]) func auditTailAndCertListRefuseCountsOutsideTheirRange(_ n: Int) throws {
        let c = try daemon.client()
        #expect(rpcError { try c.call("audit.tail", ["n": .int(Int64(n))]) }?.message.contains("between 1 and 1000") == true)
        #expect(rpcError { try c.call("cert.list", ["limit": .int(Int64(n))]) }?.message.contains("between 1 and 1000") == true)
    }

    @Test func aNotificationIsNeverAnsweredEvenWithBadParams() throws {
        let c = try daemon.client()
        try c.send(Data(#"{"jsonrpc":"2.0","method":"daemon.status","params":[]}"#.utf8 + [0x0A]))
        try c.send(Data(#"{"jsonrpc":"2.0","method":"queue.take","params":{"category":7}}"#.utf8 + [0x0A]))
        try c.send(Data(#"{"jsonrpc":"2.0","id":"next","method":"daemon.status"}"#.utf8 + [0x0A]))
        #expect(try c.readMessage()["id"] == .string("next"))
    }

    @Test func aLineOfOneMebibyteIsJudgedTheSameWithCRLFAsWithLF() throws {
        for ending in ["\n", "\r\n"] {
            let c = try daemon.client()
            let head = #"{"jsonrpc":"2.0","id":1,"method":"daemon.status"}"#
            // JSON allows trailing white space: the line is exactly the limit without its ending.
            let line = head + String(repeating: " ", count: Framing.maxLineBytes - head.utf8.count) + ending
            try c.send(Data(line.utf8))
            let answer = try c.readMessage()
            #expect(answer["result"]?["hall"] != nil, "ending \(ending.debugDescription): \(answer)")
        }
    }

    @Test func anIdBeyondSixtyFourBitsIsToldSo() throws {
        let c = try daemon.client()
        try c.send(Data(#"{"jsonrpc":"2.0","id":18446744073709551616,"method":"daemon.status"}"#.utf8 + [0x0A]))
        let e = try c.readMessage()["error"]
        #expect(e?["code"] == .int(-32600))
        #expect(e?["message"]?.stringValue?.contains("64-bit") == true)
    }

    @Test func aSecondSubscribeReplacesTheFirstAndTheConnectionGoesOn() throws {
        let admin = try daemon.client()
        _ = try admin.call("queue.take", ["category": "C"])
        for trial in 0..<20 {
            let c = try daemon.client()
            try c.send(Data("""
                {"jsonrpc":"2.0","id":1,"method":"events.subscribe","params":{"since":0}}
                {"jsonrpc":"2.0","id":2,"method":"events.subscribe","params":{"topics":["ticket.*"]}}
                {"jsonrpc":"2.0","id":3,"method":"daemon.status"}

                """.utf8))
            var answered: Set<Int64> = []
            while answered.count < 3 {
                let m = try c.readMessage()
                if let id = m["id"]?.intValue {
                    #expect(m["error"] == nil, "trial \(trial): \(m)")
                    answered.insert(id)
                }
            }
            // Still subscribed (the second subscription), still answering.
            _ = try admin.call("queue.take", ["category": "C"])
            let event = try #require(try c.nextEvent(timeout: 10), "trial \(trial): no live event")
            #expect(event.topic.hasPrefix("ticket."))
        }
        #expect(!daemon.log().contains("event replay failed"))
    }

    @Test func aCardReadWhoseClientDiedDoesNotTakeTheNextCard() throws {
        let admin = try daemon.client()
        do {
            let dead = try daemon.client(role: "kiosk")
            try dead.send(Data(#"{"jsonrpc":"2.0","id":1,"method":"idcard.read","params":{"timeoutSeconds":20}}"#.utf8 + [0x0A]))
            usleep(300_000)
        }  // the kiosk shell is gone: its socket is closed
        usleep(500_000)
        try admin.call("sim.card", ["name": "王秀英", "idNumber": "11010519491231002X"])
        let next = try daemon.client(role: "kiosk")
        let card = try next.call("idcard.read", ["timeoutSeconds": 5])
        #expect(card["name"] == .string("王秀英"))
    }
}
