import Foundation
import KioskClient
import KioskProtocol
import KioskTestSupport
import Testing

/// `kioskctl doctor` against a real daemon: a verdict per line, exit 1 on any failure.
@Suite(.serialized) struct DoctorTests {
    func doctor(_ daemon: DaemonHarness, config: String? = nil) throws -> (status: Int32, output: String) {
        let r = try ToolRun.run(DaemonHarness.binary("kioskctl"), ["doctor", "--config", config ?? daemon.configPath])
        return (r.status, r.stdout + r.stderr)
    }

    @Test func aHealthyTerminalPassesEveryCheck() throws {
        let daemon = try DaemonHarness()
        try daemon.start()
        let (status, output) = try doctor(daemon)
        #expect(status == 0, "\(output)")
        for area in ["config", "socket", "storage", "disk", "device", "udev", "clock"] {
            #expect(output.contains(where: { _ in true }) && output.split(separator: "\n").contains { $0.hasPrefix("ok") && $0.contains(area) },
                "no ok line for \(area):\n\(output)")
        }
        #expect(output.contains("no problems found"))
        let schema = DaemonHarness.onSQLite ? "v9_ticket_count" : "v5_ticket_count"
        #expect(output.split(separator: "\n").contains { $0.hasPrefix("ok") && $0.contains("storage") && $0.contains("schema \(schema)") },
            "the storage line names the schema:\n\(output)")
    }

    @Test func anUnpluggedPrinterFailsTheCheckAndNamesIt() throws {
        let daemon = try DaemonHarness()
        try daemon.start()
        try daemon.client().call("sim.printer", ["connected": false])
        let (status, output) = try doctor(daemon)
        #expect(status == 1)
        #expect(output.split(separator: "\n").contains { $0.hasPrefix("FAIL") && $0.contains("printer0") && $0.contains("absent") })
    }

    @Test func aStoppedDaemonAndABrokenConfigAreFailures() throws {
        let daemon = try DaemonHarness()
        let (status, output) = try doctor(daemon)  // never started
        #expect(status == 1)
        #expect(output.contains("does not exist"))
        let broken = daemon.dir.appendingPathComponent("broken.toml").path
        try "[hall]\ncode = 1\n".write(toFile: broken, atomically: true, encoding: .utf8)
        let (badStatus, badOutput) = try doctor(daemon, config: broken)
        #expect(badStatus == 1)
        #expect(badOutput.split(separator: "\n").first?.hasPrefix("FAIL  config") == true)
        #expect(badOutput.contains("broken.toml:"))
    }
}
