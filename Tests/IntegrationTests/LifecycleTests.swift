import Foundation
import KioskClient
import KioskProtocol
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

    @Test func peerCredentialsMapUsersToRolesThroughAccess() throws {
        guard getuid() == 0, FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv") else { return }
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
