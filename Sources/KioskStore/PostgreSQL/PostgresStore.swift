import Foundation
import KioskCore
import Synchronization

/// The shared backend (共享库): every kioskd of a hall — terminals, window PCs, the hall server —
/// on one PostgreSQL database, so they share one queue, one numbering and one event log.
///
/// Writes are serialized hall-wide (`PGPool`), so the hall's rules hold as on one machine; a
/// commit returns once PostgreSQL has flushed it (`synchronous_commit` is never off here).
/// Every daemon's sink sees every daemon's events, in seq order (`HallEventTail`): its own as
/// its writes return, the others' when `PGEventListener` hears of them or the once-a-second poll
/// finds them. No daemon sees every commit, so nothing is cached (`generation` is nil).
///
/// A server that cannot be reached faults the store: writes are refused at once with the reason
/// (storage_unavailable), and `maintain` tries again every second, so the store heals by itself
/// when the server — or a promoted standby named in the URL — answers again.
public final class PostgresStore: Store {
    let pool: PGPool
    private let listener: PGEventListener
    private let tail: HallEventTail
    public let description: String

    private struct State {
        /// Migrated and the log's end known: the schema is usable.
        var ready = false
        var health: StorageHealth
    }

    private let state: Mutex<State>
    private let healthSink = Mutex<HealthSink?>(nil)

    /// Connects and migrates. An unreachable server does not throw: the store starts faulted and
    /// heals when it answers. A schema from a newer kioskd throws.
    public init(url: String, poolSize: Int = 4) throws {
        let pool = PGPool(url: url, size: poolSize)
        self.pool = pool
        description = "postgres " + Self.redacted(url)
        let tail = HallEventTail { after, limit in
            try await pool.transaction(.read) { c in
                try SQLAccess(PGSession(connection: c), log: nil).events(after: after, limit: limit)
            }
        }
        self.tail = tail
        listener = PGEventListener(url: url, isOwn: { pool.isOwnBackend($0) }) { seq in tail.wake(seq) }
        state = Mutex(State(health: StorageHealth(state: .fault, error: "PostgreSQL: not connected yet")))
        pool.setHealthSink { [weak self] health in self?.poolHealthChanged(health) }
        do {
            try prepare()
        } catch where error.kind == .other {
            // Not a server that is away: a schema from a newer kioskd, missing grants.
            throw StoreError("PostgreSQL \(description): \(error.message)")
        } catch {
            setHealth(StorageHealth(state: .fault, error: "PostgreSQL: \(error.message)"))
        }
        listener.start()
    }

    deinit { listener.stop() }

    /// No more notifications (tests: what the poll alone finds).
    func stopListening() { listener.stop() }

    /// Migrates (once across the hall) and learns where the log ends.
    private func prepare() throws(PGError) {
        let c = try PGConnection(url: pool.url)
        try PGSchema.migrator.migrate(c)
        let last = try c.execute("SELECT COALESCE(MAX(seq), 0) FROM events").int64(0, 0) ?? 0
        tail.start(at: last)
        state.withLock { $0.ready = true }
        setHealth(.ok())
    }

    /// A URL without its password, for status and logs.
    static func redacted(_ url: String) -> String {
        var text = url
        if let scheme = text.range(of: "://"), let at = text[scheme.upperBound...].firstIndex(of: "@"),
            let colon = text[scheme.upperBound..<at].firstIndex(of: ":") {
            text.replaceSubrange(colon..<at, with: "")
        }
        return text.replacing(/password=[^&]*/, with: "password=***")
    }

    // MARK: Store

    public var generation: UInt64? { nil }

    public var restartMayHeal: Bool { false }

    public var isShared: Bool { true }

    public func facts() async -> StorageFacts {
        let known = PGSchema.migrator.migrations.map(\.name)
        return (try? await pool.transaction(.read) { c -> StorageFacts in
            let applied = Set(try c.execute("SELECT name FROM schema_migrations").rows.compactMap { $0[0] as String? })
            let before = Date()
            let serverNow = try c.execute("SELECT extract(epoch FROM clock_timestamp())").string(0, 0).flatMap(Double.init)
            let after = Date()
            let midpoint = (before.timeIntervalSince1970 + after.timeIntervalSince1970) / 2
            return StorageFacts(schema: known.last { applied.contains($0) }, server: c.server,
                serverVersion: try c.execute("SHOW server_version").string(0, 0)?.split(separator: " ").first.map(String.init),
                clockSkewSeconds: serverNow.map { $0 - midpoint })
        }) ?? StorageFacts()
    }

    public var health: StorageHealth { state.withLock { $0.health } }

    public func setHealthSink(_ sink: @escaping @Sendable (StorageHealth) -> Void) {
        healthSink.withLock { $0 = HealthSink(deliver: sink) }
    }

    public func setEventSink(_ sink: @escaping @Sendable ([StoredEvent]) -> Void) {
        tail.setSink(EventSink(deliver: sink))
    }

    /// Every second: migrate if that never succeeded, probe while faulted, and read any events
    /// other daemons committed that no notification announced.
    public func maintain() async throws {
        let (ready, faulted) = state.withLock { ($0.ready, $0.health.state == .fault) }
        if !ready {
            do {
                try await pool.run { try self.prepare() }
            } catch {
                setHealth(StorageHealth(state: .fault, error: "PostgreSQL: \((error as? PGError)?.message ?? "\(error)")"))
                return
            }
        } else if faulted {
            guard await pool.probe() else { return }
        }
        tail.wake(nil)
    }

    /// PostgreSQL checks its own pages (data checksums, when the cluster has them); nothing to do.
    public func verify() async {}

    public func read<T: Sendable>(_ body: @escaping @Sendable (any StoreReader) throws -> T) async throws -> T {
        try usable()
        return try await mapErrors {
            try await pool.transaction(.read) { c in try body(SQLAccess(PGSession(connection: c), log: nil)) }
        }
    }

    public func write<T: Sendable>(_ body: @escaping @Sendable (any StoreWriter) throws -> T) async throws -> T {
        try usable()
        let tail = self.tail
        let (result, events) = try await mapErrors {
            try await pool.transaction(.write) { c in
                let access = SQLAccess(PGSession(connection: c), log: EventBuffer())
                let result = try body(access)
                var events = access.log!.events
                // Events other daemons committed since this one's last delivery come first, read
                // here while the write lock makes them all visible (each append has notified the
                // other daemons already: `PGSchema.appendEvent`).
                if let first = events.first, let published = tail.published, first.seq > published + 1,
                    first.seq - published - 1 <= HallEventTail.batch {
                    events = try SQLAccess(PGSession(connection: c), log: nil)
                        .events(after: published, limit: Int(first.seq - published - 1)) + events
                }
                return (result, events)
            }
        }
        if !events.isEmpty, !tail.deliver(events) { tail.wake(nil) }
        return result
    }

    // MARK: health

    /// Refuses at once while faulted: nothing is tried, so nothing changes, and no request waits
    /// for a connect timeout. `maintain` finds out when the server is back.
    private func usable() throws {
        let health = state.withLock { $0.ready ? $0.health : StorageHealth(state: .fault, error: $0.health.error) }
        if health.state == .fault { throw StoreError(health.error ?? "PostgreSQL is unavailable") }
    }

    private func poolHealthChanged(_ health: StorageHealth) {
        // Before the schema is ready the pool's "ok" means little: `prepare` decides.
        guard state.withLock({ $0.ready }) else { return }
        setHealth(health)
    }

    private func setHealth(_ health: StorageHealth) {
        if state.withLock({ $0.health.change(to: health) }) { healthSink.withLock { $0 }?.deliver(health) }
    }

    /// Domain errors pass through; PostgreSQL's become `StoreError` (→ storage_unavailable).
    private func mapErrors<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as PGError {
            throw StoreError("PostgreSQL: \(error.message)")
        }
    }
}
