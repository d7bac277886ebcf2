import Foundation
import Synchronization

/// A real PostgreSQL server of the tests' own (Debian's postgresql-15), in a temp folder, on a
/// Unix socket only: `initdb`, `pg_ctl start`, and a database per test.
///
///     let pg = try PrivatePostgres.shared()      // one server per test process, stopped at exit
///     let url = try pg.createDatabase()          // "postgresql:///t_1a2b…?host=/tmp/kpg-…&port=55432&user=kiosk"
///     try pg.stop(.immediate); try pg.start()   // a crash, and the server back
///
/// initdb refuses root, so as root every tool runs as the `postgres` user (`runuser`), on a
/// folder it owns; as anyone else, as that user.
public final class PrivatePostgres: Sendable {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public enum StopMode: String, Sendable {
        /// Clients are disconnected, the server shuts down cleanly.
        case fast
        /// The server stops at once, as in a crash (recovery at the next start).
        case immediate
    }

    /// The folder: `data/` (the cluster), the socket, `log`.
    public let dir: String
    public let port: Int
    public let user = "kiosk"
    public var dataDir: String { dir + "/data" }
    public var logPath: String { dir + "/log" }

    /// The newest installed server's programs (`/usr/lib/postgresql/15/bin`).
    public static let bin: String? = {
        let root = "/usr/lib/postgresql"
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).compactMap(Int.init).sorted()
        return versions.last.map { "\(root)/\($0)/bin" }.flatMap { FileManager.default.isExecutableFile(atPath: $0 + "/initdb") ? $0 : nil }
    }()

    public static var isAvailable: Bool { bin != nil }

    /// A new cluster in a new folder, started.
    public init(port: Int = 55432) throws {
        guard let bin = Self.bin else { throw Failure(description: "PostgreSQL is not installed: run scripts/setup") }
        dir = try Self.makeFolder()
        self.port = port
        try Self.check(Self.tool(bin + "/initdb", ["-D", dataDir, "-A", "trust", "-U", user, "-E", "UTF8", "--no-sync", "--locale=C"]), "initdb")
        try start()
    }

    /// A streaming standby of `primary` (`pg_basebackup -R`), in a folder of its own, started: it
    /// replays the primary's WAL and refuses writes until promoted.
    public init(standbyOf primary: PrivatePostgres, port: Int) throws {
        guard let bin = Self.bin else { throw Failure(description: "PostgreSQL is not installed: run scripts/setup") }
        dir = try Self.makeFolder()
        self.port = port
        try Self.check(Self.tool(bin + "/pg_basebackup", ["-D", dataDir, "-R", "-X", "stream", "--no-sync", "--checkpoint=fast",
            "-h", primary.dir, "-p", "\(primary.port)", "-U", user]), "pg_basebackup")
        try start()
    }

    /// Makes a standby the primary (`pg_ctl promote`), waiting until it accepts writes.
    public func promote() throws {
        try Self.check(Self.tool(Self.bin! + "/pg_ctl", ["-D", dataDir, "-w", "-t", "30", "promote"]), "pg_ctl promote")
    }

    private static func makeFolder() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kpg-\(UUID().uuidString.prefix(8))").path
        if getuid() == 0 {
            try check(ToolRun.run("/usr/bin/install", ["-d", "-m", "0755", "-o", "postgres", "-g", "postgres", dir]), "install -d")
        } else {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        }
        return dir
    }

    /// Starts the server (again), waiting until it accepts connections.
    public func start() throws {
        let options = "-k \(dir) -p \(port) -c listen_addresses='' -c max_connections=200 -c fsync=on"
        try Self.check(Self.tool(Self.bin! + "/pg_ctl", ["-D", dataDir, "-o", options, "-l", logPath, "-w", "-t", "30", "start"]), "pg_ctl start")
    }

    public func stop(_ mode: StopMode = .fast) throws {
        try Self.check(Self.tool(Self.bin! + "/pg_ctl", ["-D", dataDir, "-m", mode.rawValue, "-w", "stop"]), "pg_ctl stop")
    }

    /// Stops the server if it runs and removes its folder.
    public func remove() {
        _ = try? Self.tool(Self.bin! + "/pg_ctl", ["-D", dataDir, "-m", "immediate", "-w", "stop"])
        try? FileManager.default.removeItem(atPath: dir)
    }

    /// A libpq URL of `database` on this server.
    public func url(database: String) -> String {
        "postgresql:///\(database)?host=\(dir)&port=\(port)&user=\(user)"
    }

    /// A new, empty database; returns its URL.
    public func createDatabase() throws -> String {
        let name = "t_" + UUID().uuidString.prefix(12).lowercased().replacingOccurrences(of: "-", with: "")
        try sql("CREATE DATABASE \(name)")
        return url(database: name)
    }

    /// Runs SQL through `psql` as the cluster's owner; returns what it printed (unaligned, no
    /// headers).
    @discardableResult
    public func sql(_ statement: String, database: String = "postgres") throws -> String {
        let psql = Self.bin! + "/psql"
        let run = try ToolRun.run(psql, ["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", dir, "-p", "\(port)", "-U", user,
            "-d", database, "-c", statement])
        try Self.check(run, "psql")
        return run.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    // MARK: One per test process

    private static let sharedServer = Mutex<PrivatePostgres?>(nil)

    /// The test process's server, started on first use and stopped when the process exits.
    public static func shared() throws -> PrivatePostgres {
        try sharedServer.withLock { server in
            if let server { return server }
            let made = try PrivatePostgres(port: 55432)
            server = made
            atexit { PrivatePostgres.removeShared() }
            return made
        }
    }

    private static func removeShared() {
        sharedServer.withLock { $0 }?.remove()
    }

    // MARK: Plumbing

    /// A server tool, as `postgres` when we are root (initdb and the server refuse root).
    private static func tool(_ program: String, _ args: [String]) throws -> ToolRun {
        if getuid() == 0 {
            return try ToolRun.run("/usr/sbin/runuser", ["-u", "postgres", "--", program] + args)
        }
        return try ToolRun.run(program, args)
    }

    private static func check(_ run: ToolRun, _ what: String) throws {
        guard run.status == 0 else { throw Failure(description: "\(what) failed (\(run.status)): \(run.stderr) \(run.stdout)") }
    }
}
