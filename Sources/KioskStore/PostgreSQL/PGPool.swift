import Dispatch
import Foundation
import Synchronization

/// One daemon's connections to the hall database (连接池), and the transactions run on them.
///
/// A transaction takes an idle connection (or opens one, up to `size`), runs its synchronous body
/// on a dispatch thread — libpq blocks, and the cooperative pool must not — and commits. Writes run
/// SERIALIZABLE: when two daemons' transactions would not be equivalent to some order of the two,
/// PostgreSQL fails one (40001), and it is run again from the start after a random pause that
/// grows, up to `retries` times; the body must therefore only touch the database. A connection
/// that breaks is dropped, and the pool is `fault` until a connection works again (`probe`, or
/// the next transaction): a vanished server is an error within the connect timeout, never a hang.
final class PGPool: Sendable {
    let url: String
    let size: Int
    let retries: Int
    private let connectTimeoutSeconds: Int
    private let queue = DispatchQueue(label: "kioskd.postgres", attributes: .concurrent)

    private struct State {
        var idle: [PGConnection] = []
        var open = 0
        var waiters: [CheckedContinuation<Void, Never>] = []
        var health = StorageHealth.ok()
    }

    private let state = Mutex(State())
    private let healthSink = Mutex<(@Sendable (StorageHealth) -> Void)?>(nil)

    init(url: String, size: Int = 4, retries: Int = 30, connectTimeoutSeconds: Int = 3) {
        self.url = url
        self.size = max(1, size)
        self.retries = retries
        self.connectTimeoutSeconds = connectTimeoutSeconds
    }

    var health: StorageHealth { state.withLock { $0.health } }

    func setHealthSink(_ sink: @escaping @Sendable (StorageHealth) -> Void) { healthSink.withLock { $0 = sink } }

    /// Runs `body` in one transaction and commits it; read-only ones skip the retry logic's cost.
    func transaction<T: Sendable>(readOnly: Bool = false, _ body: @escaping @Sendable (PGConnection) throws -> T) async throws -> T {
        var attempt = 0
        while true {
            attempt += 1
            let c = try await checkOut()
            do {
                let value = try await run {
                    try c.execute(readOnly ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY" : "BEGIN ISOLATION LEVEL SERIALIZABLE")
                    do {
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
            _ = try await transaction(readOnly: true) { c in _ = try c.execute("SELECT 1") }
            return true
        } catch {
            return false
        }
    }

    // MARK: Connections

    private func checkOut() async throws -> PGConnection {
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
                return c
            case .open:
                do {
                    let url = self.url, timeout = connectTimeoutSeconds
                    return try await run { try PGConnection(url: url, connectTimeoutSeconds: timeout) }
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
        wakeOne { s in
            if ok { s.idle.append(c) } else { s.open -= 1 }
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
        let changed = state.withLock { s -> Bool in
            if s.health.state == health.state {
                if health.state == .fault { s.health.error = health.error }
                return false
            }
            s.health = health
            return true
        }
        if changed { healthSink.withLock { $0 }?(health) }
    }

    /// Runs blocking libpq work on a dispatch thread.
    private func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result(catching: work)) }
        }
    }
}
