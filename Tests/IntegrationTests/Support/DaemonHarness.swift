import Foundation
import KioskClient
import KioskProtocol
import KioskTestSupport

/// Starts the real `kioskd` binary on a temporary socket and state dir, for tests that drive it
/// over the socket the way kiosk shells and displays do.
final class DaemonHarness: @unchecked Sendable {
    let dir: URL
    let configPath: String
    let socket: String
    private(set) var process: ChildProcess?
    private(set) var stderrPath: String

    /// The folder holding the built executables (beside the test bundle).
    static var binDir: URL {
        if let env = ProcessInfo.processInfo.environment["KIOSKD_BIN_DIR"] { return URL(fileURLWithPath: env) }
        return URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    }

    static func binary(_ name: String) -> String { binDir.appendingPathComponent(name).path }

    /// A hall open around the clock so tests do not depend on the time of day.
    static func config(stateDir: String, socket: String, extra: String = "", queue: String = "", daemonExtra: String = "") -> String {
        """
        [daemon]
        socket = "\(socket)"
        state_dir = "\(stateDir)"
        timezone = "Asia/Shanghai"
        day_starts_at = "00:00"
        log_level = "warning"
        \(daemonExtra)

        [hall]
        code = "500107-01"
        name = "九龙坡区行政服务中心"

        [queue]
        \(queue)

        [[categories]]
        id = "A"
        name = "企业开办"
        prefix = "A"
        daily_limit = 300
        hours = "00:00-24:00"

        [[categories]]
        id = "B"
        name = "不动产登记"
        prefix = "B"
        daily_limit = 3
        hours = "00:00-24:00"

        [[categories]]
        id = "C"
        name = "社保医保"
        prefix = "C"
        hours = "00:00-24:00"

        [[categories]]
        id = "D"
        name = "建设工程审批"
        prefix = "D"
        hours = "00:00-24:00"
        requires_prereview = true

        [[windows]]
        id = "1"
        name = "1号窗口"
        serves = ["A", "B"]

        [[windows]]
        id = "2"
        name = "2号窗口"
        serves = ["A", "C"]

        [[windows]]
        id = "P1"
        name = "预审窗口"
        serves = ["D"]
        prereview = true

        [[devices]]
        id = "printer0"
        kind = "receipt-printer"
        transport = "simulated"
        paper_width_dots = 576

        [[devices]]
        id = "idreader0"
        kind = "idcard-reader"
        transport = "simulated"
        \(extra)
        """
    }

    /// Whether the daemons run on SQLite (the default) rather than on PostgreSQL
    /// (`KIOSKD_TEST_BACKEND=postgres`): tests that open, edit or sync-count the SQLite file
    /// themselves run only then (`.enabled(if: DaemonHarness.onSQLite, …)`).
    static let onSQLite = ProcessInfo.processInfo.environment["KIOSKD_TEST_BACKEND"] != "postgres"

    init(extraConfig: String = "", queue: String = "", daemonExtra: String = "") throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("kioskd-test-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        socket = dir.appendingPathComponent("k.sock").path
        configPath = dir.appendingPathComponent("kioskd.toml").path
        stderrPath = dir.appendingPathComponent("kioskd.log").path
        var extra = extraConfig
        // KIOSKD_TEST_BACKEND=postgres runs these daemons on a fresh database of the tests' private
        // PostgreSQL instead of SQLite: the whole protocol against the shared backend (by hand;
        // tests that open the SQLite file themselves do not apply).
        if !Self.onSQLite, !extra.contains("[storage]") {
            extra += "\n[storage]\nbackend = \"postgres\"\nurl = \"\(try PrivatePostgres.shared().createDatabase())\"\n"
        }
        try Self.config(stateDir: dir.appendingPathComponent("state").path, socket: socket, extra: extra, queue: queue, daemonExtra: daemonExtra)
            .write(toFile: configPath, atomically: true, encoding: .utf8)
    }

    /// Starts kioskd and waits until its socket accepts.
    func start(timeout: TimeInterval = 20, environment: [String: String] = [:], launcher: [String] = [], waitOn: String? = nil) throws {
        let command = launcher.isEmpty
            ? [Self.binary("kioskd"), "--config", configPath]
            : launcher + [Self.binary("kioskd"), "--config", configPath]
        let env = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        // Output appends to the log, so a restarted daemon's log follows the first one's.
        let p = try ChildProcess(executable: command[0], arguments: Array(command.dropFirst()), environment: env,
            stdout: stderrPath, stderr: stderrPath)
        process = p
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if (try? KioskClient(socketPath: waitOn ?? socket)) != nil { return }
            guard p.isRunning else { throw HarnessError("kioskd exited with \(p.terminationStatus): \(log())") }
            usleep(20_000)
        }
        throw HarnessError("kioskd did not accept on \(waitOn ?? socket) within \(timeout)s: \(log())")
    }

    func client(role: String? = nil) throws -> KioskClient {
        let c = try KioskClient(socketPath: socket, timeout: 20)
        if let role { try c.call("session.hello", .object(["role": .string(role)])) }
        return c
    }

    func signal(_ sig: Int32) { if let pid = process?.processIdentifier { kill(pid, sig) } }

    /// SIGKILL: no chance to flush or clean up.
    func kill9() {
        signal(SIGKILL)
        process?.waitUntilExit()
    }

    /// SIGTERM and wait; returns the exit status.
    @discardableResult
    func stop() -> Int32 {
        guard let p = process, p.isRunning else { return process?.terminationStatus ?? 0 }
        kill(p.processIdentifier, SIGTERM)
        p.waitUntilExit()
        return p.terminationStatus
    }

    func log() -> String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }

    func rewriteConfig(_ text: String) throws { try text.write(toFile: configPath, atomically: true, encoding: .utf8) }
    var stateDir: String { dir.appendingPathComponent("state").path }

    deinit {
        // A daemon that died by a signal we did not send is a crash: say so, with its log.
        if let p = process, !p.isRunning, p.terminatedBySignal, p.terminationStatus != SIGKILL,
            p.terminationStatus != SIGTERM {
            FileHandle.standardError.write(Data("kioskd CRASHED (signal \(p.terminationStatus)):\n\(log())\n".utf8))
        }
        if let p = process, p.isRunning {
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
        }
        // KIOSKD_KEEP_TEST_DIRS=1 keeps each daemon's config, state and log for a post-mortem.
        if ProcessInfo.processInfo.environment["KIOSKD_KEEP_TEST_DIRS"] == nil { try? FileManager.default.removeItem(at: dir) }
    }
}

struct HarnessError: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}

/// Runs `body` and returns the daemon's RPCError, or nil when it succeeded.
func rpcError(_ body: () throws -> Any) -> RPCError? {
    do {
        _ = try body()
        return nil
    } catch let e as RPCError {
        return e
    } catch {
        return RPCError(code: 0, message: "\(error)")
    }
}
