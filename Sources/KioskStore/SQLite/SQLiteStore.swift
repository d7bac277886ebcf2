import Foundation
import GRDB
import KioskCore
import Synchronization

/// The embedded backend: one SQLite file in WAL mode with `synchronous = FULL`, so a commit is on
/// disk (fsync) before `write` returns. Readers run concurrently with the single writer.
///
/// A failure of the file itself (read-only, disk full, I/O error, corrupt: `SQLiteFault`) faults
/// the store: writes are refused at once with the reason, and `maintain()` reopens the database
/// every second until a test write succeeds, so a fault that goes away heals without a restart.
public final class SQLiteStore: Store {
    private struct Connections {
        /// Nil only when the database could not be opened at all.
        var pool: DatabasePool?
        /// A connection of its own for checkpoints, so the writer never waits for one.
        var checkpointer: DatabaseQueue?
        var health: StorageHealth
        var fault: SQLiteFault?
    }

    private let state: Mutex<Connections>
    private let sink = Mutex<EventSink?>(nil)
    private let healthSink = Mutex<HealthSink?>(nil)
    private let commits = CommitCounter()
    public let path: String

    /// Opens the database. A storage fault does not throw: the store starts faulted (see `health`)
    /// and heals when the cause is gone; anything else (a newer schema, FULL not taking) throws.
    public init(path: String) throws {
        self.path = path
        do {
            state = Mutex(Connections(pool: try Self.open(path: path), health: .ok()))
        } catch let error as DatabaseError {
            guard let fault = SQLiteFault(resultCode: error.extendedResultCode.rawValue, path: path) else {
                throw StoreError("cannot open SQLite database \(path): \(error)")
            }
            state = Mutex(Connections(health: StorageHealth(state: .fault, error: fault.reason), fault: fault))
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError("cannot open SQLite database \(path): \(error)")
        }
    }

    private static func open(path: String) throws -> DatabasePool {
        var config = Configuration()
        // Another process (kioskctl doctor, a backup) may hold a lock briefly: wait, don't fail.
        config.busyMode = .timeout(5)
        // A terminal has few cores: three readers suffice, each with a 1 MiB page cache (the
        // working set is today's tickets), which keeps the daemon's memory small and flat.
        config.maximumReaderCount = 3
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA cache_size = -1024")
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
        let pool = try DatabasePool(path: path, configuration: config)
        // Only now: the pool's WAL setup has just set NORMAL on the writer.
        try pool.writeWithoutTransaction { db in try SQLiteDurability.requireFullSync(db, path: path) }
        try SQLiteMigrations.migrator.migrate(pool)
        // A test commit: a write-protected file opens without complaint (read-only) and would
        // otherwise look healthy until the first ticket is refused.
        try pool.write { db in
            try db.execute(sql: "INSERT OR REPLACE INTO meta (key, value) VALUES ('storage_probe', ?)",
                arguments: [ISO8601.string(Date(), timeZone: .gmt)])
        }
        return pool
    }

    public var description: String { "sqlite \(path)" }

    public var restartMayHeal: Bool { true }

    public var isShared: Bool { false }

    public func facts() async -> StorageFacts {
        let migrator = SQLiteMigrations.migrator
        guard let pool = state.withLock({ $0.pool }),
            let applied = try? await pool.read({ db in try migrator.appliedIdentifiers(db) })
        else { return StorageFacts() }
        // The newest in the order they were written (names do not sort: v10 after v9).
        return StorageFacts(schema: migrator.migrations.last { applied.contains($0) })
    }

    public var health: StorageHealth { state.withLock { $0.health } }

    public func setHealthSink(_ sink: @escaping @Sendable (StorageHealth) -> Void) {
        healthSink.withLock { $0 = HealthSink(deliver: sink) }
    }

    /// Checkpoints while healthy; while faulted, tries to reopen the database instead. Called
    /// every second.
    public func maintain() async throws {
        let (pool, fault) = state.withLock { ($0.pool, $0.fault) }
        if let fault {
            if fault.heals { await recover() }
            return
        }
        guard pool != nil else { return }
        let queue = try openCheckpointer()
        try await mapErrors {
            try await queue.writeWithoutTransaction { db in
                _ = try Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(PASSIVE)")
            }
        }
    }

    private func openCheckpointer() throws -> DatabaseQueue {
        if let q = state.withLock({ $0.checkpointer }) { return q }
        var config = Configuration()
        // Never wait: if the writer's own checkpoint is running, the next round catches up.
        config.busyMode = .immediateError
        let queue = try mapErrors {
            let queue = try DatabaseQueue(path: path, configuration: config)
            // A checkpoint that syncs the WAL before copying it and the database after.
            try queue.writeWithoutTransaction { db in try SQLiteDurability.requireFullSync(db, path: path) }
            return queue
        }
        state.withLock { $0.checkpointer = $0.checkpointer ?? queue }
        return queue
    }

    /// A new pool (which `open` proves with a test commit): only a database that takes a commit
    /// is healthy.
    private func recover() async {
        do {
            // Opening blocks (up to the busy timeout): keep it off the concurrency pool.
            let path = self.path
            let pool = try await withCheckedThrowingContinuation { done in
                DispatchQueue.global().async { done.resume(with: Result { try Self.open(path: path) }) }
            }
            let healed = state.withLock { s -> StorageHealth? in
                guard s.fault != nil else { return nil }
                s = Connections(pool: pool, health: .ok())
                return s.health
            }
            if let healed { healthSink.withLock { $0 }?.deliver(healed) }
        } catch let error as DatabaseError {
            // Still faulted; keep the newest reason (a read-only file may now be a full disk).
            if let fault = SQLiteFault(resultCode: error.extendedResultCode.rawValue, path: path) {
                state.withLock { s in
                    if s.fault != nil { s.fault = fault; s.health.error = fault.reason }
                }
            }
        } catch {}
    }

    /// `PRAGMA quick_check` on a connection of its own: seconds on a large database, so the
    /// daemon runs it after READY. Damage faults the store until the file is restored.
    public func verify() async {
        do {
            var config = Configuration()
            config.readonly = true
            let queue = try DatabaseQueue(path: path, configuration: config)
            let problems = try await withTaskCancellationHandler {
                try await queue.read { db in try String.fetchAll(db, sql: "PRAGMA quick_check(3)") }
            } onCancel: { queue.interrupt() }
            if problems != ["ok"] {
                markFaulted(SQLiteFault(integrityProblem: problems.joined(separator: "; "), path: path))
            }
        } catch let error as DatabaseError {
            if let fault = SQLiteFault(resultCode: error.extendedResultCode.rawValue, path: path) { markFaulted(fault) }
        } catch {}
    }

    /// `PRAGMA synchronous` as the writer connection sees it (2 = FULL: one fsync per commit).
    public func writerSynchronousMode() async throws -> Int {
        try await mapErrors { try await usablePool().writeWithoutTransaction { db in try SQLiteDurability.synchronous(db) } }
    }

    /// This process is the database's only writer (the daemon refuses a second one on its
    /// socket), so it sees every commit.
    public var generation: UInt64? { commits.value.load(ordering: .acquiring) }

    public func setEventSink(_ sink: @escaping @Sendable ([StoredEvent]) -> Void) {
        self.sink.withLock { $0 = EventSink(deliver: sink) }
    }

    public func read<T: Sendable>(_ body: @escaping @Sendable (any StoreReader) throws -> T) async throws -> T {
        // Reads go on while faulted if the pool can: a read-only or full database still shows the queue.
        let pool = try state.withLock { s in
            guard let pool = s.pool else { throw StoreError(s.health.error ?? "the database \(path) is not open") }
            return pool
        }
        return try await mapErrors { try await pool.read { db in try body(SQLAccess(SQLiteSession(db: db), log: nil)) } }
    }

    public func write<T: Sendable>(_ body: @escaping @Sendable (any StoreWriter) throws -> T) async throws -> T {
        let sink = self.sink.withLock { $0 }
        let commits = self.commits
        // Refused at once while faulted: nothing is tried, so nothing changes.
        let pool = try usablePool()
        return try await mapErrors {
            try await pool.write { db in
                let log = EventBuffer()
                let result = try body(SQLAccess(SQLiteSession(db: db), log: log))
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

    private func usablePool() throws -> DatabasePool {
        try state.withLock { s in
            guard s.fault == nil, let pool = s.pool else {
                throw StoreError(s.health.error ?? "the database \(path) is not open")
            }
            return pool
        }
    }

    private func markFaulted(_ fault: SQLiteFault) {
        let changed = state.withLock { s -> StorageHealth? in
            guard s.fault == nil else { return nil }
            s.fault = fault
            s.health = StorageHealth(state: .fault, error: fault.reason)
            s.checkpointer = nil
            return s.health
        }
        if let changed { healthSink.withLock { $0 }?.deliver(changed) }
    }

    /// Domain errors pass through; database errors become `StoreError` (→ storage_unavailable),
    /// and those of the file itself fault the store.
    private func mapErrors<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as KioskError {
            throw error
        } catch let error as DatabaseError {
            throw storeError(error)
        }
    }

    private func mapErrors<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as DatabaseError {
            throw storeError(error)
        }
    }

    private func storeError(_ error: DatabaseError) -> StoreError {
        guard let fault = SQLiteFault(resultCode: error.extendedResultCode.rawValue, path: path) else {
            return StoreError("SQLite: \(error.message ?? error.description)")
        }
        markFaulted(fault)
        return StoreError(fault.reason)
    }
}

/// The commit hook's destination, in a struct: a closure kept directly in a `Mutex` is re-wrapped
/// in two reabstraction thunks by every `withLock` that reads it, so each commit's publication
/// went through all the earlier ones' thunks (40% of a take's CPU after 10,000 commits).
struct EventSink: Sendable {
    let deliver: @Sendable ([StoredEvent]) -> Void
}

/// Where health changes go; in a struct for the same reason as `EventSink`.
struct HealthSink: Sendable {
    let deliver: @Sendable (StorageHealth) -> Void
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
