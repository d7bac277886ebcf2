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

    /// An evaluator's rating (评价器): for the case `window` finished last, at most
    /// `evaluation_window_seconds` ago. Throws `notFound` when there is none, `conflict` when it
    /// was rated already.
    public func evaluateLast(window id: String, score: Int) async throws -> EvaluationView {
        let config = self.config, now = clock.now()
        let window = try self.window(id, in: config)
        let since = now.addingTimeInterval(-TimeInterval(config.queue.evaluationWindowSeconds))
        let ticket: Int64? = try await store.read { r in
            let head = try r.lastEventSeq()
            // Newest first: the first finish at this window is the case just done there.
            for event in try r.events(upTo: head, since: since, topics: [EventTopic.ticketFinished], limit: 200) {
                guard let data = try? JSONCoding.decoder.decode(FinishedAt.self, from: Data(event.json.utf8)) else { continue }
                if data.window == window.id { return data.ticket.id }
            }
            return nil
        }
        guard let ticket else {
            throw KioskError(.notFound, "window \(window.id) finished no case in the last \(config.queue.evaluationWindowSeconds) s to rate")
        }
        return try await evaluate(EvaluationParams(ticket: ticket, score: score))
    }

    /// What an evaluator needs of a `ticket.finished` event.
    private struct FinishedAt: Decodable {
        struct Ticket: Decodable { var id: Int64 }
        var ticket: Ticket
        var window: String?
    }
}
