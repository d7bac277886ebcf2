import Foundation
import KioskClient
import KioskProtocol
import KioskTestSupport
import Testing

/// Window devices on one RS-485 bus (a real pty, the devices played by `PtyRS485Bus` from the
/// issue's byte layouts): the strip follows its window, a keypad press calls a ticket — once,
/// however often the device repeats it — and the evaluator rates the finished case.
@Suite struct WindowBusTests {
    static let profiles = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Devices/profiles").standardized.path

    /// The daemon with a strip, a keypad and an evaluator at window 1, and (`http`) a hall screen
    /// on that port.
    static func daemon(_ bus: PtyRS485Bus, http port: Int? = nil) throws -> DaemonHarness {
        let screen = port.map { """

            [http]
            listen = "127.0.0.1:\($0)"

            [[screens]]
            id = "hall"
            name = "大厅"
            """ } ?? ""
        let d = try DaemonHarness(extraConfig: screen + """

            [[devices]]
            id = "led1"
            kind = "window-display"
            transport = "serial"
            path = "\(bus.path)"
            profile = "\(profiles)/led-a5.toml"
            address = 1
            window = "1"

            [[devices]]
            id = "key1"
            kind = "caller-keypad"
            transport = "serial"
            path = "\(bus.path)"
            profile = "\(profiles)/keypad-68.toml"
            address = 11
            window = "1"

            [[devices]]
            id = "eval1"
            kind = "evaluator"
            transport = "serial"
            path = "\(bus.path)"
            profile = "\(profiles)/keypad-68.toml"
            address = 21
            window = "1"
            """)
        try d.start()
        return d
    }

    /// A device's state and last error, from `device.status`.
    static func health(_ c: KioskClient, _ id: String) throws -> (state: String?, lastError: String?) {
        let s = try c.call("device.status", ["id": .string(id)])
        return (s["state"]?.stringValue, s["lastError"]?.stringValue)
    }

    /// The texts a keypad's display is sent (function 20) at `address`, as GB2312 bytes.
    static func keypadTexts(_ bus: PtyRS485Bus, _ address: UInt8) -> [[UInt8]] {
        bus.keypadFrames.filter { $0.address == address && $0.function == 0x20 }.map(\.data)
    }

    /// GB2312 of 请 and 号, and the text 请<number>号 as the strip receives it.
    static func called(_ number: String) -> [UInt8] { [0xC7, 0xEB] + Array(number.utf8) + [0xBA, 0xC5] }

    func wait(_ what: String, _ condition: () throws -> Bool) rethrows {
        let deadline = Date().addingTimeInterval(15)
        while Date() < deadline, try !condition() { usleep(20_000) }
        #expect(try condition(), "\(what) within 15 s")
    }

    @Test func aKeypadPressCallsOnceTheStripShowsItTheScreenCarriesItAndTheEvaluatorRatesIt() throws {
        let bus = try PtyRS485Bus(displays: [1])
        defer { bus.stop() }
        let port = RawHTTP.freePort()
        let d = try Self.daemon(bus, http: port)
        defer { _ = d.stop() }
        let counter = try d.client(role: "counter")
        let kiosk = try d.client(role: "kiosk")
        for _ in 0..<2 { try kiosk.call("queue.take", ["category": "A"]) }
        // The window is closed: the call key is refused, and the keypad's display says why (窗口未开放).
        let closedCall = PtyRS485Bus.keyFrame(address: 11, function: 0x0C)
        bus.send(closedCall)
        try wait("the refusal on the keypad") { Self.keypadTexts(bus, 11).contains([0xB4, 0xB0, 0xBF, 0xDA, 0xCE, 0xB4, 0xBF, 0xAA, 0xB7, 0xC5]) }
        #expect(try counter.call("daemon.status")["waiting"]?["A"] == .int(2), "nothing was called")
        usleep(1_100_000)  // past repeat_ms: the next call key is a new press
        try counter.call("window.open", ["window": "1", "staff": "王芳"])
        let screen = try HTTPListenerTests.openStream(port: port, "/screens/hall/events?since=0")
        // At start and on opening, the strip is set to the open window's text, 欢迎光临 in green.
        try wait("the open text on the strip") { bus.commands.contains { $0.address == 1 && $0.text == [0xBB, 0xB6, 0xD3, 0xAD, 0xB9, 0xE2, 0xC1, 0xD9] } }

        let call = PtyRS485Bus.keyFrame(address: 11, function: 0x0C)
        bus.send(call)
        try wait("the ack and the called text") {
            bus.keypadFrames.contains { $0.raw == call } && bus.commands.contains { $0.text == Self.called("A001") }
        }
        let shown = try #require(bus.commands.last { $0.text == Self.called("A001") })
        #expect(shown.address == 1 && shown.mode == 0x01 && shown.colour == 0x01, "blinking red")
        // The keypad's own display gets the outcome (function 20, GB2312 text).
        try wait("the keypad display text") { bus.keypadFrames.contains { $0.address == 11 && $0.function == 0x20 } }
        let text: [UInt8] = bus.keypadFrames.last(where: { $0.function == 0x20 })?.data ?? []
        #expect(text.firstRange(of: Array("A001".utf8)) != nil, "\(text)")
        // The hall screen's stream carries the call, to window 1.
        let streamed = screen.read(until: { HTTPListenerTests.messages($0).contains { $0.event == "ticket.called" } }, timeout: 15)
        let called = try #require(HTTPListenerTests.messages(streamed).first { $0.event == "ticket.called" })
        #expect(called.data.contains("\"A001\"") && called.data.contains("\"window\":\"1\""), "\(called.data)")

        // The device repeats the press (our ack "lost"): acknowledged again, not acted on.
        let acks = bus.keypadFrames.filter { $0.raw == call }.count  // the closed window's press was acknowledged too
        bus.send(call)
        try wait("the repeat's ack") { bus.keypadFrames.filter { $0.raw == call }.count == acks + 1 }
        usleep(300_000)
        let waiting = try counter.call("daemon.status")["waiting"]?["A"]
        #expect(waiting == .int(1), "A002 still waits: the repeat did not call it")

        // Garbage and a frame with a wrong checksum change nothing.
        bus.send([0x00, 0x13, 0x37] + [0x68, 0x02, 0x02, 0x68, 0x0B, 0x0C, 0x00, 0x16])
        // Start and finish A001 from the keypad, then the evaluator rates it 5.
        usleep(1_100_000)
        // With a wake-up preamble: acknowledged as sent, preamble and all.
        let start = [0xFF, 0xFF] + PtyRS485Bus.keyFrame(address: 11, function: 0x0E)
        bus.send(start)
        try wait("A001 serving") { try counter.call("queue.ticket", ["number": "A001"])["state"] == .string("serving") }
        #expect(bus.keypadFrames.contains { $0.raw == start }, "the start key's ack carries its FF FF")
        bus.send(PtyRS485Bus.keyFrame(address: 11, function: 0x0F))
        try wait("A001 done") { try counter.call("queue.ticket", ["number": "A001"])["state"] == .string("done") }
        #expect(try counter.call("daemon.status")["waiting"]?["A"] == .int(1), "still only A001 was called")
        bus.send(PtyRS485Bus.keyFrame(address: 21, function: 0x11, data: [5]))
        // Rated once, 5 (非常满意): the day's statistics count it.
        try wait("the evaluation") { try counter.call("stats.day")["total"]?["evaluations"] == .int(1) }
        let rate = try counter.call("stats.day")["total"]?["satisfactionRate"]
        #expect(rate == .double(1) || rate == .int(1), "\(String(describing: rate))")
        // A second rating of the same case is refused, and the evaluator is told (已评价).
        usleep(1_100_000)
        bus.send(PtyRS485Bus.keyFrame(address: 21, function: 0x11, data: [1]))
        try wait("the refusal on the evaluator") { Self.keypadTexts(bus, 21).contains([0xD2, 0xD1, 0xC6, 0xC0, 0xBC, 0xDB]) }
        #expect(try counter.call("stats.day")["total"]?["evaluations"] == .int(1))
        // A score of 6 is not a rating: ignored, never acknowledged.
        let bad = PtyRS485Bus.keyFrame(address: 21, function: 0x11, data: [6])
        bus.send(bad)
        usleep(500_000)
        #expect(!bus.keypadFrames.contains { $0.raw == bad })
        let devices = try counter.call("device.list").arrayValue ?? []
        for id in ["led1", "key1", "eval1"] {
            #expect(devices.first { $0["id"] == .string(id) }?["health"]?["state"] == .string("ok"), "\(id)")
        }
    }

    /// `[[devices]]` entries on one bus: (id, kind, profile, address, window) each.
    static func entries(on path: String, _ devices: [(String, String, String, Int, String)]) -> String {
        devices.map { id, kind, profile, address, window in
            """

            [[devices]]
            id = "\(id)"
            kind = "\(kind)"
            transport = "serial"
            path = "\(path)"
            profile = "\(profile)"
            address = \(address)
            window = "\(window)"

            """
        }.joined()
    }

    /// Two strips and two keypads on one bus at different addresses: each key goes to its own
    /// window; a strip that never answers, or answers as another address, is `fault` with the
    /// reason, and is shown again once it answers.
    @Test func severalDevicesShareTheBusAndASilentStripIsAFaultUntilItAnswers() throws {
        let bus = try PtyRS485Bus(displays: [1])
        defer { bus.stop() }
        bus.answer(3, as: 4)
        let config = Self.entries(on: bus.path, [
            ("led1", "window-display", "led-a5", 1, "1"), ("led2", "window-display", "led-a5", 2, "2"),
            ("led3", "window-display", "led-a5", 3, "P1"),
            ("key1", "caller-keypad", "keypad-68", 11, "1"), ("key2", "caller-keypad", "keypad-68", 12, "2"),
        ])
        let d = try DaemonHarness(extraConfig: config)
        try d.start()
        defer { _ = d.stop() }
        let counter = try d.client(role: "counter")
        let state = { (id: String) throws -> (String?, String?) in try Self.health(counter, id) }
        try wait("strip 2 in fault") { try state("led2").0 == "fault" }
        let led2 = try state("led2")
        #expect(led2.1?.contains("no answer from address 2 (3 tries)") == true, "\(led2)")
        try wait("strip 3 in fault") { try state("led3").0 == "fault" }
        #expect(try state("led1").0 == "ok")

        for w in ["1", "2"] { try counter.call("window.open", ["window": .string(w), "staff": "王芳"]) }
        let kiosk = try d.client(role: "kiosk")
        for _ in 0..<2 { try kiosk.call("queue.take", ["category": "A"]) }
        // Key 2 calls at window 2 (A001), key 1 at window 1 (A002): each to its own window.
        bus.send(PtyRS485Bus.keyFrame(address: 12, function: 0x0C))
        try wait("A001 at window 2") { try counter.call("queue.ticket", ["number": "A001"])["window"] == .string("2") }
        // Strip 2 starts answering: the call is shown there and it is ok again.
        bus.setDisplays([1, 2])
        bus.send(PtyRS485Bus.keyFrame(address: 11, function: 0x0C))
        try wait("A002 at window 1") { try counter.call("queue.ticket", ["number": "A002"])["window"] == .string("1") }
        try wait("A002 on strip 1") { bus.commands.contains { $0.address == 1 && $0.text == Self.called("A002") } }
        bus.send(PtyRS485Bus.keyFrame(address: 12, function: 0x0D))  // recall A001: strip 2 shows it again
        try wait("strip 2 ok, showing A001") {
            try state("led2").0 == "ok"
                && bus.commands.contains { $0.address == 2 && $0.text == Self.called("A001") }
        }
        // Strip 3 answers as address 4: never taken for its own answer.
        #expect(try state("led3").0 == "fault")
    }

    /// The USB-RS485 adapter pulled out: every device on the bus is `absent`; plugged back, the
    /// bus opens again by itself and the strip is set to its window's state again.
    @Test func anUnpluggedBusMakesItsDevicesAbsentAndTheyComeBack() throws {
        let link = NSTemporaryDirectory() + "kioskd-tty485-\(UUID().uuidString)"
        var bus = try PtyRS485Bus(displays: [1], link: link)
        let d = try Self.daemon(bus)
        defer { _ = d.stop() }
        let counter = try d.client(role: "counter")
        let state = { (id: String) throws -> String? in try Self.health(counter, id).state }
        try counter.call("window.open", ["window": "1", "staff": "王芳"])
        let welcome: [UInt8] = [0xBB, 0xB6, 0xD3, 0xAD, 0xB9, 0xE2, 0xC1, 0xD9]
        try wait("the open text") { bus.commands.contains { $0.text == welcome } }
        try wait("led1 ok") { try state("led1") == "ok" }

        bus.stop()
        try wait("every device on the bus absent") {
            try ["led1", "key1", "eval1"].allSatisfy { try state($0) == "absent" }
        }
        // Calls go on while the strip is away.
        try d.client(role: "kiosk").call("queue.take", ["category": "A"])
        try counter.call("queue.call", ["window": "1"])

        bus = try PtyRS485Bus(displays: [1], link: link)
        defer { bus.stop() }
        try wait("led1 back") { try state("led1") == "ok" && state("key1") == "ok" }
        // It shows what the window shows now: the call made while it was away.
        try wait("the strip shows A001") { bus.commands.contains { $0.address == 1 && $0.text == Self.called("A001") } }
    }

    /// Answers that arrive in pieces — split inside an escape pair (`A6 | 02`) — are still read;
    /// an answer later than the profile's timeout is no answer (the strip is `fault`), and the
    /// late bytes are not taken for the next frame's answer; half a key frame before the adapter
    /// is pulled changes nothing.
    @Test func splitLateAndCutFramesAreHandled() throws {
        let link = NSTemporaryDirectory() + "kioskd-tty485-\(UUID().uuidString)"
        // Address 0x00A5 puts an A5 in every answer: escaped as A6 02; split between the two.
        var bus = try PtyRS485Bus(displays: [0xA5, 2], link: link)
        bus.splitAnswers(after: 3)
        bus.delay(2, by: .milliseconds(1_500))  // after the last of 3 tries × 300 ms
        var config = ""
        for (id, address, window) in [("ledA5", 0xA5, "1"), ("led2", 2, "2")] {
            config += "\n[[devices]]\nid = \"\(id)\"\nkind = \"window-display\"\ntransport = \"serial\"\npath = \"\(link)\"\nprofile = \"led-a5\"\naddress = \(address)\nwindow = \"\(window)\"\n"
        }
        config += "\n[[devices]]\nid = \"key1\"\nkind = \"caller-keypad\"\ntransport = \"serial\"\npath = \"\(link)\"\nprofile = \"keypad-68\"\naddress = 11\nwindow = \"1\"\n"
        let d = try DaemonHarness(extraConfig: config)
        try d.start()
        defer { _ = d.stop() }
        let counter = try d.client(role: "counter")
        let state = { (id: String) throws -> (String?, String?) in try Self.health(counter, id) }
        try wait("the split answers taken") { try state("ledA5").0 == "ok" && (try counter.call("device.status", ["id": "ledA5"])["showing"] != nil) }
        try wait("the late strip in fault") { try state("led2").0 == "fault" }
        #expect(try state("led2").1?.contains("no answer from address 2") == true)
        #expect(try state("ledA5").0 == "ok", "a late answer from 2 was not taken for A5's")

        // Half a call frame, then the adapter is pulled: nothing is called.
        try counter.call("window.open", ["window": "1", "staff": "王芳"])
        try d.client(role: "kiosk").call("queue.take", ["category": "A"])
        bus.send(Array(PtyRS485Bus.keyFrame(address: 11, function: 0x0C).prefix(4)))
        usleep(100_000)
        bus.stop()
        try wait("ledA5 absent") { try state("ledA5").0 == "absent" }
        #expect(try counter.call("queue.ticket", ["number": "A001"])["state"] == .string("waiting"))
        // Back, a whole frame calls once.
        bus = try PtyRS485Bus(displays: [0xA5, 2], link: link)
        defer { bus.stop() }
        try wait("key1 back") { try state("key1").0 == "ok" }
        bus.send(PtyRS485Bus.keyFrame(address: 11, function: 0x0C))
        try wait("A001 called") { try counter.call("queue.ticket", ["number": "A001"])["state"] == .string("called") }
    }

    /// The other keys over the bus: pause (the strip says 暂停服务), resume, no-show, and a recall
    /// with nobody called, refused with its reason on the keypad's own display.
    @Test func pauseResumeNoShowAndARefusedRecall() throws {
        let bus = try PtyRS485Bus(displays: [1])
        defer { bus.stop() }
        let d = try Self.daemon(bus)
        defer { _ = d.stop() }
        let counter = try d.client(role: "counter")
        try counter.call("window.open", ["window": "1", "staff": "王芳"])
        try d.client(role: "kiosk").call("queue.take", ["category": "A"])
        func windowStatus() throws -> String? {
            try counter.call("window.list").arrayValue?.first { $0["id"] == .string("1") }?["status"]?.stringValue
        }
        func keypadTexts() -> Int { bus.keypadFrames.filter { $0.address == 11 && $0.function == 0x20 }.count }

        bus.send(PtyRS485Bus.keyFrame(address: 11, function: 0x12))
        try wait("window 1 paused") { try windowStatus() == "paused" }
        let paused: [UInt8] = [0xD4, 0xDD, 0xCD, 0xA3, 0xB7, 0xFE, 0xCE, 0xF1]  // 暂停服务
        try wait("暂停服务 on the strip") { bus.commands.contains { $0.address == 1 && $0.text == paused } }
        bus.send(PtyRS485Bus.keyFrame(address: 11, function: 0x13))
        try wait("window 1 open again") { try windowStatus() == "open" }

        let before = keypadTexts()
        bus.send(PtyRS485Bus.keyFrame(address: 11, function: 0x0D))  // recall, nobody called
        try wait("the refusal on the keypad") { keypadTexts() > before }
        #expect(try counter.call("queue.ticket", ["number": "A001"])["state"] == .string("waiting"))

        bus.send(PtyRS485Bus.keyFrame(address: 11, function: 0x0C))
        try wait("A001 called") { try counter.call("queue.ticket", ["number": "A001"])["state"] == .string("called") }
        bus.send(PtyRS485Bus.keyFrame(address: 11, function: 0x10))
        try wait("A001 a no-show") { try counter.call("queue.ticket", ["number": "A001"])["state"] == .string("no_show") }
    }
}
