/// How an ESC/POS printer's condition maps to the four health states.
///
/// The decisions, worst first:
/// - not connected → `absent` ("disconnected: …"), or `fault` when the node is there but cannot
///   be opened (permission, busy);
/// - paper out, cover open, a printer error, offline (from `DLE EOT`) → `fault`: jobs are refused
///   before a byte is sent;
/// - the last job's write failed or stalled → `fault` until the printer answers a status request
///   again or, on a one-way link, a later job goes through;
/// - no answer to `DLE EOT` `faultAfterMisses` times in a row → `fault`; fewer → `degraded`
///   ("no status answer"), because a printer busy with a long raster image may answer late and
///   should not lose a ticket over one slow reply;
/// - paper near end → `degraded` (prints; change the roll soon);
/// - otherwise `ok`.
struct PrinterHealthPolicy: Sendable {
    var faultAfterMisses: Int

    /// The connection as the driver last saw it.
    enum Link: Sendable, Equatable {
        case open
        /// Never opened, or lost: why, and whether that means absent or fault.
        case closed(state: DeviceHealth.State, reason: String)
    }

    func assess(
        link: Link, sensors: PrinterSensors?, writeFailure: String?, missedAnswers: Int,
        statusReadable: Bool
    ) -> (DeviceHealth.State, String) {
        if case .closed(let s, let reason) = link { return (s, reason) }
        if let s = sensors {
            if s.paper == .out { return (.fault, "paper out") }
            if s.coverOpen { return (.fault, "cover open") }
            if !s.errors.isEmpty { return (.fault, s.errors.joined(separator: ", ")) }
            if s.offline { return (.fault, "offline") }
        }
        if let writeFailure { return (.fault, writeFailure) }
        if missedAnswers >= max(1, faultAfterMisses) {
            return (.fault, "no status answer (\(missedAnswers) requests in a row)")
        }
        if missedAnswers > 0 { return (.degraded, "no status answer") }
        if sensors?.paper == .nearEnd { return (.degraded, "paper near end") }
        return (.ok, statusReadable ? "ready" : "ready (status not reported)")
    }

    /// Whether a fault in this condition is one the printer itself reported (refuse the job),
    /// as opposed to one a new attempt may clear.
    func isKnownFault(sensors: PrinterSensors?, missedAnswers: Int) -> Bool {
        if let s = sensors, s.paper == .out || s.coverOpen || !s.errors.isEmpty || s.offline { return true }
        return missedAnswers >= max(1, faultAfterMisses)
    }
}
