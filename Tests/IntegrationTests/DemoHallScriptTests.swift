import Foundation
import KioskClient
import KioskProtocol
import KioskTestSupport
import Testing

/// The README's shared-hall line: `scripts/demo-hall` brings up three kioskd on a private
/// PostgreSQL, a ticket taken at T01 is called from T02, T03 lists every terminal's devices, and
/// stopping the script stops all of it.
@Suite(.serialized) struct DemoHallScriptTests {
    @Test func theDemoHallRunsThreeTerminalsOnOneDatabaseAndStopsCleanly() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("demo-hall-\(UUID().uuidString.prefix(8))").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let log = dir + "/script.log"
        let script = CertificateFlowTests.repo.appendingPathComponent("scripts/demo-hall").path
        let env = ProcessInfo.processInfo.environment.merging(
            ["KIOSKD_BIN_DIR": DaemonHarness.binDir.path, "KIOSKD_DEMO_HALL_DIR": dir + "/hall"]) { _, new in new }
        let p = try ChildProcess(executable: script, arguments: [], environment: env, stdout: log, stderr: log)
        defer { if p.isRunning { p.terminate(); p.waitUntilExit() } }
        let text = { (try? String(contentsOfFile: log, encoding: .utf8)) ?? "" }
        #expect(eventually(120) { text().contains("Ctrl-C stops them") || !p.isRunning }, "\(text())")
        try #require(p.isRunning, "the script ended: \(text())")

        let socket = { (t: String) in dir + "/hall/\(t)/kioskd.sock" }
        let number = try #require(try KioskClient(socketPath: socket("T01")).call("queue.take", ["category": "C"])["number"]?.stringValue)
        let counter = try KioskClient(socketPath: socket("T02"))
        try counter.call("window.open", ["window": "3", "staff": "王芳"])
        #expect(try counter.call("queue.call", ["window": "3"])["number"] == .string(number))
        let server = try KioskClient(socketPath: socket("T03"))
        #expect(eventually(20) {
            let terminals = Set(((try? server.call("device.list"))?.arrayValue ?? []).compactMap { $0["terminal"]?.stringValue })
            return terminals == ["T01", "T02", "T03"]
        })

        p.terminate()
        p.waitUntilExit()
        for t in ["T01", "T02", "T03"] {
            #expect(!FileManager.default.fileExists(atPath: socket(t)), "\(t) still has its socket")
        }
        #expect(!FileManager.default.fileExists(atPath: dir + "/hall/pg/data/postmaster.pid"), "PostgreSQL still runs")
    }
}
