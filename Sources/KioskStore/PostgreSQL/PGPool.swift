import Dispatch
import Foundation
import Synchronization

/// One daemon's connections to the hall database (连接池), and the transactions run on them.
///
/// A transaction takes an idle connection (or opens one, up to `size`), runs its synchronous body
/// on a dispatch thread — libpq blocks, and the cooperative pool must not — and commits.
///
/// Writes are serialized hall-wide: each takes one transaction-scoped advisory lock
/// (`writeLockKey`) before anything else and runs READ COMMITTED, so it sees every write
/// committed before it and none commits beside it — the single writer the hall's rules were made
/// for (SQLite's), across every daemon. SERIALIZABLE would let unrelated writes overlap, but
/// nearly every write appends to the event log, whose commit-ordered seq serializes them anyway,
/// and every take also moves the same counters: the overlap would only buy retries. Reads run on
/// a REPEATABLE READ snapshot and never wait for the lock.
///
/// A connection that breaks is dropped, and the pool is `fault` until a connection works again
/// (`probe`, or the next transaction): a vanished server is an error within the connect timeout,
/// and a lock held too long (a daemon stopped mid-transaction) one within the lock timeout, never
/// a hang. A serialization failure or deadlock (which the lock should leave none of) is run again
/// after a random pause; the body must therefore only touch the database.
final class PGPool: Sendable {
    let url: String
    let size: Int
    let retries: Int
    private let connectTimeoutSeconds: Int
    private let queue = DispatchQueue(label: "kioskd.postgres", attributes: .concurrent)

    private struct State {
        var idle: [PGConnection] = []
        var open = 0
        /// The server processes of this pool's open connections.
        var backends: Set<Int32> = []
        var waiters: [CheckedContinuation<Void, Never>] = []
        var health = StorageHealth.ok()
    }

    private let state = Mutex(State())
    private let trips = Atomic<Int>(0)
    private let healthSink = Mutex<(@Sendable (StorageHealth) -> Void)?>(nil)

    init(url: String, size: Int = 4, retries: Int = 30, connectTimeoutSeconds: Int = 3) {
        self.url = url
        self.size = max(1, size)
        self.retries = retries
        self.connectTimeoutSeconds = connectTimeoutSeconds
    }

    var health: StorageHealth { state.withLock { $0.health } }

    /// Whether `pid` is the server process of one of this pool's connections: a notification it
    /// sent is this daemon's own commit, which its write delivered already.
    func isOwnBackend(_ pid: Int32) -> Bool { state.withLock { $0.backends.contains(pid) } }

    /// Round trips to the server made by this pool's transactions so far (`PGConnection.roundTrips`):
    /// what a statement costs here, counted for the tests and benchmarks.
    var roundTrips: Int { trips.load(ordering: .relaxed) }

    func setHealthSink(_ sink: @escaping @Sendable (StorageHealth) -> Void) { healthSink.withLock { $0 = sink } }

    enum Mode: Sendable { case read, write }

    /// Every kioskd of the hall takes this lock to write (an arbitrary, fixed 64-bit key).
    static let writeLockKey: Int64 = 0x6B696F_736B65

    private static func begin(_ mode: Mode) -> String {
        switch mode {
        case .read: "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
        // One round trip: the lock is the transaction's first statement.
        case .write: "BEGIN ISOLATION LEVEL READ COMMITTED; SELECT pg_advisory_xact_lock(\(writeLockKey))"
        }
    }

    /// Runs `body` in one transaction and commits it.
    func transaction<T: Sendable>(_ mode: Mode = .write, _ body: @escaping @Sendable (PGConnection) throws -> T) async throws -> T {
        var attempt = 0
        var staleDropped = 0
        while true {
            attempt += 1
            let (c, reused) = try await checkOut()
            do {
                let value = try await run {
                    let start = c.roundTrips
                    defer { self.trips.add(c.roundTrips - start, ordering: .relaxed) }
                    do {
                        // Inside: a lock wait that times out leaves the transaction to roll back.
                        do {
                            try c.run(script: Self.begin(mode))
                        } catch let error as PGError where error.kind == .connection && reused {
                            throw StaleConnection(error: error)
                        }
                        let value = try body(c)
                        try c.execute("COMMIT")
                        return value
                    } catch {
                        if c.isOK { _ = try? c.execute("ROLLBACK") }
                        throw error
                    }
                }
                checkIn(c)
                setHealth(.ok())
                return value
            } catch let stale as StaleConnection {
                // An idle connection that died meanwhile (the server restarted, or failed over):
                // nothing ran on it, so try again on another — at most once per connection.
                checkIn(c)
                staleDropped += 1
                if staleDropped <= size { continue }
                setHealth(StorageHealth(state: .fault, error: "PostgreSQL: \(stale.error.message)"))
                throw stale.error
            } catch let error as PGError {
                checkIn(c)
                if error.kind == .connection { setHealth(StorageHealth(state: .fault, error: "PostgreSQL: \(error.message)")) }
                if error.kind == .retry, attempt <= retries {
                    // A random pause that grows with each loss, so the same writers do not
                    // collide again in lockstep.
                    try await Task.sleep(for: .microseconds(Int.random(in: 0...(500 * min(attempt, 20)))))
                    continue
                }
                throw error
            } catch {
                checkIn(c)
                throw error
            }
        }
    }

    /// Whether a connection can be had and answers; sets the health either way.
    @discardableResult
    func probe() async -> Bool {
        do {
            _ = try await transaction(.read) { c in _ = try c.execute("SELECT 1") }
            return true
        } catch {
            return false
        }
    }

    // MARK: Connections

    /// A connection that failed at its first statement after waiting idle in the pool.
    private struct StaleConnection: Error {
        let error: PGError
    }

    /// An idle connection (`reused`), or a new one.
    private func checkOut() async throws -> (PGConnection, reused: Bool) {
        while true {
            enum Next { case use(PGConnection), open, wait }
            let next = state.withLock { s -> Next in
                if let c = s.idle.popLast() { return .use(c) }
                if s.open < size {
                    s.open += 1
                    return .open
                }
                return .wait
            }
            switch next {
            case .use(let c):
                return (c, true)
            case .open:
                do {
                    let url = self.url, timeout = connectTimeoutSeconds
                    let c = try await run {
                        let c = try PGConnection(url: url, connectTimeoutSeconds: timeout)
                        try c.requireDurableCommits()
                        return c
                    }
                    let pid = c.backendPID
                    state.withLock { _ = $0.backends.insert(pid) }
                    return (c, false)
                } catch {
                    wakeOne { $0.open -= 1 }
                    setHealth(StorageHealth(state: .fault, error: "PostgreSQL: \((error as? PGError)?.message ?? "\(error)")"))
                    throw error
                }
            case .wait:
                await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                    let now = state.withLock { s -> Bool in
                        if !s.idle.isEmpty || s.open < size { return true }
                        s.waiters.append(c)
                        return false
                    }
                    if now { c.resume() }
                }
            }
        }
    }

    /// Back to the idle list when it still works; dropped (and its place freed) when not.
    private func checkIn(_ c: PGConnection) {
        let ok = c.isOK
        let pid = c.backendPID
        wakeOne { s in
            if ok {
                s.idle.append(c)
            } else {
                s.open -= 1
                s.backends.remove(pid)
            }
        }
    }

    private func wakeOne(_ change: (inout State) -> Void) {
        let waiter = state.withLock { s -> CheckedContinuation<Void, Never>? in
            change(&s)
            return s.waiters.isEmpty ? nil : s.waiters.removeFirst()
        }
        waiter?.resume()
    }

    private func setHealth(_ health: StorageHealth) {
        // The sink hears of changes of state (as from SQLite's store); a fault's newest reason
        // replaces the old one quietly.
        if state.withLock({ $0.health.change(to: health) }) { healthSink.withLock { $0 }?(health) }
    }

    /// Runs blocking libpq work on a dispatch thread (the pool's own queue), off the cooperative pool.
    func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result(catching: work)) }
        }
    }
}
