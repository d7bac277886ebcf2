import Foundation
import KioskCore

/// `[daemon]`: socket, state directory, the hall's time zone and day boundary, log level, how
/// many events a slow subscriber may fall behind, and this terminal's name in the hall.
/// The whole table is optional; `DaemonSettings` holds the defaults.
extension DaemonSettings {
    static let configKeys: Set<String> = [
        "socket", "socket_group", "state_dir", "timezone", "day_starts_at", "log_level", "subscriber_buffer",
        "card_token_seconds", "subscriber_buffer_bytes", "max_connections", "idle_line_seconds", "line_memory_mib",
        "terminal", "terminal_stale_seconds",
    ]

    /// swift-log's level names, the only values `log_level` may take.
    static let logLevels = ["trace", "debug", "info", "notice", "warning", "error", "critical"]

    /// `sun_path` holds this many bytes plus the terminating NUL; a longer path fails at bind time
    /// with an unhelpful error, so it is refused here with the resolved path in the message.
    static let maximumSocketPathBytes: Int = {
        #if os(Linux)
            return 107
        #else
            return 103
        #endif
    }()

    init(reading table: TableReader) throws(ConfigError) {
        try table.refuseUnknownKeys(Self.configKeys)
        self.init()
        if let socket = try table.string("socket") {
            self.socket = table.document.resolve(socket)
            let bytes = self.socket.utf8.count
            guard bytes <= Self.maximumSocketPathBytes else {
                throw table.error(
                    "socket",
                    "resolves to \(self.socket) (\(bytes) bytes); a Unix socket path may be at most \(Self.maximumSocketPathBytes) bytes")
            }
        }
        socketGroup = try table.string("socket_group")
        if let stateDir = try table.string("state_dir") { self.stateDir = table.document.resolve(stateDir) }
        if let identifier = try table.string("timezone") {
            guard let zone = TimeZone(identifier: identifier) else {
                throw table.error("timezone", "unknown time zone \"\(identifier)\"; use an IANA name such as \"Asia/Shanghai\"")
            }
            timeZone = zone
        }
        if let text = try table.string("day_starts_at") {
            guard let minutes = OpeningHours.minutes(text), minutes < 24 * 60 else {
                throw table.error("day_starts_at", "must be a time of day as \"HH:MM\" (00:00 to 23:59), not \"\(text)\"")
            }
            dayStartsAtMinutes = minutes
        }
        if let level = try table.string("log_level") {
            guard Self.logLevels.contains(level) else {
                throw table.error("log_level", "must be one of \(Self.logLevels.joined(separator: ", ")), not \"\(level)\"")
            }
            logLevel = level
        }
        // Events queued for one subscriber before it is cut off as too slow.
        if let buffer = try table.int("subscriber_buffer", atLeast: 1) { subscriberBuffer = buffer }
        if let bytes = try table.int("subscriber_buffer_bytes", atLeast: 1024) { subscriberBufferBytes = bytes }
        if let seconds = try table.int("card_token_seconds", atLeast: 1) { cardTokenSeconds = seconds }
        // Connections and unfinished lines: what one client, or many, may hold of the daemon.
        if let n = try table.int("max_connections", atLeast: 1) { maxConnections = n }
        if let seconds = try table.int("idle_line_seconds", atLeast: 1) { idleLineSeconds = seconds }
        if let mib = try table.int("line_memory_mib", atLeast: 1) { lineMemoryMiB = mib }
        if let name = try table.string("terminal") {
            // Shown in every daemon's device list and logs, and stored as a key: kept plain.
            guard (1...64).contains(name.count), name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }) else {
                throw table.error("terminal", "must be 1 to 64 letters, digits, '-', '_' or '.', such as \"T01\", not \"\(name)\"")
            }
            terminal = name
        }
        // Another terminal that has not reported for this long is shown as stale (it reports every 10 s).
        if let seconds = try table.int("terminal_stale_seconds", atLeast: 5) { terminalStaleSeconds = seconds }
    }
}
