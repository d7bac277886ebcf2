import Foundation
import KioskCore
import KioskStore
import Logging
import Synchronization

/// Turns the store's health changes into what people and systemd see: a log line, the unit's
/// STATUS text, and a `storage.status` event. While the store is faulted the event cannot be
/// stored, so the fault reaches live subscribers only; the recovery is stored, carrying the
/// fault it ends, so the log tells the whole story.
final class StorageWatch: Sendable {
    let store: any Store
    let bus: EventBus
    let logger: Logger
    let timeZone: TimeZone
    let hallName: String
    /// Which daemon saw it: on a shared hall database each reports its own outage.
    let terminal: String

    init(store: any Store, bus: EventBus, logger: Logger, timeZone: TimeZone, hallName: String, terminal: String) {
        self.store = store
        self.bus = bus
        self.logger = logger
        self.timeZone = timeZone
        self.hallName = hallName
        self.terminal = terminal
    }

    /// Follows the store from now on, and says so if it is already faulted.
    func start() {
        let last = Mutex<StorageHealth>(store.health)
        if let error = store.health.error { announceFault(error) }
        store.setHealthSink { [self] health in
            let previous = last.withLock { p in defer { p = health }; return p }
            switch health.state {
            case .fault: self.announceFault(health.error ?? "?")
            case .ok: self.announceRecovery(after: previous)
            }
        }
    }

    /// The unit's status line: what `systemctl status kioskd` shows.
    var statusLine: String {
        store.health.error.map { "storage fault: \($0)" } ?? "serving \(hallName)"
    }

    /// Throws while the store is faulted: `/healthz` answers 503 with the reason. The watchdog
    /// stops on it only where a restart can help (`Store.restartMayHeal`, see the probe in
    /// `Daemon`): a hall database that is away is waited for, the devices keep running.
    func requireHealthy() throws {
        let health = store.health
        if health.state == .fault { throw StoreError(health.error ?? "storage fault") }
    }

    private func announceFault(_ error: String) {
        logger.error("storage fault: \(error)")
        Systemd.notify("STATUS=\(statusLine)")
        bus.publishUnrecorded(topic: EventTopic.storageStatus, at: Date(), json: json(["state": "fault", "error": error, "terminal": terminal]))
    }

    private func announceRecovery(after fault: StorageHealth) {
        logger.notice("storage ok again (after: \(fault.error ?? "?"))")
        Systemd.notify("STATUS=\(statusLine)")
        let data = json(["state": "ok", "fault": fault.error ?? "", "faultSince": ISO8601.string(fault.since, timeZone: timeZone),
            "terminal": terminal])
        Task {
            do {
                _ = try await store.write { w in try w.appendEvent(topic: EventTopic.storageStatus, at: Date(), json: data) }
            } catch {
                logger.warning("storage.status event not recorded: \(error)")
            }
        }
    }

    private func json(_ fields: [String: String]) -> String {
        let data = try? JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys, .withoutEscapingSlashes])
        return data.map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}
