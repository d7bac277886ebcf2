import Foundation
import KioskCore
import Logging
import Synchronization

/// Logs one line per message to stderr. Under systemd (JOURNAL_STREAM is set) each line starts
/// with its syslog priority (`<3>` error … `<7>` debug), so `journalctl -p warning` filters by
/// level; otherwise lines carry a timestamp for a terminal, in hall time with its offset (the
/// config's `[daemon] timezone`), so a fault at 04:37 in the hall reads 04:37, not the evening before.
struct JournalLogHandler: LogHandler {
    let label: String
    let journal: Bool
    let timeZone: TimeZone
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]

    private static let lock = Mutex(())

    init(label: String, level: Logger.Level, timeZone: TimeZone,
        journal: Bool = !(ProcessInfo.processInfo.environment["JOURNAL_STREAM"] ?? "").isEmpty) {
        self.label = label
        self.timeZone = timeZone
        self.logLevel = level
        self.journal = journal
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    static func priority(_ level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: 7
        case .info: 6
        case .notice: 5
        case .warning: 4
        case .error: 3
        case .critical: 2
        }
    }

    func log(event: LogEvent) {
        var all = metadata
        if let extra = event.metadata { all.merge(extra) { _, new in new } }
        let meta = all.isEmpty ? "" : " " + all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        let line: String
        if journal {
            line = "<\(Self.priority(event.level))>\(event.message)\(meta)\n"
        } else {
            let time = ISO8601.string(Date(), timeZone: timeZone)
            line = "\(time) \(event.level) \(label): \(event.message)\(meta)\n"
        }
        Self.lock.withLock { _ in FileHandle.standardError.write(Data(line.utf8)) }
    }
}
