import CSystemd
import Foundation

/// The systemd side of the daemon: readiness, status text, watchdog pings and socket
/// activation. Every call is a no-op when not run under systemd.
enum Systemd {
    static func notify(_ state: String) {
        _ = sd_notify(0, state)
    }

    /// The watchdog interval systemd expects pings within (WatchdogSec=), if any.
    static func watchdogInterval() -> Duration? {
        var usec: UInt64 = 0
        guard sd_watchdog_enabled(0, &usec) > 0, usec > 0 else { return nil }
        return .microseconds(Int64(usec))
    }

    /// The listening socket passed by `kioskd.socket`, if started by socket activation.
    static func inheritedSocket() -> CInt? {
        let n = sd_listen_fds(1)
        guard n >= 1 else { return nil }
        return SD_LISTEN_FDS_START
    }
}
