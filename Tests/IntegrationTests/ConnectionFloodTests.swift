import Foundation
import KioskClient
import KioskProtocol
import KioskTestSupport
import Testing

/// A peer without the admin role floods the socket: kioskd refuses what is past its limits with
/// one clear line, keeps room for the technician, and gives its memory back afterwards.
/// The flood runs as `nobody` (through setpriv), since root is always admin.
@Suite(.serialized) struct ConnectionFloodTests {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Support/socket-flood.py").path

    struct Report: Decodable {
        var opened: Int
        var connectErrors: [String: Int]
        var reasons: [String: Int]
        var closedByServer: Int
    }

    /// A daemon whose socket `nobody` may use, as a kiosk.
    static func harness(_ daemonExtra: String = "") throws -> DaemonHarness {
        let h = try DaemonHarness(
            extraConfig: "\n[access]\nkiosk = { users = [\"nobody\"], groups = [] }\n",
            daemonExtra: "socket_group = \"nogroup\"\n" + daemonExtra)
        chmod(h.dir.path, 0o755)
        return h
    }

    /// Runs the flood as `nobody` in the background; its report comes when it is done. On a
    /// thread of its own: in a full parallel run the cooperative pool can be busy for longer than
    /// the test waits, and a flood that never starts cannot fill the daemon.
    static func flood(_ h: DaemonHarness, _ count: Int, _ options: [String]) -> Task<Report, any Error> {
        let socket = h.socket
        let (outcome, deliver) = AsyncStream<Result<Report, any Error>>.makeStream()
        Thread {
            deliver.yield(Result {
                let run = try ToolRun.run("/usr/bin/setpriv",
                    ["--reuid=65534", "--regid=65534", "--clear-groups", "/usr/bin/python3", script, socket, "\(count)"] + options,
                    timeout: 120)
                guard run.status == 0, let last = run.stdout.split(separator: "\n").last else {
                    throw HarnessError("flood failed (\(run.status)): \(run.stderr)")
                }
                return try JSONDecoder().decode(Report.self, from: Data(last.utf8))
            })
            deliver.finish()
        }.start()
        return Task {
            for await result in outcome { return try result.get() }
            throw HarnessError("the flood's thread ended without a report")
        }
    }

    static func status(_ h: DaemonHarness) throws -> JSONValue { try h.client().call("daemon.status") }

    static func residentKiB(_ h: DaemonHarness) -> Int {
        guard let pid = h.process?.processIdentifier,
            let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") })
        else { return 0 }
        return Int(line.split(separator: " ").dropFirst().first ?? "0") ?? 0
    }

    static func cpuTicks(_ h: DaemonHarness) -> Int {
        guard let pid = h.process?.processIdentifier,
            let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = text.lastIndex(of: ")")
        else { return 0 }
        let fields = text[text.index(after: close)...].split(separator: " ")
        return (Int(fields[11]) ?? 0) + (Int(fields[12]) ?? 0)  // utime + stime
    }

    @Test func pastTheLimitANewConnectionGetsOneLineAndAdminsStillGetIn() async throws {
        // 200 descriptors: 200 − 64 reserved − 16 for admins = 120 connections.
        let h = try Self.harness()
        try h.start(launcher: ["/usr/bin/prlimit", "--nofile=200:200", "--"])
        let flood = Self.flood(h, 300, ["--hold", "30"])  // long enough to be seen on a loaded machine
        #expect(try eventually(90) { try Self.status(h)["connections"]?.intValue ?? 0 >= 110 }, "the flood never filled the daemon")
        // The technician's connection is beyond the limit, in the admin reserve.
        let status = try Self.status(h)
        #expect(status["pid"]?.intValue == Int64(h.process!.processIdentifier))
        let doctor = try ToolRun.run(DaemonHarness.binary("kioskctl"), ["doctor", "--config", h.configPath, "--socket", h.socket])
        #expect(doctor.status == 0, "kioskctl doctor during the flood:\n\(doctor.stdout)\(doctor.stderr)")
        let ticksBefore = Self.cpuTicks(h)
        usleep(2_000_000)
        // Holding hundreds of refused and open connections, the daemon idles (a spin would use all 2 s).
        #expect(Self.cpuTicks(h) - ticksBefore < 100, "kioskd used \(Self.cpuTicks(h) - ticksBefore) ticks while a flood held it")
        let report = try await flood.value
        #expect(report.opened + report.connectErrors.values.reduce(0, +) == 300)
        #expect((report.reasons["too_many_connections"] ?? 0) >= 170, "\(report)")
        #expect(Set(report.reasons.keys).isSubset(of: ["too_many_connections"]), "\(report)")
        // Once the flood is gone, the same peer is served again.
        let after = try await Self.flood(h, 10, []).value
        #expect(after.reasons.isEmpty, "\(after)")
        #expect(h.log().contains("too_many_connections") || h.log().contains("connections are open, the limit"))
    }

    @Test func unfinishedLinesDrawOnOneBudgetAndMustEndInTime() async throws {
        // 2 MiB for everybody's unfinished lines beyond 64 KiB each; a line must end within 2 s.
        let h = try Self.harness("line_memory_mib = 2\nidle_line_seconds = 2\n")
        try h.start()
        // Each holds 128 KiB: 64 KiB from the budget, so about 32 of 60 fit.
        let report = try await Self.flood(h, 60, ["--partial", "\(128 * 1024)", "--hold", "4"]).value
        let overloaded = report.reasons["overloaded"] ?? 0, timedOut = report.reasons["line_timeout"] ?? 0
        #expect(overloaded >= 20 && overloaded <= 40, "\(report)")
        #expect(timedOut >= 20, "\(report)")
        #expect(overloaded + timedOut == 60, "every connection was answered: \(report)")
        #expect(report.closedByServer == 60)
        // The daemon itself is unharmed.
        #expect(try Self.status(h)["pid"] != nil)
    }

    @Test func memoryTakenByAFloodOfPartialLinesIsGivenBack() async throws {
        let h = try Self.harness("idle_line_seconds = 300\n")
        try h.start()
        _ = try Self.status(h)
        let baseline = Self.residentKiB(h)
        // 120 connections × ~1 MB partial lines: the 64 MiB budget holds about 70 of them.
        let report = try await Self.flood(h, 120, ["--partial", "1000000", "--hold", "1"]).value
        #expect((report.reasons["overloaded"] ?? 0) >= 30, "\(report)")
        #expect(Set(report.reasons.keys) == ["overloaded"], "\(report)")
        #expect(eventually { Self.residentKiB(h) < baseline + 48 * 1024 },
            "RSS \(Self.residentKiB(h)) KiB after the flood, \(baseline) KiB before")
    }

    @Test func aSubscriberThatNeverReadsIsCutByBytesAndItsMemoryReturns() async throws {
        let h = try Self.harness("subscriber_buffer_bytes = 16384\n")
        try h.start()
        let c = try h.client()
        _ = try c.call("daemon.status")
        let baseline = Self.residentKiB(h)
        let flood = Self.flood(h, 30, ["--subscribe", "--hold", "10"])
        #expect(try eventually(90) { try Self.status(h)["subscribers"]?.intValue ?? 0 >= 30 })
        // Events of ~400 bytes until all are cut: a few hundred (the socket's own buffer takes
        // ~200 KB first), far fewer than the 4,096 messages a queue may hold.
        var events = 0
        while events < 2_000 {
            _ = try c.call("queue.take", ["category": "C"])
            events += 1
            if events % 50 == 0, try Self.status(h)["slowSubscribersCut"]?.intValue ?? 0 >= 30 { break }
        }
        #expect(try Self.status(h)["slowSubscribersCut"]?.intValue ?? 0 >= 30)
        #expect(events < 4_096, "cut by bytes, before the message bound")
        #expect(eventually { Self.residentKiB(h) < baseline + 32 * 1024 },
            "RSS \(Self.residentKiB(h)) KiB after the cut, \(baseline) KiB before")
        _ = try await flood.value
    }
}
