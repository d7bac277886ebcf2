import Foundation
import KioskClient
import KioskProtocol
import KioskTestSupport

/// Issue 10's targets, with the bus played on a pty by this process (`PtyRS485Bus`). A pty moves
/// bytes at once whatever the baud rate, so what is measured is kioskd's own part; the time the
/// same bytes take on a 9600-baud line (10 bits a byte: start, 8 data, stop) is computed beside it.
extension Bench {
    /// `--only bus`.
    func windowBus() throws {
        try keyToStrip()
        try everyWindowCalls(windows: 30)
    }

    static func wire(_ bytes: Int) -> Double { Double(bytes) * 10 / 9600 * 1000 }

    static func millis(_ d: Duration) -> Double { Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15 }

    static func windowDevices(_ bus: PtyRS485Bus, windows: [String]) -> String {
        var config = ""
        for (i, w) in windows.enumerated() {
            for (kind, profile, address) in [("window-display", "led-a5", i + 1), ("caller-keypad", "keypad-68", 100 + i)] {
                config += "\n[[devices]]\nid = \"\(kind)-\(w)\"\nkind = \"\(kind)\"\ntransport = \"serial\"\npath = \"\(bus.path)\"\nprofile = \"\(profile)\"\naddress = \(address)\nwindow = \"\(w)\"\n"
            }
        }
        return config
    }

    /// A call key's last byte → the last byte of 请A0xx号 at the same window's strip, on one bus.
    func keyToStrip() throws {
        let bus = try PtyRS485Bus(displays: [1])
        defer { bus.stop() }
        let d = try Daemon.start(devices: Self.windowDevices(bus, windows: ["1"]))
        let c = try KioskClient(socketPath: d.socket)
        try c.call("window.open", ["window": "1", "staff": "bench"])
        let rounds = 100
        for _ in 0..<(rounds + 5) { try c.call("queue.take", ["category": "A"]) }
        usleep(500_000)
        var samples: [Double] = []
        var commandBytes = 0
        for i in 0..<(rounds + 5) {
            let before = bus.commands.count
            let pressed = bus.send(PtyRS485Bus.keyFrame(address: 100, function: 0x0C))
            let deadline = Date().addingTimeInterval(5)
            while Date() < deadline, !bus.commands.dropFirst(before).contains(where: { $0.text.first == 0xC7 }) { usleep(200) }
            guard let shown = bus.commands.dropFirst(before).first(where: { $0.text.first == 0xC7 }) else { continue }
            commandBytes = 12 + shown.text.count  // A5, 2 addr, 15, mode, colour, brightness, 2 length, text, 2 CRC, 5A (unescaped)
            if i >= 5 { samples.append(Self.millis(shown.at - pressed)) }
            // Clear the window for the next call, more than repeat_ms later (a new press, not a repeat).
            try c.call("queue.noShow", ["window": "1"])
            usleep(1_100_000)
        }
        let p = Percentiles(samples)
        say("bus: the five slowest: " + samples.sorted().suffix(5).map { String(format: "%.1f", $0) }.joined(separator: ", ") + " ms")
        let wire = Self.wire(8) + Self.wire(commandBytes)  // the ack goes first, then the strip's frame
        say(String(format: "bus: key press → called text's last byte at the strip (%d presses): kioskd's part p50 %.2f ms, p99 %.2f ms, max %.2f ms; on a 9600-baud line add %.1f ms of wire (ack %d B, strip frame %d B)",
            samples.count, p.p50, p.p99, p.max, wire, 8, commandBytes))
        // The same calls made on the socket, same pacing: the commit's own share of the tail.
        var calls: [Double] = []
        for _ in 0..<rounds {
            try c.call("queue.take", ["category": "A"])
            let t0 = ContinuousClock.now
            try c.call("queue.call", ["window": "1"])
            calls.append(Self.millis(ContinuousClock.now - t0))
            try c.call("queue.noShow", ["window": "1"])
            usleep(1_100_000)
        }
        let q = Percentiles(calls)
        say(String(format: "bus: for comparison, queue.call on the socket with the same pacing (%d): p50 %.2f ms, p99 %.2f ms; the five slowest: %@",
            calls.count, q.p50, q.p99, calls.sorted().suffix(5).map { String(format: "%.1f", $0) }.joined(separator: ", ")))
    }

    /// 30 strips and 30 keypads on one bus; every keypad presses call at once.
    func everyWindowCalls(windows count: Int) throws {
        let windows = (1...count).map { String(format: "W%02d", $0) }
        let bus = try PtyRS485Bus(displays: Set((1...count).map { UInt16($0) }))
        defer { bus.stop() }
        var config = Self.windowDevices(bus, windows: windows)
        for w in windows { config += "\n[[windows]]\nid = \"\(w)\"\nname = \"\(w)号窗口\"\nserves = [\"A\", \"C\"]\n" }
        let d = try Daemon.start(devices: config)
        let c = try KioskClient(socketPath: d.socket)
        for w in windows { try c.call("window.open", ["window": .string(w), "staff": "bench"]) }
        for _ in 0..<count { try c.call("queue.take", ["category": "C"]) }
        usleep(2_000_000)  // the strips have shown 欢迎光临
        let before = bus.commands.count
        var frames: [UInt8] = []
        for i in 0..<count { frames += PtyRS485Bus.keyFrame(address: UInt8(100 + i), function: 0x0C) }
        let pressed = bus.send(frames)
        let deadline = Date().addingTimeInterval(20)
        func called() -> [PtyRS485Bus.DisplayCommand] { Array(bus.commands.dropFirst(before).filter { $0.text.first == 0xC7 }) }
        while Date() < deadline, Set(called().map(\.address)).count < count { usleep(1000) }
        let got = called()
        let last = got.map(\.at).max().map { Self.millis($0 - pressed) } ?? .nan
        let bytes = count * 8 + got.reduce(0) { $0 + 12 + $1.text.count } + count * 8
        say(String(format: "bus: %d keypads press call at once, %d strips on the same bus: %d of %d windows called and shown; the last strip's text after %.1f ms (kioskd's part); on a 9600-baud line the %d bytes (keys, acks, strip frames) take %.0f ms more",
            count, count, Set(got.map(\.address)).count, count, last, bytes, Self.wire(bytes)))
    }
}
