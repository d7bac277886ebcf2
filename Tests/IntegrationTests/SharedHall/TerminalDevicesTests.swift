import Foundation
import KioskClient
import KioskProtocol
import KioskTestSupport
import Testing

/// One place to see the whole hall's hardware: on a shared database, `device.list` on any daemon
/// shows every terminal's devices with their states and last errors, and a terminal that stops
/// reporting is marked stale.
@Suite(.serialized) struct TerminalDevicesTests {
    /// The entries of `terminal` in a device list, by device id.
    static func devices(of terminal: String, in list: JSONValue) -> [String: JSONValue] {
        Dictionary((list.arrayValue ?? []).filter { $0["terminal"] == .string(terminal) }.compactMap { e in
            e["id"]?.stringValue.map { ($0, e) }
        }, uniquingKeysWith: { a, _ in a })
    }

    @Test func everyDaemonListsEveryTerminalsDevicesAndAStoppedTerminalGoesStale() throws {
        let hall = try SharedHall(count: 2)
        for d in hall.daemons {
            let text = try String(contentsOfFile: d.configPath, encoding: .utf8)
            try d.rewriteConfig(text.replacingOccurrences(of: "[daemon]\n", with: "[daemon]\nterminal_stale_seconds = 5\n"))
        }
        try hall.startAll()
        let onT02 = try hall[1].client()
        // T02 sees its own devices first, then T01's, each entry naming its terminal.
        var list = try onT02.call("device.list")
        #expect(list.arrayValue?.first?["terminal"] == .string("T02"))
        #expect(Set(Self.devices(of: "T02", in: list).keys) == ["printer0", "idreader0"])
        #expect(eventually(10) {
            list = (try? onT02.call("device.list")) ?? .null
            return Set(Self.devices(of: "T01", in: list).keys) == ["printer0", "idreader0"]
        })
        #expect(Self.devices(of: "T01", in: list)["printer0"]?["stale"] == .bool(false))
        #expect(Self.devices(of: "T02", in: list)["printer0"]?["stale"] == .bool(false))

        // T01's printer runs out of paper: T02 shows it, with the reason, within moments.
        try hall[0].client(role: "admin").call("sim.printer", ["paper": "out"])
        #expect(eventually(10) {
            list = (try? onT02.call("device.list")) ?? .null
            return Self.devices(of: "T01", in: list)["printer0"]?["health"]?["state"] == .string("fault")
        })
        #expect(Self.devices(of: "T01", in: list)["printer0"]?["health"]?["reason"]?.stringValue?.isEmpty == false)
        #expect(Self.devices(of: "T02", in: list)["printer0"]?["health"]?["state"] == .string("ok"), "T02's own printer is fine")

        // T01 dies: after terminal_stale_seconds its devices are stale, their last state kept.
        hall[0].kill9()
        #expect(eventually(30) {
            list = (try? onT02.call("device.list")) ?? .null
            return Self.devices(of: "T01", in: list)["printer0"]?["stale"] == .bool(true)
        })
        #expect(Self.devices(of: "T01", in: list)["printer0"]?["health"]?["state"] == .string("fault"))
        #expect(Self.devices(of: "T02", in: list)["printer0"]?["stale"] == .bool(false))
        // Back: fresh again.
        try hall[0].start()
        #expect(eventually(30) {
            list = (try? onT02.call("device.list")) ?? .null
            return Self.devices(of: "T01", in: list)["printer0"]?["stale"] == .bool(false)
        })
    }

    /// The technician at T02: `kioskctl devices` lists both terminals' devices with a terminal
    /// column; `kioskctl doctor` checks the database (server, version, schema, clock against the
    /// server's), passes on T02's own devices, and shows T01's broken printer as a warning.
    @Test func kioskctlShowsTheWholeHallAndDoctorChecksTheDatabase() throws {
        let hall = try SharedHall(count: 2)
        try hall.startAll()
        try hall[0].client(role: "admin").call("sim.printer", ["paper": "out"])
        #expect(eventually(15) {
            let list = (try? hall[1].client().call("device.list")) ?? .null
            return Self.devices(of: "T01", in: list)["printer0"]?["health"]?["state"] == .string("fault")
        })
        let devices = try ToolRun.run(DaemonHarness.binary("kioskctl"), ["devices", "--socket", hall[1].socket],
            environment: ["COLUMNS": "80"])
        #expect(devices.status == 0, "\(devices.stderr)")
        let lines = devices.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("TERMINAL") == true, "\(devices.stdout)")
        #expect(lines.contains { $0.hasPrefix("T01") && $0.contains("printer0") && $0.contains("fault") }, "\(devices.stdout)")
        #expect(lines.contains { $0.hasPrefix("T02") && $0.contains("printer0") && $0.contains("ok") }, "\(devices.stdout)")
        #expect(lines.allSatisfy { $0.count <= 80 }, "fits an 80-column terminal:\n\(devices.stdout)")

        let doctor = try ToolRun.run(DaemonHarness.binary("kioskctl"), ["doctor", "--config", hall[1].configPath])
        let out = doctor.stdout + doctor.stderr
        #expect(doctor.status == 0, "T01's printer is not T02's problem:\n\(out)")
        let rows = out.split(separator: "\n").map(String.init)
        #expect(rows.contains { $0.hasPrefix("ok") && $0.contains("storage") && $0.contains("PostgreSQL 15") && $0.contains("schema v5_ticket_count") }, "\(out)")
        #expect(rows.contains { $0.hasPrefix("ok") && $0.contains("clock") && $0.contains("database server") }, "\(out)")
        #expect(rows.contains { $0.hasPrefix("warn") && $0.contains("T01/printer0") && $0.contains("fault") }, "\(out)")
        #expect(rows.contains { $0.hasPrefix("ok") && $0.contains("device") && $0.contains("printer0") && !$0.contains("T01/") }, "\(out)")
    }

    /// On its own SQLite file a daemon lists its own devices, named with its terminal.
    @Test func aSingleDaemonNamesItsTerminalToo() throws {
        let d = try DaemonHarness(daemonExtra: "terminal = \"K9\"")
        try d.start()
        let list = try d.client().call("device.list")
        #expect(list.arrayValue?.count == 2)
        #expect(list.arrayValue?.allSatisfy { $0["terminal"] == .string("K9") && $0["stale"] == .bool(false) } == true)
    }
}
