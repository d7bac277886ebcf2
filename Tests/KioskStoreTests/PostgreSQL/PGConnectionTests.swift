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
}
