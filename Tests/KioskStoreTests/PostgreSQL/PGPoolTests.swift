import Foundation
import KioskStore
import KioskTestSupport
import Synchronization
import Testing

@testable import KioskStore

/// Transactions on a pool of real connections: writers are serialized hall-wide, never lost; a
/// server that goes away faults the pool quickly, and it heals when it is back.
@Suite struct PGPoolTests {
    /// Eight writers on two pools (two daemons) each add 1 to one counter 25 times by reading it
    /// and writing it back — the lost update that overlapping writers allow. The hall's write
    /// lock lets one body run at a time across both pools, and the counter ends at exactly 200.
    @Test func readModifyWritesOnTwoPoolsAreSerializedNeverLost() async throws {
        let url = try PrivatePostgres.shared().createDatabase()
        let pools = [PGPool(url: url, size: 4), PGPool(url: url, size: 4)]
        let pool = pools[0]
        _ = try await pool.transaction { c in
            try c.execute("CREATE TABLE n (id int PRIMARY KEY, v int NOT NULL)")
            try c.execute("INSERT INTO n VALUES (1, 0)")
        }
        final class Count: Sendable {
            let inside = Atomic<Int>(0)
            let most = Atomic<Int>(0)
        }
        let count = Count()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for w in 0..<8 {
                group.addTask {
                    for _ in 0..<25 {
                        _ = try await pools[w % 2].transaction { c in
                            let now = count.inside.add(1, ordering: .sequentiallyConsistent).newValue
                            count.most.max(now, ordering: .sequentiallyConsistent)
                            defer { count.inside.subtract(1, ordering: .sequentiallyConsistent) }
                            let v = try c.execute("SELECT v FROM n WHERE id = 1").int64(0, 0) ?? -1
                            usleep(500)  // long enough for another writer to read the same value, were it let in
                            try c.execute("UPDATE n SET v = $1 WHERE id = 1", ["\(v + 1)"])
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        let total = try await pool.transaction(.read) { c in try c.execute("SELECT v FROM n").int64(0, 0) }
        #expect(total == 200)
        #expect(count.most.load(ordering: .sequentiallyConsistent) == 1, "two write bodies ran at once")
        // Never more connections than the pools' sizes (4 each).
        let open = try await pool.transaction(.read) { c in
            try c.execute("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'kioskd' AND datname = current_database()")
                .int64(0, 0)
        }
        #expect((open ?? 99) <= 8)
    }

    /// (A hang instead of an error fails the test at its time limit; no speed is asserted.)
    @Test(.timeLimit(.minutes(1))) func aStoppedServerFaultsThePoolWithinSecondsAndItHealsWhenItIsBack() async throws {
        let pg = try PrivatePostgres(port: 55436)
        defer { pg.remove() }
        let pool = PGPool(url: pg.url(database: "postgres"), size: 2)
        let seen = Mutex<[StorageHealth.State]>([])
        pool.setHealthSink { h in seen.withLock { $0.append(h.state) } }
        #expect(await pool.probe())
        try pg.stop(.immediate)
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
        #expect(pool.health.state == .fault && pool.health.error?.hasPrefix("PostgreSQL: ") == true, "\(pool.health)")
        #expect(await !pool.probe())
        try pg.start()
        #expect(await pool.probe())
        #expect(pool.health.state == .ok)
        #expect(seen.withLock { $0 } == [.fault, .ok])
    }

    /// A server restarted while the pool's connections sat idle: the next transaction finds
    /// them dead at its first statement, before anything ran, and simply uses a new one — no
    /// request fails for a restart that is already over.
    @Test func aServerRestartedMeanwhileCostsNoFailedTransaction() async throws {
        let pg = try PrivatePostgres(port: 55444)
        defer { pg.remove() }
        let pool = PGPool(url: pg.url(database: "postgres"), size: 2)
        _ = try await pool.transaction { c in _ = try c.execute("CREATE TABLE r (v int)") }
        try pg.stop(.fast)
        try pg.start()
        _ = try await pool.transaction { c in _ = try c.execute("INSERT INTO r VALUES (1)") }
        #expect(try await pool.transaction(.read) { c in try c.execute("SELECT count(*) FROM r").int64(0, 0) } == 1)
        #expect(pool.health.state == .ok)
    }
}
