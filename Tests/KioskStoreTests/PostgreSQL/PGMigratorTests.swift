import Foundation
import KioskTestSupport
import Synchronization
import Testing

@testable import KioskStore

/// Named migrations on a real server: several daemons starting at once apply each exactly once.
@Suite struct PGMigratorTests {
    static let migrations = PGMigrator(migrations: [
        .init(name: "v1_tickets", sql: "CREATE TABLE tickets (id bigint PRIMARY KEY); CREATE TABLE marks (n int)"),
        .init(name: "v2_mark", sql: "INSERT INTO marks VALUES (1)"),
        .init(name: "v3_note", sql: "ALTER TABLE tickets ADD COLUMN note text"),
    ])

    @Test func eightDaemonsStartingAtOnceApplyEachMigrationOnce() throws {
        let url = try PrivatePostgres.shared().createDatabase()
        let applied = Mutex<[[String]]>([])
        let failures = Mutex<[String]>([])
        let threads = (0..<8).map { _ in
            Thread {
                do {
                    let names = try Self.migrations.migrate(try PGConnection(url: url))
                    applied.withLock { $0.append(names) }
                } catch {
                    failures.withLock { $0.append("\(error)") }
                }
            }
        }
        threads.forEach { $0.start() }
        let deadline = Date().addingTimeInterval(30)
        while applied.withLock({ $0.count }) + failures.withLock({ $0.count }) < 8, Date() < deadline { usleep(10_000) }
        #expect(failures.withLock { $0 }.isEmpty, "\(failures.withLock { $0 })")
        let lists = applied.withLock { $0 }
        #expect(lists.count == 8)
        #expect(lists.flatMap { $0 }.sorted() == ["v1_tickets", "v2_mark", "v3_note"], "one daemon applied all, the others none")
        let c = try PGConnection(url: url)
        #expect(try c.execute("SELECT count(*) FROM marks").int64(0, 0) == 1)
        #expect(try c.execute("SELECT count(*) FROM schema_migrations").int64(0, 0) == 3)
    }

    @Test func aFailingMigrationLeavesNothingAndANewerDatabaseIsRefused() throws {
        let url = try PrivatePostgres.shared().createDatabase()
        let c = try PGConnection(url: url)
        let broken = PGMigrator(migrations: [
            .init(name: "v1_tickets", sql: "CREATE TABLE tickets (id bigint PRIMARY KEY)"),
            .init(name: "v2_typo", sql: "ALTER TABLE tickets ADD COLUMN note nosuchtype"),
        ])
        #expect(throws: PGError.self) { try broken.migrate(c) }
        // Rolled back as one: not even the first table, nor its name.
        #expect(try c.execute("SELECT to_regclass('tickets') IS NULL").string(0, 0) == "t")
        #expect(try c.execute("SELECT count(*) FROM pg_tables WHERE tablename = 'schema_migrations'").int64(0, 0) == 0)

        #expect(try Self.migrations.migrate(c) == ["v1_tickets", "v2_mark", "v3_note"])
        #expect(try Self.migrations.migrate(c) == [])
        let older = PGMigrator(migrations: Array(Self.migrations.migrations.prefix(2)))
        do {
            try older.migrate(c)
            Issue.record("an older kioskd accepted a newer schema")
        } catch {
            #expect(error.message.contains("newer kioskd") && error.message.contains("v3_note"), "\(error)")
        }
    }
}
