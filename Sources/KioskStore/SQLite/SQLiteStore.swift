import Foundation
import GRDB
import KioskCore
import Synchronization

/// The embedded backend: one SQLite file in WAL mode with `synchronous = FULL`, so a commit is on
/// disk (fsync) before `write` returns. Readers run concurrently with the single writer.
public final class SQLiteStore: Store {
    private let pool: DatabasePool
    private let sink = Mutex<EventSink?>(nil)
    private let commits = CommitCounter()
    public let path: String

    public init(path: String) throws {
        self.path = path
        var config = Configuration()
        // Another process (kioskctl doctor, a backup) may hold a lock briefly: wait, don't fail.
        config.busyMode = .timeout(5)
        // A terminal has few cores: three readers suffice, each with a 1 MiB page cache (the
        // working set is today's tickets), which keeps the daemon's memory small and flat.
        config.maximumReaderCount = 3
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA cache_size = -1024")
            try db.execute(sql: "PRAGMA synchronous = FULL")
            // `maintain()` copies the WAL into the database from the side every second, so when a
            // commit reaches this threshold almost nothing is left to copy: SQLite's own
            // checkpoint stays cheap, and it is what lets the log start over while readers come
            // and go. (With only the in-commit checkpoint, 1 take in 100 waited for a full copy
            // and fsync; with only side checkpoints, the log never restarted under steady reads.)
            try db.execute(sql: "PRAGMA wal_autocheckpoint = 2000")
            // After a checkpoint resets the log, give back the disk a burst took.
            try db.execute(sql: "PRAGMA journal_size_limit = 67108864")
            try db.execute(sql: "PRAGMA foreign_keys = ON")
        }
        do {
            pool = try DatabasePool(path: path, configuration: config)
            // GRDB sets the writer to NORMAL when it enables WAL, after prepareDatabase: put FULL back.
            try pool.barrierWriteWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
            try SQLiteMigrations.migrator.migrate(pool)
        } catch {
            throw StoreError("cannot open SQLite database \(path): \(error)")
        }
    }

    public var description: String { "sqlite \(path)" }

    /// A connection of its own for checkpoints, so the writer never waits for one.
    private let checkpointer = Mutex<DatabaseQueue?>(nil)

    /// Copies committed pages from the WAL into the database file (PASSIVE: blocking nobody),
    /// so that the writer's own checkpoint at `wal_autocheckpoint` finds little left to do.
    /// Called every second.
    public func maintain() async throws {
        let queue = try checkpointer.withLock { q in
            if let q { return q }
            var config = Configuration()
            // Never wait: if the writer's own checkpoint is running, the next round catches up.
            config.busyMode = .immediateError
            config.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
            q = try DatabaseQueue(path: path, configuration: config)
            return q!
        }
        try await mapErrors {
            try await queue.writeWithoutTransaction { db in
                _ = try Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(PASSIVE)")
            }
        }
    }

    /// This process is the database's only writer (the daemon refuses a second one on its
    /// socket), so it sees every commit.
    public var generation: UInt64? { commits.value.load(ordering: .acquiring) }

    public func setEventSink(_ sink: @escaping @Sendable ([StoredEvent]) -> Void) {
        self.sink.withLock { $0 = EventSink(deliver: sink) }
    }

    public func read<T: Sendable>(_ body: @escaping @Sendable (any StoreReader) throws -> T) async throws -> T {
        try await mapErrors { try await pool.read { db in try body(SQLiteAccess(db: db, log: nil)) } }
    }

    public func write<T: Sendable>(_ body: @escaping @Sendable (any StoreWriter) throws -> T) async throws -> T {
        let sink = self.sink.withLock { $0 }
        let commits = self.commits
        return try await mapErrors {
            try await pool.write { db in
                let log = EventBuffer()
                let result = try body(SQLiteAccess(db: db, log: log))
                let events = log.events
                // Runs on the writer queue right after COMMIT: events leave in commit order, and
                // the generation moves before the writer is answered.
                db.afterNextTransaction(onCommit: { _ in
                    commits.value.add(1, ordering: .releasing)
                    if let sink, !events.isEmpty { sink.deliver(events) }
                })
                return result
            }
        }
    }

    /// Domain errors pass through; database errors become `StoreError` (→ storage_unavailable).
    private func mapErrors<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as KioskError {
            throw error
        } catch let error as DatabaseError {
            throw StoreError("SQLite: \(error.message ?? error.description)")
        } catch {
            throw error
        }
    }
}

/// The commit hook's destination, in a struct: a closure kept directly in a `Mutex` is re-wrapped
/// in two reabstraction thunks by every `withLock` that reads it, so each commit's publication
/// went through all the earlier ones' thunks (40% of a take's CPU after 10,000 commits).
struct EventSink: Sendable {
    let deliver: @Sendable ([StoredEvent]) -> Void
}

/// Counts commits; shared with the commit hook, which outlives no store.
final class CommitCounter: Sendable {
    let value = Atomic<UInt64>(0)
}

/// Events appended in one transaction, handed to the sink after commit.
final class EventBuffer: @unchecked Sendable {
    // Only touched on the writer queue inside one transaction.
    var events: [StoredEvent] = []
}
