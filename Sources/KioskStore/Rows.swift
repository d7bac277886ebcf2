import Foundation
import GRDB
import KioskCore

/// Ticket ⇄ row of `tickets`. Times are seconds since 1970 (REAL): exact and cheap to compare.
enum TicketRow {
    static func decode(_ row: some StoreRow) -> Ticket {
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
    static func decode(_ row: some StoreRow) -> Evaluation {
        Evaluation(
            ticketId: row["ticket_id"], day: HallDay(row["day"]), number: row["number"], category: row["category"],
            window: row["window"], staff: row["staff"],
            score: Evaluation.Score(rawValue: row["score"]) ?? .fair, caseNumber: row["case_number"],
            comment: row["comment"], submittedAt: Date(timeIntervalSince1970: row["submitted_at"]))
    }
}

/// Certificate ⇄ row of `certificates`. Fields are JSON with sorted keys.
extension Certificate {
    /// A copy changed by `body` (for the columns added after the first release).
    fileprivate func with(_ body: (inout Certificate) -> Void) -> Certificate {
        var c = self
        body(&c)
        return c
    }
}

enum CertificateRow {
    static func decode(_ row: some StoreRow) -> Certificate? {
        guard let serial = CertificateSerial(row["serial"] as String) else { return nil }
        let fields = (row["fields"] as String).data(using: .utf8)
            .flatMap { try? JSONDecoder().decode([String: String].self, from: $0) } ?? [:]
        let released: PersonRef? = (row["released_by_id"] as String?).map {
            PersonRef(id: $0, name: row["released_by_name"] ?? "")
        }
        return Certificate(
            serial: serial, orderId: row["order_id"], type: row["type"], department: row["department"],
            holderName: row["holder_name"], holderKey: row["holder_key"], holderMasked: row["holder_masked"],
            fields: fields,
            acceptedBy: PersonRef(id: row["accepted_by_id"], name: row["accepted_by_name"]),
            approvedBy: PersonRef(id: row["approved_by_id"], name: row["approved_by_name"]),
            delivery: CertificateDelivery(
                mode: CertificateDelivery.Mode(rawValue: row["delivery_mode"]) ?? .pickup, address: row["delivery_address"]),
            printMode: PrintMode(rawValue: row["print_mode"]) ?? .now,
            state: CertificateState(rawValue: row["state"]) ?? .failed,
            issuedAt: Date(timeIntervalSince1970: row["issued_at"]), orderDigest: row["order_digest"],
            qrPayload: row["qr_payload"], printer: row["printer"], releasedBy: released, carrier: row["carrier"],
            trackingNumber: row["tracking_number"], reprintOf: row["reprint_of"], voidReason: row["void_reason"],
            updatedAt: Date(timeIntervalSince1970: row["updated_at"]))
            .with { $0.pickupCodeFailures = row["pickup_code_failures"] }
    }

    static func columns(_ c: Certificate) -> [(String, (any DatabaseValueConvertible)?)] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let fields = (try? encoder.encode(c.fields)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        return [
            ("serial", c.serial.description), ("day", c.serial.day.rawValue), ("sequence", c.serial.sequence),
            ("order_id", c.orderId), ("type", c.type), ("department", c.department), ("holder_name", c.holderName),
            ("holder_key", c.holderKey), ("holder_masked", c.holderMasked), ("fields", fields),
            ("accepted_by_id", c.acceptedBy.id), ("accepted_by_name", c.acceptedBy.name),
            ("approved_by_id", c.approvedBy.id), ("approved_by_name", c.approvedBy.name),
            ("delivery_mode", c.delivery.mode.rawValue), ("delivery_address", c.delivery.address),
            ("print_mode", c.printMode.rawValue), ("state", c.state.rawValue),
            ("issued_at", c.issuedAt.timeIntervalSince1970), ("order_digest", c.orderDigest),
            ("qr_payload", c.qrPayload), ("printer", c.printer),
            ("released_by_id", c.releasedBy?.id), ("released_by_name", c.releasedBy?.name),
            ("carrier", c.carrier), ("tracking_number", c.trackingNumber), ("reprint_of", c.reprintOf),
            ("void_reason", c.voidReason), ("updated_at", c.updatedAt.timeIntervalSince1970),
            ("pickup_code_failures", c.pickupCodeFailures),
        ]
    }
}

enum PrintAttemptRow {
    static func decode(_ row: some StoreRow) -> PrintAttempt {
        var a = PrintAttempt(
            id: row["id"], serial: row["serial"], number: row["number"], printer: row["printer"], job: row["job"],
            state: PrintAttempt.State(rawValue: row["state"]) ?? .failed, reason: row["reason"],
            createdAt: Date(timeIntervalSince1970: row["created_at"]),
            updatedAt: Date(timeIntervalSince1970: row["updated_at"]))
        a.jobName = row["job_name"]
        a.terminal = row["terminal"]
        return a
    }
}

enum AuditRow {
    static func decode(_ row: some StoreRow) -> AuditRecord {
        AuditRecord(
            seq: row["seq"], atMilliseconds: row["at_ms"], action: row["action"], subject: row["subject"],
            actor: row["actor"], details: row["details"], prevHash: row["prev_hash"], hash: row["hash"])
    }
}

enum EventRow {
    static func decode(_ row: some StoreRow) -> StoredEvent {
        StoredEvent(seq: row["seq"], topic: row["topic"], at: Date(timeIntervalSince1970: row["at"]), json: row["data"])
    }
}
