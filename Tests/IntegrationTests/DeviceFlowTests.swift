import Foundation
import KioskClient
import KioskProtocol
import Testing

/// Printing tickets and reading ID cards through the daemon, with the simulated devices a kiosk
/// shell developer uses: faults give clear errors and issue nothing.
@Suite(.serialized) struct DeviceFlowTests {
    let daemon: DaemonHarness

    init() throws {
        daemon = try DaemonHarness()
        try daemon.start()
    }

    var slipFile: String { daemon.stateDir + "/devices/printer0.txt" }

    @Test func takeWithPrintPrintsTheSlipAfterIssuing() throws {
        let c = try daemon.client(role: "kiosk")
        let t = try c.call("queue.take", ["category": "A", "print": true])
        #expect(t["printed"] == .bool(true))
        let slip = try String(contentsOfFile: slipFile, encoding: .utf8)
        #expect(slip.contains("A001"))
        #expect(slip.contains("企业开办"))
        #expect(slip.contains("九龙坡区行政服务中心"))
        #expect(slip.contains("kioskd:ticket:500107-01:"))
        #expect(slip.contains("前面还有 0 人"))
    }

    @Test func aPrinterOutOfPaperRefusesPrintedTicketsAndIssuesNothing() throws {
        let admin = try daemon.client()
        let events = try daemon.client(role: "display")
        try events.call("events.subscribe", ["topics": ["device.*"]])
        let kiosk = try daemon.client(role: "kiosk")
        try admin.call("sim.printer", ["paper": "out"])
        let fault = try #require(try events.nextEvent(timeout: 5))
        #expect(fault.topic == "device.status")
        #expect(fault.data["device"] == .string("printer0"))
        #expect(fault.data["state"] == .string("fault"))
        #expect(try admin.call("device.status", ["id": "printer0"])["state"] == .string("fault"))

        let before = try admin.call("daemon.status")["tickets"]
        let e = rpcError { try kiosk.call("queue.take", ["category": "A", "print": true]) }
        #expect(e?.reason == "device_unavailable")
        #expect(e?.data?["device"] == .string("printer0"))
        #expect(try admin.call("daemon.status")["tickets"] == before)
        // Without a slip the queue still works.
        #expect(try kiosk.call("queue.take", ["category": "A"])["printed"] == nil)

        try admin.call("sim.printer", ["paper": "ok"])
        #expect(try #require(try events.nextEvent(timeout: 5)).data["state"] == .string("ok"))
        #expect(try kiosk.call("queue.take", ["category": "A", "print": true])["printed"] == .bool(true))
    }

    @Test func anUnpluggedPrinterIsAbsentAndRefusesPrinting() throws {
        let admin = try daemon.client()
        try admin.call("sim.printer", ["connected": false])
        #expect(try admin.call("device.status", ["id": "printer0"])["state"] == .string("absent"))
        #expect(rpcError { try admin.call("queue.take", ["category": "C", "print": true]) }?.reason == "device_unavailable")
        #expect(rpcError { try admin.call("queue.printTicket", ["ticket": 1]) }?.reason == "device_unavailable")
        try admin.call("sim.printer", ["connected": true])
        #expect(try admin.call("device.status", ["id": "printer0"])["state"] == .string("ok"))
    }

    @Test func unknownDeviceAndWrongKindAreClearErrors() throws {
        let admin = try daemon.client()
        #expect(rpcError { try admin.call("device.status", ["id": "nope"]) }?.reason == "not_found")
        #expect(rpcError { try admin.call("device.test", ["id": "nope"]) }?.reason == "not_found")
        #expect(rpcError { try admin.call("idcard.read", ["device": "printer0", "timeoutSeconds": 1]) }?.reason == "invalid_state")
        #expect(rpcError { try admin.call("sim.printer", ["paper": "soggy"]) }?.code == -32602)
        let list = try #require(admin.call("device.list").arrayValue)
        #expect(list.compactMap { $0["id"]?.stringValue } == ["printer0", "idreader0"])
    }

    @Test func deviceTestPrintsATestSlip() throws {
        let r = try daemon.client(role: "technician").call("device.test", ["id": "printer0"])
        #expect(r["passed"] == .bool(true))
        #expect(try String(contentsOfFile: slipFile, encoding: .utf8).contains("printer0"))
        #expect(rpcError { try daemon.client(role: "kiosk").call("device.test", ["id": "printer0"]) }?.reason == "forbidden")
    }

    @Test func aKioskReadsACardMaskedAndTakesATicketWithItsToken() throws {
        let admin = try daemon.client()
        let kiosk = try daemon.client(role: "kiosk")
        try admin.call("sim.card", ["name": "王秀英", "idNumber": "11010519491231002X"])
        let card = try kiosk.call("idcard.read", ["timeoutSeconds": 5])
        #expect(card["name"] == .string("王秀英"))
        #expect(card["idNumber"] == .string("1101**********002X"))
        #expect(card["address"] == nil)
        let token = try #require(card["cardToken"]?.stringValue)
        let t = try kiosk.call("queue.take", ["category": "C", "cardToken": .string(token)])
        #expect(t["holder"] == .string("1101**********002X"))
        #expect(t["priority"] == .string("green"))  // born 1949
        #expect(rpcError { try kiosk.call("queue.take", ["category": "C", "cardToken": .string(token)]) }?.reason == "duplicate_ticket")
        // The token is bound to the connection that read the card.
        let other = try daemon.client(role: "kiosk")
        #expect(rpcError { try other.call("queue.take", ["category": "A", "cardToken": .string(token)]) }?.reason == "invalid_card_token")
        #expect(rpcError { try other.call("queue.take", ["category": "A", "cardToken": "forged"]) }?.reason == "invalid_card_token")
        // The daemon's log never holds the number.
        #expect(!daemon.log().contains("11010519491231002X"))
    }

    @Test func aSimulatedPermanentResidenceCardNeedsItsSexAndReadsAsForeign() throws {
        let admin = try daemon.client()
        let missing = rpcError { try admin.call("sim.card", ["name": "SMITH, JOHN", "idNumber": "CAN110075120118"]) }
        #expect(missing?.code == -32602)
        #expect(missing?.message.contains("sex") == true)
        #expect(try admin.call("daemon.status")["tickets"] != nil)  // still serving
        try admin.call("sim.card", ["name": "SMITH, JOHN", "idNumber": "CAN110075120118", "sex": "male"])
        let card = try daemon.client(role: "kiosk").call("idcard.read", ["timeoutSeconds": 5])
        #expect(card["cardType"] == .string("foreign_permanent"))
        #expect(card["idNumber"] == .string("CAN1*******0118"))
        #expect(card["birthDate"] == .string("19751201"))
    }

    @Test func readingWithNoCardTimesOutClearly() throws {
        let e = rpcError { try daemon.client(role: "kiosk").call("idcard.read", ["timeoutSeconds": 0.3]) }
        #expect(e?.reason == "device_unavailable")
        #expect(e?.data?["deviceError"] == .string("timeout"))
    }
}
