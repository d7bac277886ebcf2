import Foundation
import KioskTestSupport
import Testing

@testable import KioskStore

/// libpq through `PGConnection`, against a real private PostgreSQL server: parameters travel
/// apart from the SQL, errors come sorted by what the store does about them, and a server that
/// goes away is an error within seconds, never a hang.
@Suite(.serialized) struct PGConnectionTests {
    @Test func parametersRoundTripAsTextWithNullsAndChinese() throws {
        let pg = try PrivatePostgres.shared()
        let c = try PGConnection(url: try pg.createDatabase())
        try c.execute("CREATE TABLE t (id bigint PRIMARY KEY, name text, note text)")
        let inserted = try c.execute("INSERT INTO t VALUES ($1, $2, $3), ($4, $5, $6)",
            ["1", "大厅主屏", nil, "2", "it's; DROP TABLE t; --", "x"])
        #expect(inserted.affectedRows == 2)
        let rows = try c.execute("SELECT id, name, note FROM t ORDER BY id")
        #expect(rows.rowCount == 2 && rows.columnCount == 3)
        #expect(rows.int64(0, 0) == 1 && rows.string(0, 1) == "大厅主屏" && rows.string(0, 2) == nil)
        // A parameter is a value, never SQL: the "injection" is stored as text.
        #expect(rows.string(1, 1) == "it's; DROP TABLE t; --")
        #expect(rows.column("note") == 2 && rows.column("nope") == nil)
        #expect(c.server.hasSuffix(":\(pg.port)"))
    }

    @Test func errorsCarryTheirSQLStateAndKind() throws {
        let pg = try PrivatePostgres.shared()
        let c = try PGConnection(url: try pg.createDatabase())
        try c.execute("CREATE TABLE t (id bigint PRIMARY KEY)")
        try c.execute("INSERT INTO t VALUES (1)")
        do {
            try c.execute("INSERT INTO t VALUES (1)")
            Issue.record("a duplicate key was accepted")
        } catch {
            #expect(error.kind == .uniqueViolation && error.sqlState == "23505", "\(error)")
            #expect(error.description.contains("duplicate key"), "\(error)")
        }
        do {
            try c.execute("SELEC 1")
            Issue.record("a syntax error was accepted")
        } catch {
            #expect(error.kind == .other && error.sqlState == "42601", "\(error)")
        }
        try c.execute("SET default_transaction_read_only = on")
        do {
            try c.execute("INSERT INTO t VALUES (2)")
            Issue.record("a read-only session wrote")
        } catch {
            #expect(error.kind == .readOnly && error.sqlState == "25006", "\(error)")
        }
        // After errors the connection still works.
        #expect(try c.execute("SELECT count(*) FROM t").int64(0, 0) == 1)
        #expect(c.isOK)
    }

    @Test func pipelinedStatementsAnswerInOrderInOneRoundTrip() throws {
        let c = try PGConnection(url: try PrivatePostgres.shared().createDatabase())
        try c.execute("CREATE TABLE t (id bigint PRIMARY KEY, name text)")
        try c.execute("INSERT INTO t VALUES (1, '一'), (2, '二')")
        let statements = [
            PGConnection.Statement(sql: "SELECT name FROM t WHERE id = $1", parameters: ["2"]),
            PGConnection.Statement(sql: "SELECT count(*) FROM t", parameters: []),
            PGConnection.Statement(sql: "SELECT name FROM t WHERE id = $1", parameters: ["1"]),
        ]
        _ = try c.executePipelined(statements)  // prepares them
        let before = c.roundTrips
        let results = try c.executePipelined(statements)
        #expect(c.roundTrips == before + 1)
        #expect(results.map { $0.string(0, 0) } == ["二", "2", "一"])
    }

    @Test func aFailingStatementFailsThePipelineAndTheConnectionGoesOn() throws {
        let c = try PGConnection(url: try PrivatePostgres.shared().createDatabase())
        try c.execute("CREATE TABLE t (id bigint PRIMARY KEY)")
        try c.run(script: "BEGIN")
        do {
            _ = try c.executePipelined([
                PGConnection.Statement(sql: "INSERT INTO t VALUES ($1)", parameters: ["1"]),
                PGConnection.Statement(sql: "INSERT INTO t VALUES ($1)", parameters: ["1"]),
                PGConnection.Statement(sql: "INSERT INTO t VALUES ($1)", parameters: ["3"]),
            ])
            Issue.record("a duplicate key in a pipeline was accepted")
        } catch {
            #expect(error.kind == .uniqueViolation, "\(error)")
        }
        #expect(c.isOK)
        try c.execute("ROLLBACK")
        #expect(try c.execute("SELECT count(*) FROM t").int64(0, 0) == 0)
    }

    @Test func aPrefetchedReadIsAnsweredOnceAndForgottenAfterAWrite() throws {
        let c = try PGConnection(url: try PrivatePostgres.shared().createDatabase())
        try c.execute("CREATE TABLE t (id bigint PRIMARY KEY, n bigint)")
        try c.execute("INSERT INTO t VALUES (1, 10)")
        let read = PGConnection.Statement(sql: "SELECT n FROM t WHERE id = $1", parameters: ["1"])
        try c.prefetch([read])
        let afterPrefetch = c.roundTrips
        #expect(try c.executePrepared(read.sql, read.parameters).int64(0, 0) == 10)
        #expect(c.roundTrips == afterPrefetch, "answered from the prefetch")
        #expect(try c.executePrepared(read.sql, read.parameters).int64(0, 0) == 10)
        #expect(c.roundTrips == afterPrefetch + 1, "answered once only")

        try c.prefetch([read])
        try c.executePrepared("UPDATE t SET n = $1 WHERE id = $2", ["11", "1"])
        #expect(try c.executePrepared(read.sql, read.parameters).int64(0, 0) == 11, "a write in between forgets it")
        try c.prefetch([read])
        try c.execute("UPDATE t SET n = 12")
        #expect(try c.executePrepared(read.sql, read.parameters).int64(0, 0) == 12)
    }

    @Test func noServerIsAConnectionErrorSayingWhere() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nopg-\(UUID().uuidString.prefix(6))").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        do {
            _ = try PGConnection(url: "postgresql:///hall?host=\(dir)&port=5999&user=kiosk")
            Issue.record("connected to nothing")
        } catch {
            #expect(error.kind == .connection)
            #expect(error.message.contains(dir), "\(error)")
        }
        do {
            _ = try PGConnection(url: "postgresql://[not a url")
            Issue.record("a malformed URL connected")
        } catch {
            #expect(error.kind == .connection && !error.message.isEmpty, "\(error)")
        }
    }

    /// A server that stops under an open connection (here: as in a crash) fails the next
    /// statement as a connection error at once; once the server is back, a new connection works.
    @Test func aServerThatGoesAwayIsAConnectionErrorAndANewConnectionWorksWhenItIsBack() throws {
        let pg = try PrivatePostgres(port: 55433)
        defer { pg.remove() }
        let url = pg.url(database: "postgres")
        let c = try PGConnection(url: url)
        #expect(try c.execute("SELECT 1").int64(0, 0) == 1)
        try pg.stop(.immediate)
        do {
            try c.execute("SELECT 1")
            Issue.record("a statement ran on a stopped server")
        } catch {
            #expect(error.kind == .connection, "\(error)")
        }
        #expect(!c.isOK)
        #expect(throws: PGError.self) { try PGConnection(url: url) }
        try pg.start()
        #expect(try PGConnection(url: url).execute("SELECT 2").int64(0, 0) == 2)
    }

    /// LISTEN/NOTIFY: what another session sends after it commits arrives, with its payload;
    /// waiting with nothing sent returns empty after the timeout.
    @Test func notificationsFromAnotherSessionArriveAfterItsCommit() throws {
        let url = try PrivatePostgres.shared().createDatabase()
        let listener = try PGConnection(url: url)
        try listener.execute("LISTEN hall_events")
        #expect(try listener.notifications(waitingUpTo: .milliseconds(100)).isEmpty)
        let sender = try PGConnection(url: url)
        try sender.execute("BEGIN")
        try sender.execute("SELECT pg_notify('hall_events', $1)", ["42"])
        #expect(try listener.notifications(waitingUpTo: .milliseconds(200)).isEmpty, "nothing before the commit")
        try sender.execute("COMMIT")
        let got = try listener.notifications(waitingUpTo: .seconds(5))
        #expect(got.map(\.payload) == ["42"] && got.first?.channel == "hall_events")
    }

    /// Two servers in one URL with target_session_attrs=read-write: the connection goes to the
    /// primary; after the primary dies and the standby is promoted, a new connection with the
    /// same URL reaches it, with what the primary had committed.
    @Test func aMultiHostURLFollowsThePrimaryToThePromotedStandby() throws {
        let primary = try PrivatePostgres(port: 55434)
        defer { primary.remove() }
        let standby = try PrivatePostgres(standbyOf: primary, port: 55435)
        defer { standby.remove() }
        let url = "postgresql:///postgres?host=\(primary.dir),\(standby.dir)&port=\(primary.port),\(standby.port)"
            + "&user=kiosk&target_session_attrs=read-write"
        let c = try PGConnection(url: url)
        #expect(c.server == "\(primary.dir):\(primary.port)")
        try c.execute("CREATE TABLE t (n int)")
        try c.execute("INSERT INTO t VALUES (7)")
        // The standby alone is not writable: read-write refuses it, saying why.
        do {
            _ = try PGConnection(url: standby.url(database: "postgres") + "&target_session_attrs=read-write")
            Issue.record("a standby was taken for read-write")
        } catch {
            #expect(error.kind == .connection && error.message.contains("read-only"), "\(error)")
        }
        let replica = try PGConnection(url: standby.url(database: "postgres"))
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline, (try? replica.execute("SELECT count(*) FROM t").int64(0, 0)) != 1 { usleep(20_000) }
        try primary.stop(.immediate)
        try standby.promote()
        let after = try PGConnection(url: url)
        #expect(after.server == "\(standby.dir):\(standby.port)")
        #expect(try after.execute("SELECT n FROM t").int64(0, 0) == 7)
        try after.execute("INSERT INTO t VALUES (8)")
    }
}
