import Foundation
import KioskClient
import KioskProtocol
import KioskTestSupport
import Testing

/// The database becomes unusable under a running hall — read-only, damaged, or on a full disk:
/// kioskd says so in `daemon.status`, `kioskctl doctor` fails, writes are refused with
/// `storage_unavailable` and change nothing, and once the cause is gone it heals by itself.
@Suite(.serialized, .enabled(if: DaemonHarness.onSQLite, "opens the SQLite file itself")) struct StorageFaultTests {
    static let setpriv = "/usr/bin/setpriv"
    static var canDropPrivileges: Bool { getuid() == 0 && FileManager.default.isExecutableFile(atPath: setpriv) }

    /// Root ignores file modes: run the daemon as `nobody` so a read-only file is read-only to it.
    static let asNobody = [setpriv, "--reuid=nobody", "--regid=nogroup", "--clear-groups"]

    @Test(.enabled(if: canDropPrivileges, "needs root and setpriv to run the daemon as another user"))
    func aReadOnlyDatabaseFaultsTheStoreAndHealsWhenWritableAgain() throws {
        let daemon = try DaemonHarness()
        try chownTree(daemon.dir.path, to: "nobody:nogroup")
        try daemon.start(launcher: Self.asNobody)
        #expect(try daemon.client().call("queue.take", ["category": "A"])["number"] == .string("A001"))
        #expect(daemon.stop() == 0)
        let database = daemon.stateDir + "/kioskd.sqlite"
        chmod(database, 0o444)

        let notify = try SystemdProtocolTests.NotifySocket(dir: daemon.dir)
        chmod(notify.path, 0o777)
        try daemon.start(environment: ["NOTIFY_SOCKET": notify.path, "WATCHDOG_USEC": "400000"], launcher: Self.asNobody)
        let c = try daemon.client()
        // systemd hears why, and no watchdog ping while it lasts: it would restart the daemon.
        let faulted = notify.receive(for: 1.5)
        #expect(faulted.contains { $0.contains("STATUS=storage fault") && $0.contains(database) }, "\(faulted)")
        #expect(!faulted.contains { $0.contains("WATCHDOG=1") }, "\(faulted)")
        let status = try c.call("daemon.status")
        #expect(status["storage"]?["state"] == .string("fault"))
        let error = status["storage"]?["error"]?.stringValue ?? ""
        #expect(error.contains(database), "\(error)")
        // Refused, and nothing issued.
        #expect(rpcError { try c.call("queue.take", ["category": "A"]) }?.reason == "storage_unavailable")
        let (doctorStatus, doctor) = try runTool("kioskctl", ["doctor", "--config", daemon.configPath])
        #expect(doctorStatus == 1)
        #expect(doctor.contains("FAIL  storage"), "\(doctor)")

        chmod(database, 0o644)
        try waitForStorage("ok", c)
        #expect(notify.receive(for: 5) { $0.contains("WATCHDOG=1") }.contains { $0.contains("WATCHDOG=1") })
        #expect(try c.call("queue.take", ["category": "A"])["number"] == .string("A002"))
        #expect(try c.call("daemon.status")["pid"]?.intValue == Int64(status["pid"]?.intValue ?? -1))  // no restart
        // The recovery is in the event log, with the fault it ended.
        let display = try daemon.client()
        try display.call("events.subscribe", ["topics": ["storage.*"], "since": 0])
        let healed = try #require(try display.nextEvent(timeout: 5))
        #expect(healed.data["state"] == .string("ok"))
        #expect(healed.data["fault"]?.stringValue?.contains(database) == true)
    }

    @Test func aCorruptPageIsFoundAtStartAndFaultsTheStore() throws {
        let port = RawHTTP.freePort()
        let daemon = try DaemonHarness(extraConfig: "\n[http]\nlisten = \"127.0.0.1:\(port)\"\n")
        try daemon.start()
        let c = try daemon.client()
        for _ in 0..<300 { try c.call("queue.take", ["category": "C"]) }
        #expect(daemon.stop() == 0)
        let database = daemon.stateDir + "/kioskd.sqlite"
        // Garbage over the root page of an index of the tickets.
        let (_, root) = try runCommand("/usr/bin/sqlite3", [database, "SELECT rootpage FROM sqlite_schema WHERE name = 'tickets_waiting'"])
        let page = try #require(Int(root.trimmingCharacters(in: .whitespacesAndNewlines)))
        let file = try #require(FileHandle(forUpdatingAtPath: database))
        try file.seek(toOffset: UInt64((page - 1) * 4096))
        try file.write(contentsOf: Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }))
        try file.close()

        try daemon.start()
        let status = try waitForStorage("fault", try daemon.client())
        let error = status["storage"]?["error"]?.stringValue ?? ""
        #expect(error.contains(database) && error.contains("corrupt") && error.contains("restore"), "\(error)")
        #expect(rpcError { try daemon.client().call("queue.take", ["category": "A"]) }?.reason == "storage_unavailable")
        let (doctorStatus, doctor) = try runTool("kioskctl", ["doctor", "--config", daemon.configPath])
        #expect(doctorStatus == 1)
        #expect(doctor.contains("FAIL  storage") && doctor.contains("corrupt"), "\(doctor)")
        // The hall's monitoring sees it too.
        let health = try RawHTTP.request(port: port, "GET", "/healthz")
        #expect(health.status == 503 && health.body.contains("corrupt"), "\(health.raw)")
    }

    static var canMountTmpfs: Bool {
        guard getuid() == 0 else { return false }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tmpfs-probe-\(UUID().uuidString.prefix(8))").path
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        guard (try? runCommand("/usr/bin/mount", ["-t", "tmpfs", "-o", "size=1m", "tmpfs", dir]).0) == 0 else { return false }
        _ = try? runCommand("/usr/bin/umount", [dir])
        return true
    }

    @Test(.enabled(if: canMountTmpfs, "needs permission to mount a small tmpfs"))
    func aFullDiskFaultsTheStoreAndHealsWhenSpaceIsFreed() throws {
        let daemon = try DaemonHarness()
        try FileManager.default.createDirectory(atPath: daemon.stateDir, withIntermediateDirectories: true)
        #expect(try runCommand("/usr/bin/mount", ["-t", "tmpfs", "-o", "size=6m", "tmpfs", daemon.stateDir]).0 == 0)
        defer {
            daemon.kill9()
            _ = try? runCommand("/usr/bin/umount", [daemon.stateDir])
        }
        try daemon.start()
        let c = try daemon.client()
        let display = try daemon.client()
        try display.call("events.subscribe", ["topics": ["storage.*"]])
        try c.call("queue.take", ["category": "C"])
        // Fill the rest of the disk, then keep issuing until the database runs out of room.
        let filler = daemon.stateDir + "/filler"
        _ = FileManager.default.createFile(atPath: filler, contents: nil)
        let fill = try #require(FileHandle(forWritingAtPath: filler))
        let block = Data(count: 64 * 1024)
        while (try? fill.write(contentsOf: block)) != nil {}
        try? fill.close()
        var refused: RPCError?
        for _ in 0..<20_000 {
            refused = rpcError { try c.call("queue.take", ["category": "C"]) }
            if refused != nil { break }
        }
        #expect(refused?.reason == "storage_unavailable")
        let status = try waitForStorage("fault", c)
        #expect(status["storage"]?["error"]?.stringValue?.contains("full") == true)
        let fault = try #require(try display.nextEvent(timeout: 5))
        #expect(fault.topic == "storage.status" && fault.data["state"] == .string("fault"))

        try FileManager.default.removeItem(atPath: filler)
        try waitForStorage("ok", c)
        #expect(rpcError { try c.call("queue.take", ["category": "C"]) } == nil)
        let healed = try #require(try display.nextEvent(timeout: 5))
        #expect(healed.topic == "storage.status" && healed.data["state"] == .string("ok"))
    }

    /// Polls `daemon.status` until the store is in `state` (the daemon reopens it every second).
    @discardableResult
    func waitForStorage(_ state: String, _ c: KioskClient) throws -> JSONValue {
        let deadline = Date().addingTimeInterval(15)
        while true {
            let status = try c.call("daemon.status")
            if status["storage"]?["state"] == .string(state) || Date() > deadline { return status }
            usleep(100_000)
        }
    }

    func chownTree(_ path: String, to owner: String) throws {
        #expect(try runCommand("/usr/bin/chown", ["-R", owner, path]).0 == 0)
    }

    func runTool(_ name: String, _ args: [String]) throws -> (Int32, String) {
        try runCommand(DaemonHarness.binary(name), args)
    }
}

/// Runs a tool and returns its exit status and output (stdout and stderr).
func runCommand(_ path: String, _ args: [String]) throws -> (Int32, String) {
    let r = try ToolRun.run(path, args, timeout: 30)
    return (r.status, r.stdout + r.stderr)
}
