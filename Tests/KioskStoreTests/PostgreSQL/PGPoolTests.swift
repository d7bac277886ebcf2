import Foundation
import KioskStore
import KioskTestSupport
import Synchronization
import Testing

@testable import KioskStore

/// Transactions on a pool of real connections: conflicting writers are serialized by retries,
/// never lost; a server that goes away faults the pool quickly, and it heals when it is back.
@Suite struct PGPoolTests {
    /// Eight writers each add 1 to one counter 25 times by reading it and writing it back — the
    /// lost update a weaker isolation allows. SERIALIZABLE fails the loser of each race, the pool
    /// runs it again, and the counter ends at exactly 200.
    @Test func conflictingReadModifyWritesAreRetriedNeverLost() async throws {
        let url = try PrivatePostgres.shared().createDatabase()
        let pool = PGPool(url: url, size: 4)
        _ = try await pool.transaction { c in
            try c.execute("CREATE TABLE n (id int PRIMARY KEY, v int NOT NULL)")
            try c.execute("INSERT INTO n VALUES (1, 0)")
        }
        final class Count: Sendable { let n = Atomic<Int>(0) }
        let retried = Count()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    for _ in 0..<25 {
                        let runs = Count()
                        _ = try await pool.transaction { c in
                            if runs.n.add(1, ordering: .relaxed).newValue > 1 { retried.n.add(1, ordering: .relaxed) }
                            let v = try c.execute("SELECT v FROM n WHERE id = 1").int64(0, 0) ?? -1
                            usleep(1_000)  // long enough for the others to read the same value
                            try c.execute("UPDATE n SET v = $1 WHERE id = 1", ["\(v + 1)"])
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        let total = try await pool.transaction(readOnly: true) { c in try c.execute("SELECT v FROM n").int64(0, 0) }
        #expect(total == 200)
        #expect(retried.n.load(ordering: .relaxed) > 0, "the writers did conflict")
        // Never more connections than the pool's size.
        let open = try await pool.transaction(readOnly: true) { c in
            try c.execute("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'kioskd' AND datname = current_database()")
                .int64(0, 0)
        }
        #expect((open ?? 99) <= 4)
    }

    @Test func aStoppedServerFaultsThePoolWithinSecondsAndItHealsWhenItIsBack() async throws {
        let pg = try PrivatePostgres(port: 55436)
        defer { pg.remove() }
        let pool = PGPool(url: pg.url(database: "postgres"), size: 2)
        let seen = Mutex<[StorageHealth.State]>([])
        pool.setHealthSink { h in seen.withLock { $0.append(h.state) } }
        #expect(await pool.probe())
        try pg.stop(.immediate)
        let started = ContinuousClock.now
        do {
            _ = try await pool.transaction { c in _ = try c.execute("SELECT 1") }
            Issue.record("a transaction ran on a stopped server")
        } catch let error as PGError {
            #expect(error.kind == .connection, "\(error)")
        }
        // The idle connection broke, and a new one cannot be had: both fail at once.
        do {
            _ = try await pool.transaction { c in _ = try c.execute("SELECT 1") }
            Issue.record("a transaction ran on a stopped server")
        } catch let error as PGError {
            #expect(error.kind == .connection, "\(error)")
        }
        #expect(ContinuousClock.now - started < .seconds(10))
        #expect(pool.health.state == .fault && pool.health.error?.hasPrefix("PostgreSQL: ") == true, "\(pool.health)")
        #expect(await !pool.probe())
        try pg.start()
        #expect(await pool.probe())
        #expect(pool.health.state == .ok)
        #expect(seen.withLock { $0 } == [.fault, .ok])
    }
}
