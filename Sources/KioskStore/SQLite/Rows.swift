import Foundation
import GRDB
import KioskCore

/// Ticket ⇄ row of `tickets`. Times are seconds since 1970 (REAL): exact and cheap to compare.
enum TicketRow {
    static func decode(_ row: Row) -> Ticket {
        func date(_ c: String) -> Date? { (row[c] as Double?).map(Date.init(timeIntervalSince1970:)) }
        return Ticket(
            id: row["id"], day: HallDay(row["day"]), category: row["category"], sequence: row["sequence"],
            number: row["number"], state: Ticket.State(rawValue: row["state"]) ?? .cancelled,
            priority: Ticket.Priority(rawValue: row["priority"]) ?? .normal, issuedAt: date("issued_at")!,
            orderKey: row["order_key"], front: row["front"], assignedWindow: row["assigned_window"],
            window: row["window"], staff: row["staff"], calledAt: date("called_at"),
            firstCalledAt: date("first_called_at"), startedAt: date("started_at"), finishedAt: date("finished_at"),
            recalls: row["recalls"], requeues: row["requeues"], transfers: row["transfers"],
            personKey: row["person_key"], personMasked: row["person_masked"],
            appointmentCode: row["appointment_code"], cancelReason: row["cancel_reason"],
            issueCategory: row["issue_category"])
    }

    static func columns(_ t: Ticket) -> [(String, (any DatabaseValueConvertible)?)] {
        [
            ("id", t.id), ("day", t.day.rawValue), ("category", t.category), ("issue_category", t.issueCategory),
            ("sequence", t.sequence),
            ("number", t.number), ("state", t.state.rawValue), ("priority", t.priority.rawValue),
            ("issued_at", t.issuedAt.timeIntervalSince1970), ("order_key", t.orderKey), ("front", t.front),
            ("assigned_window", t.assignedWindow), ("window", t.window), ("staff", t.staff),
            ("called_at", t.calledAt?.timeIntervalSince1970),
            ("first_called_at", t.firstCalledAt?.timeIntervalSince1970),
            ("started_at", t.startedAt?.timeIntervalSince1970), ("finished_at", t.finishedAt?.timeIntervalSince1970),
            ("recalls", t.recalls), ("requeues", t.requeues), ("transfers", t.transfers),
            ("person_key", t.personKey), ("person_masked", t.personMasked),
            ("appointment_code", t.appointmentCode), ("cancel_reason", t.cancelReason),
        ]
    }
}

enum EvaluationRow {
    static func decode(_ row: Row) -> Evaluation {
        Evaluation(
            ticketId: row["ticket_id"], day: HallDay(row["day"]), number: row["number"], category: row["category"],
            window: row["window"], staff: row["staff"],
            score: Evaluation.Score(rawValue: row["score"]) ?? .fair, caseNumber: row["case_number"],
            comment: row["comment"], submittedAt: Date(timeIntervalSince1970: row["submitted_at"]))
    }
}
