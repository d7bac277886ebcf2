/// How long to wait before retrying a failing device: doubling from `initial` up to `maximum`,
/// with up to `jitter` (a fraction) added so that a hall's terminals, rebooted together, do not
/// retry a shared printer in lockstep. A success resets it; a hotplug event skips the wait.
public struct Backoff: Sendable, Equatable {
    public let initial: Duration
    public let maximum: Duration
    public let jitter: Double
    /// Consecutive failures so far.
    public private(set) var failures = 0

    public init(initial: Duration = .milliseconds(500), maximum: Duration = .seconds(60), jitter: Double = 0.2) {
        self.initial = initial
        self.maximum = maximum
        self.jitter = jitter
    }

    /// Records a failure and returns how long to wait before the next attempt.
    public mutating func failed<R: RandomNumberGenerator>(using rng: inout R) -> Duration {
        failures += 1
        let exponent = min(failures - 1, 30)
        let base = min(initial * (1 << exponent), maximum)
        guard jitter > 0 else { return base }
        let extra = base * Double.random(in: 0...jitter, using: &rng)
        return min(base + extra, maximum)
    }

    public mutating func failed() -> Duration {
        var rng = SystemRandomNumberGenerator()
        return failed(using: &rng)
    }

    public mutating func succeeded() { failures = 0 }
}
