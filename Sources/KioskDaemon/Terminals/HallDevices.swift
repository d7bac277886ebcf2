import Foundation
import KioskCore
import KioskProtocol
import KioskStore

/// `device.list` for the whole hall (全厅设备): this daemon's devices as they are now, then every
/// other terminal's as it last reported them from the shared database. Each entry names its
/// `terminal`; `stale` is true when that terminal has not reported for `terminal_stale_seconds`
/// (stopped, crashed, or cut off), its states being the last known; `reportedAt` says when that
/// terminal last reported.
enum HallDevices {
    static func list(own: JSONValue, terminal: String, store: any Store, staleAfter: TimeInterval, now: Date,
        timeZone: TimeZone) async -> JSONValue {
        var entries = (own.arrayValue ?? []).map { mark($0, terminal: terminal, stale: false, reportedAt: nil) }
        guard store.isShared else { return .array(entries) }
        // The database away: this terminal's own devices are still worth showing.
        guard let (terminals, devices) = try? await store.read({ r in (try r.terminals(), try r.terminalDevices()) }) else {
            return .array(entries)
        }
        let known = Dictionary(terminals.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        for d in devices where d.terminal != terminal {
            guard let entry = try? JSONCoding.decoder.decode(JSONValue.self, from: Data(d.entry.utf8)) else { continue }
            // Silence by the database's clock: this daemon's and that terminal's may disagree.
            let silent = known[d.terminal]?.silentSeconds ?? now.timeIntervalSince(d.updatedAt)
            let reported = known[d.terminal]?.seenAt ?? d.updatedAt
            entries.append(mark(entry, terminal: d.terminal, stale: silent > staleAfter,
                reportedAt: ISO8601.string(reported, timeZone: timeZone)))
        }
        return .array(entries)
    }

    private static func mark(_ entry: JSONValue, terminal: String, stale: Bool, reportedAt: String?) -> JSONValue {
        guard var object = entry.objectValue else { return entry }
        object["terminal"] = .string(terminal)
        object["stale"] = .bool(stale)
        if let reportedAt { object["reportedAt"] = .string(reportedAt) }
        return .object(object)
    }
}
