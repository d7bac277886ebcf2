import Foundation
import KioskCore
import KioskProtocol
import KioskStore

/// 日统计: a hall-day's figures per category and window, and the bad reviews to call back.
extension HallService {
    public struct StatsLine: Codable, Sendable {
        public var key: String
        public var name: String?
        /// Numbers handed out; absent on window lines (a window issues nothing: see `called`).
        public var issued: Int?
        /// Tickets called at least once (for a window: the tickets it called).
        public var called: Int
        public var served: Int
        public var noShows: Int
        public var cancelled: Int
        public var averageWaitSeconds: Int?
        public var maxWaitSeconds: Int?
        public var averageServiceSeconds: Int?
        public var evaluations: Int
        public var satisfactionRate: Double?
        public var badReviews: Int
    }

    public struct StatsView: Codable, Sendable {
        public var date: String
        public var hall: String
        public var categories: [StatsLine]
        public var windows: [StatsLine]
        public var total: StatsLine
        public var badReviews: [EvaluationView]
        /// The certificate audit chain's head at the end of the day (so far, for today): printed
        /// in the daily report, it can be witnessed outside kioskd and checked later.
        public var auditHead: AuditHeadView
    }

    public struct AuditHeadView: Codable, Sendable {
        public var seq: Int64
        public var hash: String
    }

    public func stats(date: String?) async throws -> StatsView {
        let config = self.config
        let day = try date.map(Self.parseDay) ?? today
        let end = Int64((config.calendar.nextDayStart(after: config.calendar.start(of: day)).timeIntervalSince1970 * 1000).rounded())
        let (stats, head) = try await store.read { r in
            (DayStats.compute(day: day, tickets: try r.tickets(day: day), evaluations: try r.evaluations(day: day),
                categoryOrder: config.categories.map(\.id), windowOrder: config.windows.map(\.id)),
             try r.lastAuditEntry(before: end))
        }
        func line(_ l: DayStats.Line, name: String?, issues: Bool = true) -> StatsLine {
            StatsLine(key: l.key, name: name, issued: issues ? l.issued : nil, called: l.called, served: l.served, noShows: l.noShows, cancelled: l.cancelled,
                averageWaitSeconds: l.averageWaitSeconds, maxWaitSeconds: l.maxWaitSeconds,
                averageServiceSeconds: l.averageServiceSeconds, evaluations: l.evaluations,
                satisfactionRate: l.satisfactionRate.map { ($0 * 10000).rounded() / 10000 }, badReviews: l.badReviews)
        }
        return StatsView(
            date: day.rawValue, hall: config.hall.code,
            categories: stats.categories.map { line($0, name: config.category($0.key)?.name) },
            windows: stats.windows.map { line($0, name: config.window($0.key)?.name, issues: false) },
            total: line(stats.total, name: nil),
            badReviews: stats.badReviews.map { EvaluationView($0, timeZone: config.daemon.timeZone) },
            auditHead: AuditHeadView(seq: head?.seq ?? 0, hash: head?.hash ?? String(repeating: "0", count: 64)))
    }
}
