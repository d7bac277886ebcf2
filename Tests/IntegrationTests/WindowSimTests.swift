import Foundation
import KioskClient
import KioskProtocol
import Testing

/// Simulated window devices (the demo's, and a kiosk-shell developer's): a press takes the same
/// path as a real keypad's, and what the device's display then shows comes back.
@Suite struct WindowSimTests {
    static func daemon() throws -> DaemonHarness {
        var devices = ""
        for (kind, prefix) in [("window-display", "led"), ("caller-keypad", "keypad"), ("evaluator", "eval")] {
            for w in ["1", "2"] {
                devices += "\n[[devices]]\nid = \"\(prefix)\(w)\"\nkind = \"\(kind)\"\ntransport = \"simulated\"\nwindow = \"\(w)\"\n"
            }
        }
        let d = try DaemonHarness(extraConfig: devices)
        try d.start()
        return d
    }

    func showing(_ c: KioskClient, _ id: String) throws -> String? { try c.call("device.status", ["id": .string(id)])["showing"]?.stringValue }

    @Test func keysCallStartFinishAndTheEvaluatorRatesOnce() throws {
        let d = try Self.daemon()
        defer { _ = d.stop() }
        let tech = try d.client(role: "technician")
        let counter = try d.client(role: "counter")
        // A closed window refuses, in words its keypad can show.
        #expect(try tech.call("sim.keypad", ["window": "1", "key": "call"])["display"] == .string("窗口未开放"))
        try counter.call("window.open", ["window": "1", "staff": "王芳"])
        let kiosk = try d.client(role: "kiosk")
        for _ in 0..<3 { try kiosk.call("queue.take", ["category": "A"]) }
        let called = try tech.call("sim.keypad", ["window": "1", "key": "call"])
        #expect(called["display"] == .string("A001 等候2人"), "\(called)")
        #expect(called["device"] == .string("keypad1"))
        #expect(try counter.call("queue.ticket", ["number": "A001"])["state"] == .string("called"))
        // The strip over window 1 follows (another window's strip does not).
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline, try showing(tech, "led1") != "请A001号" { usleep(20_000) }
        #expect(try showing(tech, "led1") == "请A001号")
        #expect(try showing(tech, "led2") != "请A001号")
        // Nothing finished yet: nothing to rate.
        #expect(try tech.call("sim.evaluator", ["window": "1", "score": 5])["display"] == .string("暂无可评价业务"))
        for key in ["start", "finish"] { try tech.call("sim.keypad", ["window": "1", "key": .string(key)]) }
        #expect(try tech.call("sim.evaluator", ["window": "1", "score": 5])["display"] == .string("谢谢评价"))
        #expect(try tech.call("sim.evaluator", ["window": "1", "score": 1])["display"] == .string("已评价"))
        #expect(try counter.call("stats.day")["total"]?["evaluations"] == .int(1))
        // Pause and resume from the keypad.
        #expect(try tech.call("sim.keypad", ["window": "1", "key": "pause"])["display"] == .string("暂停服务"))
        #expect(try counter.call("daemon.status")["windowsOpen"] == .array([]))
        #expect(try tech.call("sim.keypad", ["window": "1", "key": "resume"])["display"] == .string("恢复服务"))
        #expect(try counter.call("daemon.status")["windowsOpen"] == .array([.string("1")]))
    }

    @Test func badPressesAreRefusedWithTheReason() throws {
        let d = try Self.daemon()
        defer { _ = d.stop() }
        let tech = try d.client(role: "technician")
        for (method, params, reason) in [
            ("sim.keypad", ["window": "1", "key": "jump"] as JSONValue, "invalid_params"),
            ("sim.evaluator", ["window": "1", "score": 6], "invalid_params"),
            ("sim.evaluator", ["window": "1", "score": 0], "invalid_params"),
            ("sim.keypad", ["window": "9", "key": "call"], "not_found"),
        ] {
            do {
                _ = try tech.call(method, params)
                Issue.record("\(method) \(params) was accepted")
            } catch let e as RPCError {
                #expect(e.data?["reason"] == .string(reason), "\(method) \(params): \(e)")
            }
        }
        // A kiosk may not press keys.
        #expect(throws: (any Error).self) { try d.client(role: "kiosk").call("sim.keypad", ["window": "1", "key": "call"]) }
    }
}
