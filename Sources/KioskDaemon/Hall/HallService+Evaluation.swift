import Foundation
import KioskCore
import KioskProtocol
import KioskStore

/// 好差评: one rating per finished case.
extension HallService {
    public struct EvaluationView: Codable, Sendable {
        public var ticket: Int64
        public var number: String
        public var category: String
        public var window: String?
        public var staff: String?
        public var score: Int
        public var label: String
        public var bad: Bool
        public var caseNumber: String?
        public var comment: String?
        public var submittedAt: String

        init(_ e: Evaluation, timeZone: TimeZone) {
            ticket = e.ticketId
            number = e.number
            category = e.category
            window = e.window
            staff = e.staff
            score = e.score.rawValue
            label = e.score.label
            bad = e.score.isBad
            caseNumber = e.caseNumber
            comment = e.comment
            submittedAt = ISO8601.string(e.submittedAt, timeZone: timeZone)
        }
    }

    public func evaluate(_ p: EvaluationParams) async throws -> EvaluationView {
        let config = self.config, now = clock.now()
        guard let score = Evaluation.Score(rawValue: p.score) else {
            throw KioskError.invalidParams("score must be 1 (非常不满意) to 5 (非常满意), got \(p.score)")
        }
        return try await store.write { w in
            let ticket = try Self.ticket(p.ticket, in: w)
            try Evaluation.checkRateable(ticket, existing: w.evaluation(ticketId: ticket.id))
            let e = Evaluation(ticketId: ticket.id, day: ticket.day, number: ticket.number, category: ticket.category,
                window: ticket.window, staff: ticket.staff, score: score, caseNumber: p.caseNumber, comment: p.comment,
                submittedAt: now)
            try w.insert(e)
            let view = EvaluationView(e, timeZone: config.daemon.timeZone)
            try Self.emit(w, EventTopic.evaluationSubmitted, view, at: now)
            return view
        }
    }
}
