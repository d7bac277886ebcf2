import Foundation
import KioskClient
import KioskProtocol
import KioskTestSupport
import Testing

/// The daemon with a real SAM reader driver on a pty: the reader is a thread on the master
/// side answering the protocol's own frame bytes, the daemon opens the slave as it opens
/// /dev/ttyUSB0. Covers the kiosk's whole flow: a card put down is announced, read with the
/// number masked, and its token takes a ticket.
@Suite(.serialized) struct SAMReaderDaemonTests {
    static func daemon(_ reader: PtySAMReader) throws -> DaemonHarness {
        try DaemonHarness(extraConfig: """

            [[devices]]
            id = "sam0"
            kind = "idcard-reader"
            transport = "serial"
            path = "\(reader.path)"
            baud = 115200
            """)
    }

    /// The next event with `topic`, skipping others (device.status and the day's first events).
    static func next(_ topic: String, on c: KioskClient, timeout: Double = 5) throws -> EventMessage.Params? {
        let end = Date().addingTimeInterval(timeout)
        while Date() < end {
            guard let e = try c.nextEvent(timeout: end.timeIntervalSinceNow) else { return nil }
            if e.topic == topic { return e }
        }
        return nil
    }

    @Test func aCardPutOnTheReaderIsAnnouncedThenReadMaskedAndTakesATicket() throws {
        let reader = try PtySAMReader()
        defer { reader.stop() }
        let daemon = try Self.daemon(reader)
        try daemon.start()
        let display = try daemon.client(role: "display")
        try display.call("events.subscribe", ["topics": ["idcard.*", "device.*"]])

        // Nobody is reading: the watch notices the card and announces it, type only.
        reader.place(text: CardTextFixture.resident(name: "张三", number: "500107198001011233"))
        let presented = try #require(try Self.next("idcard.presented", on: display))
        #expect(presented.data["device"] == .string("sam0"))
        #expect(presented.data["cardType"] == .string("resident"))
        #expect(presented.data.objectValue?.count == 2)
        #expect(try daemon.client().call("device.status", ["id": "sam0"])["state"] == .string("ok"))

        // The shell reacts to the event: the card is there at once, masked for a kiosk.
        let kiosk = try daemon.client(role: "kiosk")
        let commandsBefore = reader.commands.count
        let card = try kiosk.call("idcard.read", ["device": "sam0", "timeoutSeconds": 5])
        #expect(card["name"] == .string("张三"))
        #expect(card["idNumber"] == .string("5001**********1233"))
        #expect(card["address"] == nil)
        #expect(card["cardType"] == .string("resident"))
        #expect(card["birthDate"] == .string("19800101"))
        // The held card was handed over: no second read on the wire.
        #expect(!reader.commands.dropFirst(commandsBefore).contains(SAMFixture.readBaseInfo))
        let token = try #require(card["cardToken"]?.stringValue)
        let ticket = try kiosk.call("queue.take", ["category": "A", "cardToken": .string(token)])
        #expect(ticket["number"] == .string("A001"))
        // One placement, one announcement.
        #expect(try Self.next("idcard.presented", on: display, timeout: 0.5) == nil)

        // The daemon's log never holds the full number.
        #expect(!daemon.log().contains("500107198001011233"))
    }

    @Test func aWaitingReadGetsTheCardPutDownLaterAndAnAdminSeesTheNumber() throws {
        let reader = try PtySAMReader()
        defer { reader.stop() }
        let daemon = try Self.daemon(reader)
        try daemon.start()
        let admin = try daemon.client()
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.5) {
            reader.place(text: CardTextFixture.hkMacauTaiwan(name: "陈大文", number: "810000199002150013"))
        }
        let card = try admin.call("idcard.read", ["device": "sam0", "timeoutSeconds": 10])
        #expect(card["cardType"] == .string("hk_macau_taiwan"))
        #expect(card["name"] == .string("陈大文"))
        #expect(card["idNumber"] == .string("810000199002150013"))
        #expect(card["address"] == .string("广东省深圳市福田区福华一路1号"))
    }

    @Test func aForeignPermanentResidenceCardOf2017TakesATicketLikeAnyCard() throws {
        let reader = try PtySAMReader()
        defer { reader.stop() }
        let daemon = try Self.daemon(reader)
        try daemon.start()
        let kiosk = try daemon.client(role: "kiosk")
        reader.place(text: CardTextFixture.foreign2017())
        let card = try kiosk.call("idcard.read", ["device": "sam0", "timeoutSeconds": 5])
        #expect(card["cardType"] == .string("foreign_permanent"))
        #expect(card["name"] == .string("SMITH, JOHN"))
        #expect(card["idNumber"] == .string("CAN1*******0118"))
        let token = try #require(card["cardToken"]?.stringValue)
        #expect(try kiosk.call("queue.take", ["category": "A", "cardToken": .string(token)])["number"] == .string("A001"))
        // One active ticket per person holds for this number too.
        let again = rpcError { try kiosk.call("queue.take", ["category": "A", "cardToken": .string(token)]) }
        #expect(again?.reason == "duplicate_ticket")
    }

    @Test func noCardTimesOutAndAnUnpluggedReaderIsAbsentWithAnEvent() throws {
        let reader = try PtySAMReader()
        let daemon = try Self.daemon(reader)
        try daemon.start()
        let c = try daemon.client()
        let e = rpcError { try c.call("idcard.read", ["device": "sam0", "timeoutSeconds": 0.5]) }
        #expect(e?.reason == "device_unavailable")
        #expect(e?.data?["deviceError"] == .string("timeout"))
        #expect(try c.call("device.status", ["id": "sam0"])["state"] == .string("ok"))

        let display = try daemon.client(role: "display")
        try display.call("events.subscribe", ["topics": ["device.status"]])
        reader.unplug()
        let absent = try #require(try Self.next("device.status", on: display))
        #expect(absent.data["device"] == .string("sam0"))
        #expect(absent.data["state"] == .string("absent"))
        let gone = rpcError { try c.call("idcard.read", ["device": "sam0", "timeoutSeconds": 1]) }
        #expect(gone?.reason == "device_unavailable")
        // The daemon is still serving.
        #expect(try c.call("queue.take", ["category": "A"])["number"] == .string("A001"))
    }

    @Test func twoEntriesForOneReaderRefuseTheSecondAndTheFirstStillReads() throws {
        let reader = try PtySAMReader()
        defer { reader.stop() }
        // The same pty twice: through its symlink (like /dev/kiosk/idreader) and by its node.
        let daemon = try DaemonHarness(extraConfig: """

            [[devices]]
            id = "sam0"
            kind = "idcard-reader"
            transport = "serial"
            path = "\(reader.path)"

            [[devices]]
            id = "sam1"
            kind = "idcard-reader"
            transport = "serial"
            path = "\(reader.slavePath)"
            """)
        try daemon.start()
        let c = try daemon.client()
        let second = try c.call("device.status", ["id": "sam1"])
        #expect(second["state"] == .string("fault"))
        #expect(second["lastError"]?.stringValue?.contains("same device as sam0") == true)
        let e = rpcError { try c.call("idcard.read", ["device": "sam1", "timeoutSeconds": 1]) }
        #expect(e?.reason == "device_unavailable")
        // Said in the event log for the technician's `kioskctl watch`…
        try c.call("events.subscribe", ["topics": ["device.status"], "since": 0])
        let event = try #require(try Self.next("device.status", on: c))
        #expect(event.data["device"] == .string("sam1"))
        #expect(event.data["state"] == .string("fault"))
        #expect(daemon.log().contains("sam1 names the same device as sam0"))
        // …while the first entry drives the reader undisturbed.
        reader.place(text: CardTextFixture.resident())
        let card = try daemon.client().call("idcard.read", ["device": "sam0", "timeoutSeconds": 5])
        #expect(card["name"] == .string("张三"))
    }
}
