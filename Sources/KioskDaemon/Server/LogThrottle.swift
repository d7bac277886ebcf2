import Foundation
import Synchronization

/// At most one log line per kind and interval for what a flood repeats thousands of times
/// (refused connections, accept errors, cut-off subscribers); the line says how many were folded
/// into it.
final class LogThrottle: Sendable {
    private let interval: Duration
    private let state = Mutex<[String: (last: ContinuousClock.Instant, folded: Int)]>([:])

    init(interval: Duration = .seconds(60)) { self.interval = interval }

    /// Calls `log` with what to append to its line — " (and N more in the last minute)", or ""
    /// when nothing was folded — or does nothing when a line of this kind was written less than
    /// `interval` ago.
    func note(_ kind: String, _ log: (String) -> Void) {
        let now = ContinuousClock.now
        let folded: Int? = state.withLock { s in
            if let entry = s[kind], now - entry.last < interval {
                s[kind]!.folded += 1
                return nil
            }
            let folded = s[kind]?.folded ?? 0
            s[kind] = (now, 0)
            return folded
        }
        if let folded { log(folded > 0 ? " (and \(folded) more in the last minute)" : "") }
    }
}
