import Foundation
import KioskCore
import KioskProtocol
import KioskStore

/// 预警: `queue.alert` when a category's oldest wait or its estimate for a newcomer crosses
/// `alert_wait_seconds` — the cue to open a tidal window — once per crossing, and a `cleared`
/// event when it recovers. The state is stored so a restart neither repeats nor forgets an alert.
extension HallService {
    struct AlertEvent: Encodable {
        var category: String
        var name: String
        var state: String  // "raised" | "cleared"
        var oldestWaitSeconds: Int
        var estimatedWaitSeconds: Int
        var waiting: Int
        var thresholdSeconds: Int
    }

    public func checkAlerts() async throws {
        let config = self.config, now = clock.now(), day = today
        let threshold = config.queue.alertWaitSeconds
        try await store.write { w in
            let lens = QueueLens(config: config, reader: w, day: day)
            for c in config.categories {
                let waiting = try w.waitingSummary(day: day, category: c.id)
                let oldest = waiting.oldestIssuedAt.map { Int(now.timeIntervalSince($0)) } ?? 0
                let estimate = waiting.count == 0 ? 0 : try lens.estimate(category: c.id, ahead: waiting.count)
                let over = oldest >= threshold || estimate >= threshold
                let active = try w.alertActive(category: c.id)
                guard over != active else { continue }
                try w.setAlertActive(category: c.id, over)
                try Self.emit(w, EventTopic.queueAlert, AlertEvent(
                    category: c.id, name: c.name, state: over ? "raised" : "cleared", oldestWaitSeconds: oldest,
                    estimatedWaitSeconds: estimate, waiting: waiting.count, thresholdSeconds: threshold), at: now)
            }
        }
    }
}
