import CLibPQ
import Foundation

/// One connection to the hall's PostgreSQL server (连接), through libpq. Synchronous, like the
/// store's transaction bodies. libpq allows one thread at a time on a connection: `PGPool` hands
/// each to one transaction at a time (hence `@unchecked Sendable`: moved between threads, never
/// shared).
///
/// The URL is libpq's own (`postgresql://kioskd@db1,db2/hall?target_session_attrs=read-write`):
/// several hosts are tried in order, and `target_session_attrs` picks the one that accepts writes,
/// so after a failover a new connection finds the promoted standby by itself. Timeouts are set so
/// that a server that went away is an error within seconds, never a hang: the connect timeout,
/// TCP keepalives and `tcp_user_timeout` (values in the URL win).
final class PGConnection: @unchecked Sendable {
    private let conn: OpaquePointer

    /// Connects; throws `.connection` with libpq's reason when no host could be used.
    init(url: String, connectTimeoutSeconds: Int = 5) throws(PGError) {
        // Keywords before `dbname` are defaults: the expanded URL's own settings override them.
        let settings: [(String, String)] = [
            ("connect_timeout", "\(connectTimeoutSeconds)"),
            ("keepalives_idle", "5"), ("keepalives_interval", "2"), ("keepalives_count", "2"),
            ("tcp_user_timeout", "\(connectTimeoutSeconds * 1000)"),
            ("application_name", "kioskd"),
            // A lock or statement that waits longer is an error (storage_unavailable), not a hang;
            // a daemon that stops mid-transaction is cut off, so it cannot hold the hall's write lock.
            ("options", "-c lock_timeout=5000 -c statement_timeout=15000 -c idle_in_transaction_session_timeout=15000"),
            ("client_encoding", "UTF8"),
            ("dbname", url),
        ]
        let made: OpaquePointer? = settings.map { Optional($0.0) }.withCStringArray { keys in
            settings.map { Optional($0.1) }.withCStringArray { values in PQconnectdbParams(keys, values, 1) }
        }
        guard let made else { throw PGError(.connection, "out of memory opening a connection") }
        guard PQstatus(made) == CONNECTION_OK else {
            let reason = Self.message(PQerrorMessage(made))
            PQfinish(made)
            throw PGError(.connection, reason.isEmpty ? "cannot connect" : reason)
        }
        conn = made
        // Notices ("relation … already exists, skipping" while daemons migrate at once) are not
        // errors: libpq's default prints them on stderr, into the daemon's log.
        PQsetNoticeProcessor(made, { _, _ in }, nil)
    }

    deinit { PQfinish(conn) }

    /// Set when a statement failed for the connection's sake: libpq may still say OK then.
    private var broken = false

    /// Whether the connection still works as far as we know (a broken one shows when a
    /// statement fails): a store drops a connection that is not OK.
    var isOK: Bool { !broken && PQstatus(conn) == CONNECTION_OK }

    /// The server process serving this connection (`pg_backend_pid()`): a notification's sender.
    var backendPID: Int32 { PQbackendPID(conn) }

    /// The server this connection reached (`db1`, or the socket folder), and its port.
    var server: String { "\(Self.message(PQhost(conn))):\(Self.message(PQport(conn)))" }

    /// Exchanges with the server that waited for its answer (each costs a network round trip):
    /// what the hall's statements are counted in (`PGPool.roundTrips`).
    private(set) var roundTrips = 0

    /// Runs one statement with `$1…` parameters sent apart from the text (never spliced in), all
    /// in text format; nil is SQL NULL.
    @discardableResult
    func execute(_ sql: String, _ parameters: [String?] = []) throws(PGError) -> PGResult {
        forgetPrefetched(before: sql)
        roundTrips += 1
        return try checked(parameters.withCStringArray { values in
            PQexecParams(conn, sql, Int32(parameters.count), nil, values, nil, nil, 0)
        })
    }

    /// Makes a commit return only once it is flushed to disk: a database or role configured with
    /// `synchronous_commit = off` would answer tickets a server crash then loses. The other
    /// settings (local, on, remote_write, remote_apply) all flush the primary's WAL first.
    func requireDurableCommits() throws(PGError) {
        if try execute("SHOW synchronous_commit").string(0, 0) == "off" {
            try execute("SET synchronous_commit = on")
        }
    }

    /// Statements prepared on this connection, by their text: the server parses and plans each
    /// once per connection instead of once per call.
    private var prepared: [String: String] = [:]

    /// Like `execute`, through a statement prepared on first use. A result fetched ahead for the
    /// same statement and parameters (`prefetch`) is answered without asking the server again.
    @discardableResult
    func executePrepared(_ sql: String, _ parameters: [String?]) throws(PGError) -> PGResult {
        if !prefetched.isEmpty {
            if let ready = prefetched.removeValue(forKey: Statement(sql: sql, parameters: parameters)) { return ready }
            forgetPrefetched(before: sql)
        }
        let name = try preparedName(sql)
        roundTrips += 1
        return try checked(parameters.withCStringArray { values in
            PQexecPrepared(conn, name, Int32(parameters.count), values, nil, nil, 0)
        })
    }

    /// The name `sql` is prepared under on this connection, preparing it on first use.
    private func preparedName(_ sql: String) throws(PGError) -> String {
        if let known = prepared[sql] { return known }
        let name = "k\(prepared.count + 1)"
        roundTrips += 1
        _ = try checked(PQprepare(conn, name, sql, 0, nil))
        prepared[sql] = name
        return name
    }

    /// Runs several `;`-separated statements without parameters (a migration's script).
    func run(script: String) throws(PGError) {
        forgetPrefetched(before: script)
        roundTrips += 1
        _ = try checked(PQexec(conn, script))
    }

    // MARK: Pipelining

    /// One statement and its parameters, as `executePrepared` takes them.
    struct Statement: Hashable {
        var sql: String
        var parameters: [String?]
    }

    /// Results fetched ahead, each answered once to the same statement with the same parameters.
    private var prefetched: [Statement: PGResult] = [:]

    /// Anything but a plain read — a write, BEGIN, COMMIT, ROLLBACK — may change what was
    /// fetched ahead, or ends the transaction it was read in: it is all forgotten first.
    private func forgetPrefetched(before sql: String) {
        if !sql.hasPrefix("SELECT") { prefetched.removeAll() }
    }

    /// Runs `statements` together and keeps their results for the `executePrepared` calls that
    /// ask for them next: one round trip instead of one each. Until then any statement other than
    /// a `SELECT`, and the transaction's end, forgets them, so a kept result is never older than
    /// what the same read would see.
    func prefetch(_ statements: [Statement]) throws(PGError) {
        let results = try executePipelined(statements)
        for (statement, result) in zip(statements, results) { prefetched[statement] = result }
    }

    /// Runs prepared statements in one exchange (libpq's pipeline mode): all are sent, then one
    /// sync, then their results are read in order. A statement that fails fails the call; those
    /// after it are not run (the server aborts the pipeline, as it aborts the transaction).
    func executePipelined(_ statements: [Statement]) throws(PGError) -> [PGResult] {
        for statement in statements { forgetPrefetched(before: statement.sql) }
        let names = try statements.map { (s) throws(PGError) in try preparedName(s.sql) }
        guard PQenterPipelineMode(conn) == 1 else { throw PGError(.other, "cannot pipeline: \(Self.message(PQerrorMessage(conn)))") }
        roundTrips += 1
        for (statement, name) in zip(statements, names) {
            let sent = statement.parameters.withCStringArray { values in
                PQsendQueryPrepared(conn, name, Int32(statement.parameters.count), values, nil, nil, 0)
            }
            guard sent == 1 else { throw lost(Self.message(PQerrorMessage(conn))) }
        }
        guard PQpipelineSync(conn) == 1 else { throw lost(Self.message(PQerrorMessage(conn))) }
        var results: [PGResult] = []
        var failure: PGError?
        for _ in statements {
            // Each statement's results end with a null; an aborted one reports PIPELINE_ABORTED.
            guard let raw = PQgetResult(conn) else { throw lost(Self.message(PQerrorMessage(conn))) }
            while let extra = PQgetResult(conn) { PQclear(extra) }
            if PQresultStatus(raw) == PGRES_PIPELINE_ABORTED {
                PQclear(raw)
                continue
            }
            do {
                results.append(try checked(raw))
            } catch {
                failure = failure ?? error
            }
        }
        guard let sync = PQgetResult(conn) else { throw lost(Self.message(PQerrorMessage(conn))) }
        let synced = PQresultStatus(sync) == PGRES_PIPELINE_SYNC
        PQclear(sync)
        guard synced, PQexitPipelineMode(conn) == 1 else { throw lost("the pipeline did not end: \(Self.message(PQerrorMessage(conn)))") }
        if let failure { throw failure }
        return results
    }

    /// The result of a statement, or its error; a connection error marks the connection broken.
    private func checked(_ raw: OpaquePointer?) throws(PGError) -> PGResult {
        guard let raw else { throw lost(Self.message(PQerrorMessage(conn))) }
        let result = PGResult(raw)
        switch PQresultStatus(raw) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
            return result
        default:
            let error = PGError(result: raw, connectionBroken: PQstatus(conn) != CONNECTION_OK, fallback: Self.message(PQerrorMessage(conn)))
            if error.kind == .connection { broken = true }
            throw error
        }
    }

    /// The connection is gone: marked so, and the error to throw.
    private func lost(_ message: String) -> PGError {
        broken = true
        return PGError(.connection, message)
    }

    // MARK: LISTEN / NOTIFY

    /// A `NOTIFY` received on a channel this connection `LISTEN`s to.
    struct Notification: Equatable {
        var channel: String
        var payload: String
        /// The server process that sent it (its `pg_backend_pid()`).
        var senderPID: Int32
    }

    /// Notifications that arrived, waiting up to `timeout` for the first if none has. An idle
    /// connection is only read here: call it from the thread that owns the connection.
    func notifications(waitingUpTo timeout: Duration = .zero) throws(PGError) -> [Notification] {
        var found = try takeNotifications()
        guard found.isEmpty, timeout > .zero else { return found }
        let deadline = ContinuousClock.now + timeout
        while found.isEmpty {
            let left = deadline - ContinuousClock.now
            guard left > .zero else { break }
            var p = pollfd(fd: PQsocket(conn), events: Int16(POLLIN), revents: 0)
            let ms = Int32(clamping: left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000 + 1)
            let r = poll(&p, 1, ms)
            if r < 0, errno != EINTR { break }
            if r > 0, p.revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0, p.revents & Int16(POLLIN) == 0 {
                throw lost("the server closed the connection")
            }
            found = try takeNotifications()
        }
        return found
    }

    private func takeNotifications() throws(PGError) -> [Notification] {
        guard PQconsumeInput(conn) == 1 else { throw lost(Self.message(PQerrorMessage(conn))) }
        var found: [Notification] = []
        while let n = PQnotifies(conn) {
            found.append(Notification(channel: String(cString: n.pointee.relname), payload: String(cString: n.pointee.extra),
                senderPID: n.pointee.be_pid))
            PQfreemem(n)
        }
        return found
    }

    static func message(_ c: UnsafePointer<CChar>?) -> String {
        guard let c else { return "" }
        return String(cString: c).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

extension Array where Element == String? {
    /// The values as C strings (NULL for nil) for the duration of `body`, followed by a NULL:
    /// `PQconnectdbParams` reads up to it, `PQexecParams` takes the count and ignores it.
    fileprivate func withCStringArray<R>(_ body: (UnsafePointer<UnsafePointer<CChar>?>) -> R) -> R {
        let copies = map { $0.map { strdup($0) } ?? nil }
        defer { copies.forEach { free($0) } }
        let pointers = copies.map { $0.map { UnsafePointer($0) } } + [nil]
        return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
    }
}

/// The rows of one statement, read as text (as sent: text format).
final class PGResult {
    private let result: OpaquePointer

    init(_ result: OpaquePointer) { self.result = result }
    deinit { PQclear(result) }

    var rowCount: Int { Int(PQntuples(result)) }
    var columnCount: Int { Int(PQnfields(result)) }
    /// Rows a command changed (`UPDATE … 3` → 3).
    var affectedRows: Int { Int(String(cString: PQcmdTuples(result))) ?? 0 }

    func column(_ name: String) -> Int? {
        let i = PQfnumber(result, name)
        return i < 0 ? nil : Int(i)
    }

    /// The value at (`row`, `column`), nil for NULL.
    func string(_ row: Int, _ column: Int) -> String? {
        guard PQgetisnull(result, Int32(row), Int32(column)) == 0 else { return nil }
        return String(cString: PQgetvalue(result, Int32(row), Int32(column)))
    }

    func int64(_ row: Int, _ column: Int) -> Int64? { string(row, column).flatMap { Int64($0) } }
}

/// A PostgreSQL failure, sorted by what the store does about it.
struct PGError: Error, CustomStringConvertible {
    enum Kind: Equatable {
        /// No server, or the connection broke: `storage_unavailable`, try another connection.
        case connection
        /// The server refuses writes (a standby, or `default_transaction_read_only`).
        case readOnly
        /// A serialization failure or deadlock: the transaction may simply be run again.
        case retry
        case uniqueViolation
        case other
    }

    let kind: Kind
    /// The five-character SQLSTATE, when the server sent one.
    let sqlState: String?
    let message: String

    init(_ kind: Kind, _ message: String, sqlState: String? = nil) {
        self.kind = kind
        self.message = message
        self.sqlState = sqlState
    }

    init(result: OpaquePointer, connectionBroken: Bool, fallback: String) {
        let state = PQresultErrorField(result, Int32(UInt8(ascii: "C"))).map { String(cString: $0) }
        let text = PGConnection.message(PQresultErrorMessage(result))
        self.init(Self.kind(sqlState: state, connectionBroken: connectionBroken), text.isEmpty ? fallback : text, sqlState: state)
    }

    /// SQLSTATE classes: 08 connection, 57P0x shutdown, 40001/40P01 retry, 25006 read-only
    /// transaction, 23505 unique violation. An error without one was made by libpq itself
    /// ("server closed the connection unexpectedly"): the connection's.
    static func kind(sqlState: String?, connectionBroken: Bool) -> Kind {
        guard let s = sqlState else { return .connection }
        if s.hasPrefix("08") || s.hasPrefix("57P0") || connectionBroken { return .connection }
        switch s {
        case "40001", "40P01": return .retry
        case "25006": return .readOnly
        case "23505": return .uniqueViolation
        default: return .other
        }
    }

    var description: String { sqlState.map { "\(message) (SQLSTATE \($0))" } ?? message }
}

/// One row of a `PGResult`, read by column name through the shared decoders (`StoreRow`).
struct PGRow: StoreRow {
    let result: PGResult
    let index: Int

    subscript<V: StoreColumnValue>(_ column: String) -> V? {
        guard let c = result.column(column), let text = result.string(index, c) else { return nil }
        return V(storeText: text)
    }

    subscript<V: StoreColumnValue>(_ index: Int) -> V? {
        guard index < result.columnCount, let text = result.string(self.index, index) else { return nil }
        return V(storeText: text)
    }

    subscript<V: StoreColumnValue>(_ column: String) -> V {
        guard let value: V = self[column] else {
            preconditionFailure("column \(column) of a PostgreSQL row is NULL or not a \(V.self)")
        }
        return value
    }
}

extension PGResult {
    var rows: [PGRow] { (0..<rowCount).map { PGRow(result: self, index: $0) } }
}
