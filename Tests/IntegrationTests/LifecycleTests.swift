import Foundation
import KioskClient
import KioskProtocol
import KioskTestSupport
import Testing

/// Graceful shutdown and peer-credential roles, against the real binary.
@Suite(.serialized) struct LifecycleTests {
    @Test func sigtermFinishesInFlightRequestsRefusesNewOnesAndExitsZero() throws {
        let daemon = try DaemonHarness()
        try daemon.start()
        let other = try daemon.client()
        // A request that is still in flight when SIGTERM arrives: waiting 1.5 s for a card.
        let inFlight = Thread {
            let c = try! KioskClient(socketPath: daemon.socket, timeout: 10)
            let e = rpcError { try c.call("idcard.read", ["timeoutSeconds": 1.5]) }
            InFlightResult.shared.set(e)
        }
        inFlight.start()
        usleep(300_000)
        daemon.signal(SIGTERM)
        usleep(200_000)
        let refused = rpcError { try other.call("queue.take", ["category": "A"]) }
        #expect(refused?.reason == "shutting_down" || refused?.code == 0)  // refused, or already closed
        daemon.process?.waitUntilExit()
        #expect(daemon.process?.terminationStatus == 0)
        // The in-flight read got its own answer (no card came), not a dropped connection.
        #expect(InFlightResult.shared.get()?.reason == "device_unavailable")
    }

    /// With `JOURNAL_STREAM` set kioskd starts each line with its syslog priority; 0–4 are
    /// emergency … warning: the lines a technician is alarmed by (`journalctl -p warning`).
    static let journal = ["JOURNAL_STREAM": "8:12345"]
    static func alarming(_ log: String) -> [Substring] {
        log.split(separator: "\n").filter { line in (0...4).contains { line.hasPrefix("<\($0)>") } }
    }

    @Test func ctrlCShutsDownWithoutAWarningOrAnError() throws {
        let daemon = try DaemonHarness()
        try daemon.start(environment: Self.journal)
        let c = try daemon.client()
        _ = try c.call("queue.take", ["category": "A"])
        _ = try c.call("events.subscribe", ["since": 0])
        // The workers are mid-cycle (storage maintenance runs every second) when Ctrl-C comes.
        usleep(1_300_000)
        daemon.signal(SIGINT)
        daemon.process?.waitUntilExit()
        #expect(daemon.process?.terminationStatus == 0)
        #expect(Self.alarming(daemon.log()).isEmpty, "\(daemon.log())")
    }

    @Test func aRefusedSecondInstanceLogsOnlyItsReason() throws {
        let daemon = try DaemonHarness()
        try daemon.start(environment: Self.journal)
        let second = try ToolRun.run(DaemonHarness.binary("kioskd"), ["--config", daemon.configPath],
            environment: Self.journal, timeout: 30)
        #expect(second.status != 0 && !second.timedOut)
        let output = second.stdout + second.stderr
        let alarming = Self.alarming(output)
        // One line, the refusal's own reason, and nothing alarming before it.
        #expect(alarming.count == 1, "\(output)")
        #expect(alarming.last.map { output.hasSuffix($0 + "\n") } == true, "\(output)")
        // The first instance is untouched.
        #expect(try daemon.client().call("daemon.status")["hall"]?["code"] == .string("500107-01"))
    }

    @Test func daemonStatusNamesTheTerminal() throws {
        let named = try DaemonHarness(daemonExtra: "terminal = \"T07\"")
        try named.start()
        defer { _ = named.stop() }
        #expect(try named.client().call("daemon.status")["terminal"] == .string("T07"))
        let shown = try KioskctlHall(daemon: named).ctl("status")
        #expect(shown.stdout.contains("terminal") && shown.stdout.contains("T07"), "\(shown)")
    }

    // Needs root (to switch users) and setpriv (util-linux, installed by scripts/setup).
    @Test(.enabled(if: getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv"),
        "needs root and /usr/bin/setpriv (util-linux) to run kioskctl as another user"))
    func peerCredentialsMapUsersToRolesThroughAccess() throws {
        let daemon = try DaemonHarness(daemonExtra: "socket_group = \"nogroup\"")
        try daemon.rewriteConfig(try String(contentsOfFile: daemon.configPath, encoding: .utf8) + """

            [access]
            display = { users = ["nobody"] }
            """)
        // The temp dir must be traversable for `nobody`.
        chmod(daemon.dir.path, 0o755)
        try daemon.start()
        func asNobody(_ args: [String]) throws -> (Int32, String) {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
            p.arguments = ["--reuid=nobody", "--regid=nogroup", "--init-groups", DaemonHarness.binary("kioskctl")]
                + args + ["--socket", daemon.socket]
            let out = Pipe()
            p.standardOutput = out
            p.standardError = out
            try p.run()
            p.waitUntilExit()
            return (p.terminationStatus, String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self))
        }
        let (helloStatus, hello) = try asNobody(["hello", "display", "--json"])
        #expect(helloStatus == 0, "\(hello)")
        #expect(hello.contains("display"))
        let (takeStatus, take) = try asNobody(["take", "A"])
        #expect(takeStatus == 2)
        #expect(take.contains("forbidden"))
    }
}

final class InFlightResult: @unchecked Sendable {
    static let shared = InFlightResult()
    private let lock = NSLock()
    private var value: RPCError?
    func set(_ v: RPCError?) { lock.withLock { value = v } }
    func get() -> RPCError? { lock.withLock { value } }
}
