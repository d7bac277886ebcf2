import Foundation
import KioskCore
import Synchronization

/// A driver's mutable state and its health behind one lock, with change notification.
///
/// Why one box: the health of a device is a function of its state (paper level, connection),
/// so both must change together, or two racing updates could leave the health describing a
/// state the device is no longer in. Why notification happens after the lock is released: an
/// observer may look at the device again (read its health, ask its status) without
/// deadlocking. Notifications are still delivered in the order the changes happened, one at a
/// time, because whoever finds the outbox non-empty drains it while others only append.
///
/// Real drivers (serial, USB, TCP) are expected to keep their state in one of these too.
public final class DeviceStateBox<State: Sendable>: Sendable {
    private struct Inner: Sendable {
        var state: State
        var health: DeviceHealth
        var observer: (@Sendable (DeviceHealth) -> Void)?
        var outbox: [DeviceHealth] = []
        var delivering = false
    }

    private let inner: Mutex<Inner>
    private let clock: any HallClock

    public init(_ state: State, health: DeviceHealth, clock: any HallClock) {
        inner = Mutex(Inner(state: state, health: health))
        self.clock = clock
    }

    /// The current health.
    public var health: DeviceHealth { inner.withLock { $0.health } }

    /// A copy of the current state.
    public var state: State { inner.withLock { $0.state } }

    /// Reads state and health together, consistently.
    public func read<R: Sendable>(_ body: (State, DeviceHealth) -> R) -> R {
        inner.withLock { body($0.state, $0.health) }
    }

    /// Sets the one observer of health changes (the registry); replaces any earlier one.
    public func observe(_ observer: @escaping @Sendable (DeviceHealth) -> Void) {
        inner.withLock { $0.observer = observer }
    }

    /// Runs `body` on the state under the lock, then recomputes the health with `assess`.
    ///
    /// `assess` maps the state to the state and reason the health should show; a change of
    /// either is one notification (a repeated assessment is none). `body` may record an error
    /// in `lastError` through its second argument; that alone never notifies.
    public func mutate<R: Sendable, E: Error>(
        assess: (State) -> (DeviceHealth.State, String),
        _ body: (inout State, inout ErrorNote) throws(E) -> R
    ) throws(E) -> R {
        let now = clock.now()
        let result: Result<R, E> = inner.withLock { inner in
            var note = ErrorNote()
            let r: Result<R, E>
            do throws(E) {
                r = .success(try body(&inner.state, &note))
            } catch {
                r = .failure(error)
            }
            if let message = note.message { inner.health.lastError = message }
            let (state, reason) = assess(inner.state)
            if state != inner.health.state || reason != inner.health.reason {
                if state != inner.health.state { inner.health.since = now }
                inner.health.state = state
                inner.health.reason = reason
                if inner.observer != nil { inner.outbox.append(inner.health) }
            }
            return r
        }
        deliver()
        return try result.get()
    }

    /// Hands queued health changes to the observer, outside the lock, in order.
    private func deliver() {
        let claimed = inner.withLock { inner -> Bool in
            guard !inner.delivering, !inner.outbox.isEmpty else { return false }
            inner.delivering = true
            return true
        }
        guard claimed else { return }
        while true {
            let next = inner.withLock { inner -> (DeviceHealth, @Sendable (DeviceHealth) -> Void)? in
                guard !inner.outbox.isEmpty, let observer = inner.observer else {
                    inner.outbox.removeAll()
                    inner.delivering = false
                    return nil
                }
                return (inner.outbox.removeFirst(), observer)
            }
            guard let (health, observer) = next else { return }
            observer(health)
        }
    }
}

/// Where a `DeviceStateBox.mutate` body records the error it hit, for `DeviceHealth.lastError`.
public struct ErrorNote: Sendable {
    public internal(set) var message: String?
    public init() {}
    public mutating func record(_ message: String) { self.message = message }
}
