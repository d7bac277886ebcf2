import Foundation
import KioskCore
import KioskStore
import KioskTestSupport
import Synchronization
import Testing

@testable import KioskStore

/// What only the shared backend promises: several stores (daemons) on one database see one log
/// in one order, and a server that goes away is a quick, clear fault that heals by itself.
@Suite struct PostgresStoreTests {
    /// Three stores write at once, each event naming its writer. Every store's sink receives the
    /// same events — its own and the others' — with seqs 1…n in order, each once.
    @Test func everyStoreSeesEveryStoresEventsInOneOrder() async throws {
        let url = try PrivatePostgres.shared().createDatabase()
        let stores = try (0..<3).map { _ in try PostgresStore(url: url) }
        final class Log: Sendable { let events = Mutex<[StoredEvent]>([]) }
        let seen = (0..<3).map { _ in Log() }
        for (store, log) in zip(stores, seen) { store.setEventSink { e in log.events.withLock { $0 += e } } }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (w, store) in stores.enumerated() {
                group.addTask {
                    for i in 0..<40 {
                        try await store.write { w2 in
                            try w2.appendEvent(topic: "t", at: Date(), json: "{\"writer\":\(w),\"i\":\(i)}")
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        // Others' events arrive by notification: wait for them, without a fixed sleep.
        for log in seen {
            for _ in 0..<100 where log.events.withLock({ $0.count }) < 120 { try await Task.sleep(for: .milliseconds(50)) }
        }
        let logs = seen.map { log in log.events.withLock { $0 } }
        for log in logs {
            #expect(log.map(\.seq) == Array(1...120))
        }
        // The same events: `at` may differ in its last bits between the writer's Date and one
        // read back from the log (seconds since 1970 as a double), so the milliseconds are compared.
        let keys = logs.map { log in log.map { "\($0.seq) \($0.topic) \($0.json) \(Int64(($0.at.timeIntervalSince1970 * 1000).rounded()))" } }
        #expect(keys[0] == keys[1] && keys[1] == keys[2])
        // Each writer's own events are in its own order within the shared one.
        for w in 0..<3 {
            let mine = logs[0].filter { $0.json.contains("\"writer\":\(w),") }.map(\.json)
            #expect(mine == (0..<40).map { "{\"writer\":\(w),\"i\":\($0)}" })
        }
    }

    /// A waiting ticket's view reads (lane counts, lane run, busy windows, window states, service
    /// times: six statements) cost one round trip when fetched ahead, with the same answers.
    @Test func aWaitingTicketsViewReadsAreOneRoundTrip() async throws {
        let store = try PostgresStore(url: try PrivatePostgres.shared().createDatabase())
        let t = try await store.write { w in
            _ = try w.insert(ticket(1, orderKey: try w.nextOrderKey()))
            return try w.insert(ticket(2, orderKey: try w.nextOrderKey()))
        }
        struct Reads: Equatable, Sendable {
            var counts: CallOrder.LaneCounts, run: Int, busy: Set<String>, windows: Int, cases: Int
        }
        @Sendable func view(_ r: any StoreReader, prefetching: Bool) throws -> Reads {
            if prefetching { try r.prefetchView(of: t) }
            return Reads(counts: try r.laneCounts(of: t), run: try r.laneRun(day: day, lane: "category:A"),
                busy: try r.busyWindows(), windows: try r.windowStates().count,
                cases: try r.serviceTimes(day: day, category: "A").count)
        }
        // Statements are prepared on a connection's first use of them: warm every connection.
        for _ in 0..<8 { _ = try await store.read { r in try view(r, prefetching: true) } }

        let start = store.pool.roundTrips
        let plain = try await store.read { r in try view(r, prefetching: false) }
        let middle = store.pool.roundTrips
        let fetched = try await store.read { r in try view(r, prefetching: true) }
        let end = store.pool.roundTrips
        #expect(fetched == plain)
        #expect(plain.counts.beforeInGroup == 1)
        // BEGIN, the ticket's lane seat, the reads, COMMIT.
        #expect(middle - start == 3 + 6)
        #expect(end - middle == 3 + 1)
    }

    /// Events another daemon committed while no notification could reach this one (its listener
    /// is stopped here) are found by the once-a-second poll (`maintain`), in order.
    @Test func eventsMissedByNotificationAreFoundByThePoll() async throws {
        let url = try PrivatePostgres.shared().createDatabase()
        let quiet = try PostgresStore(url: url)
        quiet.stopListening()
        let other = try PostgresStore(url: url)
        let seen = Mutex<[Int64]>([])
        quiet.setEventSink { e in seen.withLock { $0 += e.map(\.seq) } }
        for _ in 0..<3 { try await other.write { w in try w.appendEvent(topic: "t", at: Date(), json: "{}") } }
        try await Task.sleep(for: .milliseconds(300))
        #expect(seen.withLock { $0 }.isEmpty, "nothing should arrive without the listener")
        try await quiet.maintain()
        for _ in 0..<100 where seen.withLock({ $0.count }) < 3 { try await Task.sleep(for: .milliseconds(20)) }
        #expect(seen.withLock { $0 } == [1, 2, 3])
        // Its own next write follows them.
        try await quiet.write { w in try w.appendEvent(topic: "t", at: Date(), json: "{}") }
        #expect(seen.withLock { $0 } == [1, 2, 3, 4])
    }

    /// The server stops: a write fails within seconds with the reason and changes nothing, the
    /// store reports the fault (and tells its health sink), reads fail too; the server returns,
    /// the next `maintain` heals the store and writes go on with the next seq.
    @Test(.timeLimit(.minutes(1))) func aStoppedServerFaultsTheStoreQuicklyAndItHealsWhenTheServerReturns() async throws {
        let pg = try PrivatePostgres(port: 55438)
        defer { pg.remove() }
        let store = try PostgresStore(url: pg.url(database: "postgres"))
        let changes = Mutex<[StorageHealth.State]>([])
        store.setHealthSink { h in changes.withLock { $0.append(h.state) } }
        try await store.write { w in try w.appendEvent(topic: "t", at: Date(), json: "{}") }
        try pg.stop(.immediate)
        await #expect(throws: StoreError.self) {
            try await store.write { w in try w.appendEvent(topic: "t", at: Date(), json: "{}") }
        }
        #expect(store.health.state == .fault)
        #expect(store.health.error?.hasPrefix("PostgreSQL: ") == true, "\(store.health)")
        try await store.maintain()
        #expect(store.health.state == .fault)
        // Refused at once while faulted, without trying the server: even with the server back,
        // nothing is tried until `maintain` has found it answering.
        try pg.start()
        await #expect(throws: StoreError.self) { try await store.write { w in try w.setMeta("k", "v") } }
        await #expect(throws: StoreError.self) { try await store.read { try $0.lastEventSeq() } }
        try await store.maintain()
        #expect(store.health.state == .ok)
        let seq = try await store.write { w in try w.appendEvent(topic: "t", at: Date(), json: "{}").seq }
        #expect(seq == 2)
        #expect(changes.withLock { $0 } == [.fault, .ok])
    }

    /// A store opened while the server is down starts faulted (the daemon stays up) and becomes
    /// usable, schema and all, once the server answers.
    @Test func aStoreOpenedWithoutItsServerStartsFaultedAndHeals() async throws {
        let pg = try PrivatePostgres(port: 55439)
        defer { pg.remove() }
        try pg.stop(.fast)
        let store = try PostgresStore(url: pg.url(database: "postgres"))
        #expect(store.health.state == .fault)
        await #expect(throws: StoreError.self) { try await store.read { try $0.ticketCount() } }
        try pg.start()
        try await store.maintain()
        #expect(store.health.state == .ok, "\(store.health)")
        #expect(try await store.read { try $0.ticketCount() } == 0)
    }

    /// A database set to `synchronous_commit = off` would answer commits a server crash loses;
    /// the store's connections turn it back on.
    @Test func commitsAreFlushedEvenWhereTheDatabaseSaysOtherwise() async throws {
        let pg = try PrivatePostgres.shared()
        let url = try pg.createDatabase()
        let name = String(url.dropFirst("postgresql:///".count).prefix { $0 != "?" })
        try pg.sql("ALTER DATABASE \(name) SET synchronous_commit = off")
        #expect(try PGConnection(url: url).execute("SHOW synchronous_commit").string(0, 0) == "off")
        let store = try PostgresStore(url: url)
        let setting = try await store.pool.transaction(.write) { c in try c.execute("SHOW synchronous_commit").string(0, 0) }
        #expect(setting == "on")
    }

    @Test func theDescriptionNeverShowsAPassword() throws {
        #expect(PostgresStore.redacted("postgresql://kioskd:s3cret@db1,db2/hall?target_session_attrs=read-write")
            == "postgresql://kioskd@db1,db2/hall?target_session_attrs=read-write")
        #expect(PostgresStore.redacted("postgresql:///hall?host=/run/pg&password=s3cret&user=k")
            == "postgresql:///hall?host=/run/pg&password=***&user=k")
    }
}
