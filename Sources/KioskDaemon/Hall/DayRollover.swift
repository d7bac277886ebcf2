import Foundation
import KioskCore
import KioskProtocol
import KioskStore

/// The daily reset, done by the daemon itself (no cron, no request): when a new hall-day begins,
/// tickets still waiting or called from earlier days are cancelled (`day_ended`) and
/// `day.rolled_over` is emitted. Numbering needs no reset: sequences are per hall-day already.
/// Tickets in service are left alone; their case goes on past midnight.
extension HallService {
    struct RolloverEvent: Encodable {
        var from: String?
        var to: String
        var expired: Int
    }

    /// Idempotent; run at start and at each day boundary. Returns whether a rollover happened.
    @discardableResult
    public func rollOverIfNeeded() async throws -> Bool {
        let config = self.config, now = clock.now()
        let day = config.calendar.day(for: now)
        return try await store.write { w in
            let previous = try w.meta("current_day").map(HallDay.init)
            guard previous != day else { return false }
            var expired = 0
            for var t in try w.activeTickets(before: day) where t.state != .serving {
                try t.cancel(reason: "day_ended")
                try w.update(t)
                try Self.emit(w, EventTopic.ticketCancelled, TicketEvent(ticket: TicketMapper.view(t, config: config)), at: now)
                expired += 1
            }
            try w.setMeta("current_day", day.rawValue)
            try Self.emit(w, EventTopic.dayRolledOver, RolloverEvent(from: previous?.rawValue, to: day.rawValue, expired: expired), at: now)
            return true
        }
    }

    /// Seconds until the next hall-day begins.
    public func secondsUntilNextDay() -> TimeInterval {
        let now = clock.now()
        return config.calendar.nextDayStart(after: now).timeIntervalSince(now)
    }
}
