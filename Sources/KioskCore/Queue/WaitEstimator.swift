/// Estimated wait for a waiting ticket (预计等待时间).
///
/// The model is the M/M/c queue seen from one customer: with `c` open windows serving the
/// category, `busy` of them occupied, and `ahead` people to be called first, the ticket is called
/// at the `(ahead - free + 1)`-th departure, where `free = c - busy`. With exponential service of
/// mean `s`, departures from `c` busy windows come every `s / c` on average (memoryless), so
///
///     wait = max(0, ahead - free + 1) × s / c
///
/// Averaged over arrivals this is exactly Erlang C's mean wait `Wq` (PASTA); the test
/// `WaitEstimatorTests` checks it against the formula on a simulated hall. `s` is the mean of
/// today's finished cases in the category, seeded with `default_service_seconds` as one
/// pseudo-observation so that the first cases of a morning do not swing it wildly.
public enum WaitEstimator {
    public struct ServiceTimes: Sendable, Equatable {
        public var totalSeconds: Double
        public var count: Int
        public init(totalSeconds: Double = 0, count: Int = 0) {
            self.totalSeconds = totalSeconds
            self.count = count
        }
        /// Mean service time, with the default as a prior worth one observation.
        public func mean(defaultSeconds: Int) -> Double {
            (totalSeconds + Double(defaultSeconds)) / Double(count + 1)
        }
    }

    /// - Parameters:
    ///   - ahead: people who will be called before this ticket.
    ///   - openWindows: open windows serving the category (a closed hall counts as one window,
    ///     so the estimate stays meaningful before the first window opens).
    ///   - busyWindows: those of them with a ticket called or in service.
    public static func seconds(
        ahead: Int, openWindows: Int, busyWindows: Int, meanServiceSeconds: Double
    ) -> Int {
        let c = max(openWindows, 1)
        let free = max(0, c - min(busyWindows, c))
        let departuresNeeded = max(0, ahead - free + 1)
        return Int((Double(departuresNeeded) * meanServiceSeconds / Double(c)).rounded())
    }

    /// Erlang C: probability an arrival waits, and mean wait `Wq`, for arrival rate `lambda`,
    /// mean service `s` and `c` servers. Used to validate the model and for capacity planning.
    public static func erlangC(lambda: Double, meanService s: Double, servers c: Int) -> (pWait: Double, meanWait: Double) {
        let a = lambda * s  // offered load in Erlangs
        // An overloaded hall has no steady state: everyone waits, and the wait grows without bound.
        guard a < Double(c) else { return (1, .infinity) }
        var term = 1.0, sum = 1.0  // sum of a^k/k! for k < c
        for k in 1..<c {
            term *= a / Double(k)
            sum += term
        }
        let last = term * a / Double(c) * Double(c) / (Double(c) - a)
        let p = last / (sum + last)
        return (p, p * s / (Double(c) - a))
    }
}
