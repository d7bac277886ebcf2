import Foundation

/// A hall-day's figures (日统计), per category and per window. Pure: computed from the day's
/// tickets and evaluations.
public struct DayStats: Sendable, Equatable {
    public struct Line: Sendable, Equatable {
        public var key: String
        /// Numbers handed out (categories, total); for a window, the tickets it called.
        public var issued = 0
        /// Tickets called at least once.
        public var called = 0
        public var served = 0
        /// No-show events of the day (过号): a ticket requeued after a no-show still counts its
        /// no-show, and counts again if it misses its second call.
        public var noShows = 0
        public var cancelled = 0
        public var averageWaitSeconds: Int?
        public var maxWaitSeconds: Int?
        public var averageServiceSeconds: Int?
        public var evaluations = 0
        /// Share of ratings that are not bad (好评率: score ≥ 3), nil without ratings.
        public var satisfactionRate: Double?
        public var badReviews = 0
        public init(key: String) { self.key = key }
    }

    public var day: HallDay
    public var categories: [Line]
    public var windows: [Line]
    public var total: Line
    /// Ratings of 2 or less, for call-back within one working day.
    public var badReviews: [Evaluation]

    public static func compute(
        day: HallDay, tickets: [Ticket], evaluations: [Evaluation], categoryOrder: [String], windowOrder: [String]
    ) -> DayStats {
        // The window each ticket ended at: a rating counts there (the evaluator may not say).
        let windowOfTicket = Dictionary(tickets.map { ($0.id, $0.window) }, uniquingKeysWith: { a, _ in a })
        /// `issued` counts the numbers a key handed out; the rest counts where cases ended up.
        func line(_ key: String, issued: [Ticket], _ ts: [Ticket], _ evals: [Evaluation]) -> Line {
            var l = Line(key: key)
            l.issued = issued.count
            l.served = ts.count { $0.state == .done }
            l.called = ts.count { $0.firstCalledAt != nil }
            // Requeue is only allowed from no_show, so each requeue is one earlier no-show.
            l.noShows = ts.reduce(0) { $0 + $1.requeues + ($1.state == .noShow ? 1 : 0) }
            l.cancelled = ts.count { $0.state == .cancelled }
            let waits = ts.compactMap { t in t.firstCalledAt.map { $0.timeIntervalSince(t.issuedAt) } }
            if !waits.isEmpty {
                l.averageWaitSeconds = Int((waits.reduce(0, +) / Double(waits.count)).rounded())
                l.maxWaitSeconds = Int(waits.max()!.rounded())
            }
            let services = ts.compactMap { t -> Double? in
                guard t.state == .done, let s = t.startedAt, let f = t.finishedAt else { return nil }
                return f.timeIntervalSince(s)
            }
            if !services.isEmpty {
                l.averageServiceSeconds = Int((services.reduce(0, +) / Double(services.count)).rounded())
            }
            l.evaluations = evals.count
            l.badReviews = evals.count { $0.score.isBad }
            if !evals.isEmpty { l.satisfactionRate = Double(evals.count { !$0.score.isBad }) / Double(evals.count) }
            return l
        }
        let catKeys = categoryOrder + Set(tickets.flatMap { [$0.category, $0.issueCategory] }).subtracting(categoryOrder).sorted()
        let categories = catKeys.map { c in
            line(c, issued: tickets.filter { $0.issueCategory == c }, tickets.filter { $0.category == c },
                evaluations.filter { $0.category == c })
        }
        // A ticket counts for the window that last called it (where its case ended).
        let served = tickets.filter { $0.window != nil }
        let winKeys = windowOrder + Set(served.compactMap(\.window)).subtracting(windowOrder).sorted()
        let windows = winKeys.map { w in
            line(w, issued: served.filter { $0.window == w }, served.filter { $0.window == w },
                evaluations.filter { (windowOfTicket[$0.ticketId] ?? $0.window) == w })
        }
        return DayStats(
            day: day, categories: categories, windows: windows, total: line("total", issued: tickets, tickets, evaluations),
            badReviews: evaluations.filter { $0.score.isBad }.sorted { $0.submittedAt < $1.submittedAt })
    }
}
