import Foundation
import GRDB
import KioskCore

/// `StoreReader` and `StoreWriter` over one GRDB connection inside a transaction.
struct SQLiteAccess: StoreWriter {
    let db: Database
    /// Present for writes: where appended events are collected for publication.
    let log: EventBuffer?

    /// Prepared once per connection and reused: preparing costs more than most of these queries.
    func statement(_ sql: String) throws -> Statement { try db.cachedStatement(sql: sql) }

    // MARK: tickets

    func ticket(id: Int64) throws -> Ticket? {
        try Row.fetchOne(try statement("SELECT * FROM tickets WHERE id = ?"), arguments: [id]).map(TicketRow.decode)
    }

    func ticket(day: HallDay, number: String) throws -> Ticket? {
        try Row.fetchOne(try statement("SELECT * FROM tickets WHERE day = ? AND number = ?"),
            arguments: [day.rawValue, number]).map(TicketRow.decode)
    }

    func waitingTickets(day: HallDay, categories: [String], window: String?) throws -> [Ticket] {
        var args: [any DatabaseValueConvertible] = [day.rawValue]
        var conditions: [String] = []
        if !categories.isEmpty {
            conditions.append("(assigned_window IS NULL AND category IN (\(databaseQuestionMarks(count: categories.count))))")
            args += categories
        }
        if let window {
            conditions.append("assigned_window = ?")
            args.append(window)
        }
        guard !conditions.isEmpty else { return [] }
        return try Row.fetchAll(try statement("""
            SELECT * FROM tickets WHERE day = ? AND state = 'waiting' AND (\(conditions.joined(separator: " OR ")))
            ORDER BY order_key
            """), arguments: StatementArguments(args)).map(TicketRow.decode)
    }

    /// From the lane rows (`LaneGroups.swift`): a few indexed reads however long the lane.
    func laneCounts(of t: Ticket) throws -> CallOrder.LaneCounts {
        let seat = try laneSeat(id: t.id)
        let counts = try seat.map { try laneGroupCounts(day: $0.group.day, lane: $0.group.lane) } ?? [:]
        guard let seat, seat.group == LaneGroup(waiting: t), let position = seat.position, let own = counts[seat.group.kind] else {
            throw StoreError("ticket \(t.id) (\(t.number)) is not stored as waiting in its lane")
        }
        return CallOrder.LaneCounts(
            fronts: counts[.front]?.waiting ?? 0, priorities: counts[.priority]?.waiting ?? 0,
            normals: counts[.normal]?.waiting ?? 0, beforeInGroup: try waitingBefore(position: position, inGroup: own.id))
    }

    func laneHeads(day: HallDay, categories: [String], window: String?) throws -> [Ticket] {
        let lanes = categories.map { LaneGroup.lane(category: $0, assignedWindow: nil) } + (window.map { ["window:\($0)"] } ?? [])
        var heads: [Ticket] = []
        for lane in lanes {
            let counts = try laneGroupCounts(day: day.rawValue, lane: lane)
            for kind in LaneGroup.Kind.allCases where counts[kind].map({ $0.waiting > 0 }) ?? false {
                if let head = try head(of: LaneGroup(day: day.rawValue, lane: lane, kind: kind)) { heads.append(head) }
            }
        }
        return heads
    }

    func waitingSummary(day: HallDay, category: String) throws -> (count: Int, oldestIssuedAt: Date?) {
        // The count from the lane rows; the oldest from the partial index `tickets_waiting_since`.
        let count = try laneGroupCounts(day: day.rawValue, lane: LaneGroup.lane(category: category, assignedWindow: nil))
            .values.reduce(0) { $0 + $1.waiting }
        let oldest = try Double.fetchOne(try statement("""
            SELECT MIN(issued_at) FROM tickets WHERE day = ? AND state = 'waiting' AND assigned_window IS NULL AND category = ?
            """), arguments: [day.rawValue, category])
        return (count, oldest.map(Date.init(timeIntervalSince1970:)))
    }

    func waitingTickets(day: HallDay) throws -> [Ticket] {
        try Row.fetchAll(try statement("SELECT * FROM tickets WHERE day = ? AND state = 'waiting' ORDER BY order_key"),
            arguments: [day.rawValue]).map(TicketRow.decode)
    }

    func waitingForWindows(day: HallDay) throws -> [String: Int] {
        let rows = try Row.fetchAll(try statement("""
            SELECT assigned_window, COUNT(*) AS n FROM tickets
            WHERE day = ? AND state = 'waiting' AND assigned_window IS NOT NULL GROUP BY assigned_window
            """), arguments: [day.rawValue])
        return Dictionary(uniqueKeysWithValues: rows.map { ($0["assigned_window"], $0["n"]) })
    }

    func currentTickets(window: String) throws -> [Ticket] {
        try Row.fetchAll(try statement("SELECT * FROM tickets INDEXED BY tickets_current WHERE window = ? AND state IN ('called', 'serving')"),
            arguments: [window]).map(TicketRow.decode)
    }

    func busyWindows() throws -> Set<String> {
        Set(try String.fetchAll(try statement("SELECT DISTINCT window FROM tickets INDEXED BY tickets_current WHERE state IN ('called', 'serving') AND window IS NOT NULL")))
    }

    func activeTicket(personKey: String, category: String, day: HallDay) throws -> Ticket? {
        try Row.fetchOne(try statement("""
            SELECT * FROM tickets WHERE person_key = ? AND category = ? AND day = ?
            AND state IN ('waiting', 'called', 'serving') LIMIT 1
            """), arguments: [personKey, category, day.rawValue]).map(TicketRow.decode)
    }

    func activeTickets(before day: HallDay) throws -> [Ticket] {
        try Row.fetchAll(try statement("SELECT * FROM tickets WHERE state IN ('waiting', 'called', 'serving') AND day < ?"),
            arguments: [day.rawValue]).map(TicketRow.decode)
    }

    func tickets(day: HallDay) throws -> [Ticket] {
        try Row.fetchAll(try statement("SELECT * FROM tickets WHERE day = ? ORDER BY id"), arguments: [day.rawValue])
            .map(TicketRow.decode)
    }

    func issuedCount(day: HallDay, category: String) throws -> Int {
        try Int.fetchOne(try statement("SELECT issued FROM day_counters WHERE day = ? AND category = ?"),
            arguments: [day.rawValue, category]) ?? 0
    }

    func laneRun(day: HallDay, lane: String) throws -> Int {
        try Int.fetchOne(try statement("SELECT run FROM lane_runs WHERE day = ? AND lane = ?"),
            arguments: [day.rawValue, lane]) ?? 0
    }

    func serviceTimes(day: HallDay, category: String) throws -> WaitEstimator.ServiceTimes {
        guard let row = try Row.fetchOne(try statement("SELECT seconds, cases FROM service_totals WHERE day = ? AND category = ?"),
            arguments: [day.rawValue, category])
        else { return WaitEstimator.ServiceTimes() }
        return WaitEstimator.ServiceTimes(totalSeconds: row["seconds"], count: row["cases"])
    }

    // MARK: windows, evaluations, appointments

    func windowStates() throws -> [String: WindowState] {
        var out: [String: WindowState] = [:]
        for row in try Row.fetchAll(try statement("SELECT * FROM windows")) {
            let id: String = row["id"]
            out[id] = WindowState(
                id: id, status: WindowState.Status(rawValue: row["status"]) ?? .closed, staff: row["staff"],
                since: (row["since"] as Double?).map(Date.init(timeIntervalSince1970:)))
        }
        return out
    }

    func evaluation(ticketId: Int64) throws -> Evaluation? {
        try Row.fetchOne(try statement("SELECT * FROM evaluations WHERE ticket_id = ?"), arguments: [ticketId])
            .map(EvaluationRow.decode)
    }

    func evaluations(day: HallDay) throws -> [Evaluation] {
        try Row.fetchAll(try statement("SELECT * FROM evaluations WHERE day = ? ORDER BY submitted_at"),
            arguments: [day.rawValue]).map(EvaluationRow.decode)
    }

    func appointment(code: String) throws -> Appointment? {
        try Row.fetchOne(try statement("SELECT * FROM appointments WHERE code = ?"), arguments: [code]).map { row in
            Appointment(
                code: row["code"], category: row["category"],
                slotStart: Date(timeIntervalSince1970: row["slot_start"]),
                slotEnd: Date(timeIntervalSince1970: row["slot_end"]),
                personKey: row["person_key"], personMasked: row["person_masked"], ticketId: row["ticket_id"],
                createdAt: Date(timeIntervalSince1970: row["created_at"]))
        }
    }

    // MARK: events, alerts, meta

    func events(after seq: Int64, limit: Int) throws -> [StoredEvent] {
        try Row.fetchAll(try statement("SELECT * FROM events WHERE seq > ? ORDER BY seq LIMIT ?"),
            arguments: [seq, limit]).map { row in
            StoredEvent(seq: row["seq"], topic: row["topic"], at: Date(timeIntervalSince1970: row["at"]), json: row["data"])
        }
    }

    func events(upTo seq: Int64, since: Date, topics: [String], limit: Int) throws -> [StoredEvent] {
        guard !topics.isEmpty else { return [] }
        let marks = Array(repeating: "?", count: topics.count).joined(separator: ",")
        // Today's rows of those topics through events_topic_at, newest first.
        let sql = "SELECT * FROM events WHERE seq <= ? AND at >= ? AND topic IN (\(marks)) ORDER BY seq DESC LIMIT ?"
        var arguments: StatementArguments = [seq, since.timeIntervalSince1970]
        for t in topics { arguments += [t] }
        arguments += [limit]
        return try Row.fetchAll(try statement(sql), arguments: arguments).map { row in
            StoredEvent(seq: row["seq"], topic: row["topic"], at: Date(timeIntervalSince1970: row["at"]), json: row["data"])
        }
    }

    func lastEventSeq() throws -> Int64 {
        try Int64.fetchOne(try statement("SELECT COALESCE(MAX(seq), 0) FROM events")) ?? 0
    }

    func alertActive(category: String) throws -> Bool {
        try Bool.fetchOne(try statement("SELECT active FROM alerts WHERE category = ?"), arguments: [category]) ?? false
    }

    func meta(_ key: String) throws -> String? {
        try String.fetchOne(try statement("SELECT value FROM meta WHERE key = ?"), arguments: [key])
    }

    func ticketCount() throws -> Int {
        try Int.fetchOne(try statement("SELECT COUNT(*) FROM tickets")) ?? 0
    }

    // MARK: certificates

    func certificate(serial: String) throws -> Certificate? {
        try Row.fetchOne(try statement("SELECT * FROM certificates WHERE serial = ?"), arguments: [serial])
            .flatMap(CertificateRow.decode)
    }

    func certificates(orderId: String) throws -> [Certificate] {
        try Row.fetchAll(try statement("SELECT * FROM certificates WHERE order_id = ? ORDER BY day, sequence"),
            arguments: [orderId]).compactMap(CertificateRow.decode)
    }

    func certificates(state: CertificateState?, day: HallDay?, limit: Int) throws -> [Certificate] {
        try Row.fetchAll(try statement("""
            SELECT * FROM certificates WHERE (?1 IS NULL OR state = ?1) AND (?2 IS NULL OR day = ?2)
            ORDER BY day, sequence LIMIT ?3
            """), arguments: [state?.rawValue, day?.rawValue, limit]).compactMap(CertificateRow.decode)
    }

    func certificates(holderKey: String, states: Set<CertificateState>) throws -> [Certificate] {
        try Row.fetchAll(try statement("SELECT * FROM certificates WHERE holder_key = ? ORDER BY day, sequence"),
            arguments: [holderKey]).compactMap(CertificateRow.decode).filter { states.contains($0.state) }
    }

    func certificateHistory(serial: String) throws -> [CertificateStep] {
        try Row.fetchAll(try statement("SELECT * FROM certificate_history WHERE serial = ? ORDER BY id"),
            arguments: [serial]).map { row in
            CertificateStep(
                serial: row["serial"], at: Date(timeIntervalSince1970: row["at"]),
                state: CertificateState(rawValue: row["state"]) ?? .failed, actor: row["actor"], note: row["note"])
        }
    }

    func printAttempts(serial: String) throws -> [PrintAttempt] {
        try Row.fetchAll(try statement("SELECT * FROM print_attempts WHERE serial = ? ORDER BY number"),
            arguments: [serial]).map(PrintAttemptRow.decode)
    }

    func openPrintAttempts() throws -> [PrintAttempt] {
        try Row.fetchAll(try statement(
            "SELECT * FROM print_attempts WHERE state IN ('pending', 'submitted', 'held') ORDER BY id"
        )).map(PrintAttemptRow.decode)
    }

    func auditEntries(after seq: Int64, limit: Int) throws -> [AuditRecord] {
        try Row.fetchAll(try statement("SELECT * FROM audit WHERE seq > ? ORDER BY seq LIMIT ?"), arguments: [seq, limit])
            .map(AuditRow.decode)
    }

    func lastAuditEntry() throws -> AuditRecord? {
        try Row.fetchOne(try statement("SELECT * FROM audit ORDER BY seq DESC LIMIT 1")).map(AuditRow.decode)
    }

    func lastAuditEntry(before atMilliseconds: Int64) throws -> AuditRecord? {
        try Row.fetchOne(try statement("SELECT * FROM audit WHERE at_ms < ? ORDER BY seq DESC LIMIT 1"), arguments: [atMilliseconds])
            .map(AuditRow.decode)
    }

    // MARK: writes

    func nextSequence(day: HallDay, category: String) throws -> Int {
        try Int.fetchOne(try statement("""
            INSERT INTO day_counters (day, category, issued) VALUES (?, ?, 1)
            ON CONFLICT (day, category) DO UPDATE SET issued = issued + 1
            RETURNING issued
            """), arguments: [day.rawValue, category])!
    }

    func nextOrderKey() throws -> Int64 {
        try Int64.fetchOne(try statement("""
            INSERT INTO counters (name, value) VALUES ('order_key', 1)
            ON CONFLICT (name) DO UPDATE SET value = value + 1
            RETURNING value
            """))!
    }

    func insert(_ ticket: Ticket) throws -> Ticket {
        var t = ticket
        var cols = TicketRow.columns(t)
        cols.removeAll { $0.0 == "id" }
        try moveInLanes(t, from: nil) { position in
            cols.append(("lane_position", position))
            try statement(
                "INSERT INTO tickets (\(cols.map(\.0).joined(separator: ", "))) VALUES (\(databaseQuestionMarks(count: cols.count)))"
            ).execute(arguments: StatementArguments(cols.map(\.1)))
            t.id = db.lastInsertedRowID
        }
        return t
    }

    func update(_ ticket: Ticket) throws {
        var cols = TicketRow.columns(ticket)
        cols.removeAll { $0.0 == "id" }
        try moveInLanes(ticket, from: try laneSeat(id: ticket.id)) { position in
            cols.append(("lane_position", position))
            try statement(
                "UPDATE tickets SET \(cols.map { "\($0.0) = ?" }.joined(separator: ", ")) WHERE id = ?"
            ).execute(arguments: StatementArguments(cols.map(\.1) + [ticket.id]))
        }
    }

    func addServiceTime(day: HallDay, category: String, seconds: Double) throws {
        try statement("""
            INSERT INTO service_totals (day, category, seconds, cases) VALUES (?, ?, ?, 1)
            ON CONFLICT (day, category) DO UPDATE SET seconds = seconds + excluded.seconds, cases = cases + 1
            """).execute(arguments: [day.rawValue, category, seconds])
    }

    func setLaneRun(day: HallDay, lane: String, run: Int) throws {
        try statement("""
            INSERT INTO lane_runs (day, lane, run) VALUES (?, ?, ?)
            ON CONFLICT (day, lane) DO UPDATE SET run = excluded.run
            """).execute(arguments: [day.rawValue, lane, run])
    }

    func save(_ window: WindowState) throws {
        try statement("""
            INSERT INTO windows (id, status, staff, since) VALUES (?, ?, ?, ?)
            ON CONFLICT (id) DO UPDATE SET status = excluded.status, staff = excluded.staff, since = excluded.since
            """).execute(arguments: [window.id, window.status.rawValue, window.staff, window.since?.timeIntervalSince1970])
    }

    func insert(_ e: Evaluation) throws {
        try statement("""
            INSERT INTO evaluations (ticket_id, day, number, category, window, staff, score, case_number, comment, submitted_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [e.ticketId, e.day.rawValue, e.number, e.category, e.window, e.staff, e.score.rawValue,
                e.caseNumber, e.comment, e.submittedAt.timeIntervalSince1970])
    }

    func save(_ a: Appointment) throws {
        try statement("""
            INSERT INTO appointments (code, category, slot_start, slot_end, person_key, person_masked, ticket_id, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (code) DO UPDATE SET category = excluded.category, slot_start = excluded.slot_start,
                slot_end = excluded.slot_end, person_key = excluded.person_key,
                person_masked = excluded.person_masked, ticket_id = excluded.ticket_id
            """).execute(arguments: [a.code, a.category, a.slotStart.timeIntervalSince1970, a.slotEnd.timeIntervalSince1970,
                a.personKey, a.personMasked, a.ticketId, a.createdAt.timeIntervalSince1970])
    }

    func appendEvent(topic: String, at: Date, json: String) throws -> StoredEvent {
        try statement("INSERT INTO events (topic, at, data) VALUES (?, ?, ?)").execute(
            arguments: [topic, at.timeIntervalSince1970, json])
        let event = StoredEvent(seq: db.lastInsertedRowID, topic: topic, at: at, json: json)
        log?.events.append(event)
        return event
    }

    func setAlertActive(category: String, _ active: Bool) throws {
        try statement("""
            INSERT INTO alerts (category, active) VALUES (?, ?)
            ON CONFLICT (category) DO UPDATE SET active = excluded.active
            """).execute(arguments: [category, active])
    }

    func setMeta(_ key: String, _ value: String) throws {
        try statement("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").execute(
            arguments: [key, value])
    }

    // MARK: certificate writes

    func nextCertificateSequence(day: HallDay) throws -> Int {
        try Int.fetchOne(try statement("""
            INSERT INTO counters (name, value) VALUES (?, 1)
            ON CONFLICT (name) DO UPDATE SET value = value + 1
            RETURNING value
            """), arguments: ["certificate:" + day.rawValue])!
    }

    func insert(_ certificate: Certificate) throws {
        let cols = CertificateRow.columns(certificate)
        try statement(
            "INSERT INTO certificates (\(cols.map(\.0).joined(separator: ", "))) VALUES (\(databaseQuestionMarks(count: cols.count)))"
        ).execute(arguments: StatementArguments(cols.map(\.1)))
    }

    func update(_ certificate: Certificate) throws {
        var cols = CertificateRow.columns(certificate)
        cols.removeAll { $0.0 == "serial" }
        try statement(
            "UPDATE certificates SET \(cols.map { "\($0.0) = ?" }.joined(separator: ", ")) WHERE serial = ?"
        ).execute(arguments: StatementArguments(cols.map(\.1) + [certificate.serial.description]))
    }

    func append(_ step: CertificateStep) throws {
        try statement("INSERT INTO certificate_history (serial, at, state, actor, note) VALUES (?, ?, ?, ?, ?)").execute(
            arguments: [step.serial, step.at.timeIntervalSince1970, step.state.rawValue, step.actor, step.note])
    }

    func insert(_ attempt: PrintAttempt) throws -> PrintAttempt {
        try statement("""
            INSERT INTO print_attempts (serial, number, printer, job_name, job, state, reason, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [attempt.serial, attempt.number, attempt.printer, attempt.jobName, attempt.job,
                attempt.state.rawValue, attempt.reason, attempt.createdAt.timeIntervalSince1970,
                attempt.updatedAt.timeIntervalSince1970])
        var a = attempt
        a.id = db.lastInsertedRowID
        return a
    }

    func update(_ attempt: PrintAttempt) throws {
        try statement("UPDATE print_attempts SET printer = ?, job = ?, state = ?, reason = ?, updated_at = ? WHERE id = ?").execute(
            arguments: [attempt.printer, attempt.job, attempt.state.rawValue, attempt.reason,
                attempt.updatedAt.timeIntervalSince1970, attempt.id])
    }

    func append(_ entry: AuditRecord) throws {
        let last = try Int64.fetchOne(try statement("SELECT COALESCE(MAX(seq), 0) FROM audit")) ?? 0
        guard entry.seq == last + 1 else {
            throw StoreError("audit entry \(entry.seq) does not follow the chain's last entry \(last)")
        }
        try statement("""
            INSERT INTO audit (seq, at_ms, action, subject, actor, details, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [entry.seq, entry.atMilliseconds, entry.action, entry.subject, entry.actor,
                entry.details, entry.prevHash, entry.hash])
    }
}
