import Foundation
import Synchronization

/// The source of "now" for every rule that depends on time, injected so tests can run a whole
/// hall-day in seconds.
public protocol HallClock: Sendable {
    func now() -> Date
}

/// The wall clock.
public struct SystemClock: HallClock {
    public init() {}
    public func now() -> Date { Date() }
}

/// A clock that moves only when told to: tests and `--clock manual` diagnostics.
public final class ManualClock: HallClock {
    private let current: Mutex<Date>
    public init(_ start: Date) { current = Mutex(start) }
    public func now() -> Date { current.withLock { $0 } }
    public func advance(by seconds: TimeInterval) { current.withLock { $0 = $0.addingTimeInterval(seconds) } }
    public func set(_ date: Date) { current.withLock { $0 = date } }
}
