import Foundation
import GRDB
import KioskCore

/// `StoreReader` and `StoreWriter` in SQL, over one transaction of either engine (`SQLSession`).
/// Column `window` is a reserved word in PostgreSQL: always quoted.
struct SQLAccess<Session: SQLSession>: StoreWriter {
    typealias Arguments = [(any DatabaseValueConvertible)?]
    let session: Session
    /// Present for writes: where appended events are collected for publication.
    let log: EventBuffer?
    /// Lane seats this transaction wrote or read (`LaneGroups.swift`).
    let seats = KnownSeats()

    init(_ session: Session, log: EventBuffer?) {
        self.session = session
        self.log = log
    }

    private func tickets(_ sql: String, _ arguments: Arguments) throws -> [Ticket] {
        try session.fetchAll(sql, arguments).map(TicketRow.decode)
    }

    // MARK: tickets

    func ticket(id: Int64) throws -> Ticket? {
        try session.fetchOne("SELECT * FROM tickets WHERE id = ?", [id]).map(TicketRow.decode)
    }

    func ticket(day: HallDay, number: String) throws -> Ticket? {
        try session.fetchOne("SELECT * FROM tickets WHERE day = ? AND number = ?", [day.rawValue, number]).map(TicketRow.decode)
    }

    func waitingTickets(day: HallDay, categories: [String], window: String?) throws -> [Ticket] {
        var args: Arguments = [day.rawValue]
        var conditions: [String] = []
        if !categories.isEmpty {
            conditions.append("(assigned_window IS NULL AND category IN (\(placeholders(categories.count))))")
            args += categories.map { $0 }
        }
        if let window {
            conditions.append("assigned_window = ?")
            args.append(window)
        }
        guard !conditions.isEmpty else { return [] }
        return try tickets("""
            SELECT * FROM tickets WHERE day = ? AND state = 'waiting' AND (\(conditions.joined(separator: " OR ")))
            ORDER BY order_key
            """, args)
    }

    /// From the lane rows (`LaneGroups.swift`): a few indexed reads however long the lane.
    func laneCounts(of t: Ticket) throws -> CallOrder.LaneCounts {
        let seat = try laneSeat(id: t.id)
        let counts = try seat.map { try laneGroupCounts(day: $0.group.day, lane: $0.group.lane) } ?? [:]
        guard let seat, seat.group == LaneGroup(waiting: t), let position = seat.position, counts[seat.group.kind] != nil else {
            throw StoreError("ticket \(t.id) (\(t.number)) is not stored as waiting in its lane")
        }
        return CallOrder.LaneCounts(
            fronts: counts[.front] ?? 0, priorities: counts[.priority] ?? 0,
            normals: counts[.normal] ?? 0, beforeInGroup: try waitingBefore(position: position, in: seat.group))
    }

    func laneHeads(day: HallDay, categories: [String], window: String?) throws -> [Ticket] {
        let lanes = categories.map { LaneGroup.lane(category: $0, assignedWindow: nil) } + (window.map { [CallOrder.Lane.window($0).key] } ?? [])
        var heads: [Ticket] = []
        for lane in lanes {
            let counts = try laneGroupCounts(day: day.rawValue, lane: lane)
            for kind in LaneGroup.Kind.allCases where (counts[kind] ?? 0) > 0 {
                if let head = try head(of: LaneGroup(day: day.rawValue, lane: lane, kind: kind)) { heads.append(head) }
            }
        }
        return heads
    }

    func waitingSummary(day: HallDay, category: String) throws -> (count: Int, oldestIssuedAt: Date?) {
        // The count from the lane rows; the oldest from the partial index `tickets_waiting_since`.
        let count = try laneGroupCounts(day: day.rawValue, lane: LaneGroup.lane(category: category, assignedWindow: nil))
            .values.reduce(0, +)
        let oldest: Double? = try session.scalar("""
            SELECT MIN(issued_at) FROM tickets WHERE day = ? AND state = 'waiting' AND assigned_window IS NULL AND category = ?
            """, [day.rawValue, category])
        return (count, oldest.map(Date.init(timeIntervalSince1970:)))
    }

    func waitingTickets(day: HallDay) throws -> [Ticket] {
        try tickets("SELECT * FROM tickets WHERE day = ? AND state = 'waiting' ORDER BY order_key", [day.rawValue])
    }

    func waitingForWindows(day: HallDay) throws -> [String: Int] {
        let rows = try session.fetchAll("""
            SELECT assigned_window, COUNT(*) AS n FROM tickets
            WHERE day = ? AND state = 'waiting' AND assigned_window IS NOT NULL GROUP BY assigned_window
            """, [day.rawValue])
        return Dictionary(uniqueKeysWithValues: rows.map { ($0["assigned_window"], $0["n"]) })
    }

    func currentTickets(window: String) throws -> [Ticket] {
        try tickets("""
            SELECT * FROM tickets \(session.dialect.indexedBy("tickets_current")) WHERE "window" = ? AND state IN ('called', 'serving')
            """, [window])
    }

    func busyWindows() throws -> Set<String> {
        Set(try session.column(ViewReads.busyWindows(session.dialect)))
    }

    func activeTicket(personKey: String, category: String, day: HallDay) throws -> Ticket? {
        try session.fetchOne("""
            SELECT * FROM tickets WHERE person_key = ? AND category = ? AND day = ?
            AND state IN ('waiting', 'called', 'serving') LIMIT 1
            """, [personKey, category, day.rawValue]).map(TicketRow.decode)
    }

    func activeTickets(before day: HallDay) throws -> [Ticket] {
        try tickets("SELECT * FROM tickets WHERE state IN ('waiting', 'called', 'serving') AND day < ? ORDER BY id", [day.rawValue])
    }

    func tickets(day: HallDay) throws -> [Ticket] {
        try tickets("SELECT * FROM tickets WHERE day = ? ORDER BY id", [day.rawValue])
    }

    func issuedCount(day: HallDay, category: String) throws -> Int {
        try session.scalar("SELECT issued FROM day_counters WHERE day = ? AND category = ?", [day.rawValue, category]) ?? 0
    }

    func laneRun(day: HallDay, lane: String) throws -> Int {
        try session.scalar(ViewReads.laneRun(day: day.rawValue, lane: lane)) ?? 0
    }

    func serviceTimes(day: HallDay, category: String) throws -> WaitEstimator.ServiceTimes {
        guard let row = try session.fetchOne(ViewReads.serviceTimes(day: day.rawValue, category: category))
        else { return WaitEstimator.ServiceTimes() }
        return WaitEstimator.ServiceTimes(totalSeconds: row["seconds"], count: row["cases"])
    }

    // MARK: windows, evaluations, appointments

    func windowStates() throws -> [String: WindowState] {
        var out: [String: WindowState] = [:]
        for row in try session.fetchAll(ViewReads.windowStates) {
            let id: String = row["id"]
            out[id] = WindowState(
                id: id, status: WindowState.Status(rawValue: row["status"]) ?? .closed, staff: row["staff"],
                since: (row["since"] as Double?).map(Date.init(timeIntervalSince1970:)))
        }
        return out
    }

    func evaluation(ticketId: Int64) throws -> Evaluation? {
        try session.fetchOne("SELECT * FROM evaluations WHERE ticket_id = ?", [ticketId]).map(EvaluationRow.decode)
    }

    func evaluations(day: HallDay) throws -> [Evaluation] {
        try session.fetchAll("SELECT * FROM evaluations WHERE day = ? ORDER BY submitted_at", [day.rawValue])
            .map(EvaluationRow.decode)
    }

    func appointment(code: String) throws -> Appointment? {
        try session.fetchOne("SELECT * FROM appointments WHERE code = ?", [code]).map { row in
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
        try session.fetchAll("SELECT * FROM events WHERE seq > ? ORDER BY seq LIMIT ?", [seq, limit]).map(EventRow.decode)
    }

    func events(upTo seq: Int64, since: Date, topics: [String], limit: Int) throws -> [StoredEvent] {
        guard !topics.isEmpty else { return [] }
        // Today's rows of those topics through events_topic_at, newest first.
        let sql = "SELECT * FROM events WHERE seq <= ? AND at >= ? AND topic IN (\(placeholders(topics.count))) ORDER BY seq DESC LIMIT ?"
        let arguments: Arguments = [seq, since.timeIntervalSince1970] + topics.map { $0 } + [limit]
        return try session.fetchAll(sql, arguments).map(EventRow.decode)
    }

    func lastEventSeq() throws -> Int64 {
        try session.scalar("SELECT COALESCE(MAX(seq), 0) FROM events") ?? 0
    }

    func alertActive(category: String) throws -> Bool {
        try session.scalar("SELECT active FROM alerts WHERE category = ?", [category]) ?? false
    }

    func meta(_ key: String) throws -> String? {
        try session.scalar("SELECT value FROM meta WHERE key = ?", [key])
    }

    /// Kept by a trigger on every insert (tickets are never deleted): a `COUNT(*)` walked an
    /// index of every ticket ever issued, ≈ 10 ms per million, on every `daemon.status`.
    func ticketCount() throws -> Int {
        try session.scalar("SELECT value FROM counters WHERE name = 'tickets'") ?? 0
    }

    // MARK: certificates

    func certificate(serial: String) throws -> Certificate? {
        try session.fetchOne("SELECT * FROM certificates WHERE serial = ?", [serial]).flatMap(CertificateRow.decode)
    }

    func certificates(orderId: String) throws -> [Certificate] {
        try session.fetchAll("SELECT * FROM certificates WHERE order_id = ? ORDER BY day, sequence", [orderId])
            .compactMap(CertificateRow.decode)
    }

    func certificates(state: CertificateState?, day: HallDay?, limit: Int) throws -> [Certificate] {
        try session.fetchAll("""
            SELECT * FROM certificates WHERE (CAST(?1 AS TEXT) IS NULL OR state = ?1) AND (CAST(?2 AS TEXT) IS NULL OR day = ?2)
            ORDER BY day, sequence LIMIT ?3
            """, [state?.rawValue, day?.rawValue, limit]).compactMap(CertificateRow.decode)
    }

    func certificates(holderKey: String, states: Set<CertificateState>) throws -> [Certificate] {
        try session.fetchAll("SELECT * FROM certificates WHERE holder_key = ? ORDER BY day, sequence", [holderKey])
            .compactMap(CertificateRow.decode).filter { states.contains($0.state) }
    }

    func certificateHistory(serial: String) throws -> [CertificateStep] {
        try session.fetchAll("SELECT * FROM certificate_history WHERE serial = ? ORDER BY id", [serial]).map { row in
            CertificateStep(
                serial: row["serial"], at: Date(timeIntervalSince1970: row["at"]),
                state: CertificateState(rawValue: row["state"]) ?? .failed, actor: row["actor"], note: row["note"])
        }
    }

    func printAttempts(serial: String) throws -> [PrintAttempt] {
        try session.fetchAll("SELECT * FROM print_attempts WHERE serial = ? ORDER BY number", [serial]).map(PrintAttemptRow.decode)
    }

    func openPrintAttempts() throws -> [PrintAttempt] {
        try session.fetchAll("SELECT * FROM print_attempts WHERE state IN ('pending', 'submitted', 'held') ORDER BY id")
            .map(PrintAttemptRow.decode)
    }

    func auditEntries(after seq: Int64, limit: Int) throws -> [AuditRecord] {
        try session.fetchAll("SELECT * FROM audit WHERE seq > ? ORDER BY seq LIMIT ?", [seq, limit]).map(AuditRow.decode)
    }

    func lastAuditEntry() throws -> AuditRecord? {
        try session.fetchOne("SELECT * FROM audit ORDER BY seq DESC LIMIT 1").map(AuditRow.decode)
    }

    func lastAuditEntry(before atMilliseconds: Int64) throws -> AuditRecord? {
        try session.fetchOne("SELECT * FROM audit WHERE at_ms < ? ORDER BY seq DESC LIMIT 1", [atMilliseconds]).map(AuditRow.decode)
    }

    // MARK: writes

    func nextSequence(day: HallDay, category: String) throws -> Int {
        try counted(session.scalar(Self.nextSequence(day: day, category: category)), "day_counters")
    }

    func nextOrderKey() throws -> Int64 {
        try counted(session.scalar(Self.nextOrderKey), "counters")
    }

    func nextTicketNumbers(day: HallDay, category: String) throws -> (sequence: Int, orderKey: Int64) {
        let rows = try session.fetchAll(together: [Self.nextSequence(day: day, category: category), Self.nextOrderKey])
        return (try counted(rows[0].first?[0], "day_counters"), try counted(rows[1].first?[0], "counters"))
    }

    private static func nextSequence(day: HallDay, category: String) -> SQLStatement {
        SQLStatement("""
            INSERT INTO day_counters (day, category, issued) VALUES (?, ?, 1)
            ON CONFLICT (day, category) DO UPDATE SET issued = day_counters.issued + 1
            RETURNING issued
            """, [day.rawValue, category])
    }

    private static var nextOrderKey: SQLStatement {
        SQLStatement("""
            INSERT INTO counters (name, value) VALUES ('order_key', 1)
            ON CONFLICT (name) DO UPDATE SET value = counters.value + 1
            RETURNING value
            """)
    }

    func insert(_ ticket: Ticket) throws -> Ticket {
        var t = ticket
        var cols = TicketRow.columns(t)
        cols.removeAll { $0.0 == "id" }
        try moveInLanes(t, from: nil) { position in
            cols.append(("lane_position", position))
            t.id = try counted(session.scalar(
                "INSERT INTO tickets (\(names(cols))) VALUES (\(placeholders(cols.count))) RETURNING id", cols.map(\.1)), "tickets")
            return t.id
        }
        return t
    }

    func update(_ ticket: Ticket) throws {
        var cols = TicketRow.columns(ticket)
        cols.removeAll { $0.0 == "id" }
        try moveInLanes(ticket, from: try laneSeat(id: ticket.id)) { position in
            cols.append(("lane_position", position))
            try session.execute("UPDATE tickets SET \(assignments(cols)) WHERE id = ?", cols.map(\.1) + [ticket.id])
            return ticket.id
        }
    }

    func addServiceTime(day: HallDay, category: String, seconds: Double) throws {
        try session.execute("""
            INSERT INTO service_totals (day, category, seconds, cases) VALUES (?, ?, ?, 1)
            ON CONFLICT (day, category) DO UPDATE
                SET seconds = service_totals.seconds + excluded.seconds, cases = service_totals.cases + 1
            """, [day.rawValue, category, seconds])
    }

    func setLaneRun(day: HallDay, lane: String, run: Int) throws {
        try session.execute("""
            INSERT INTO lane_runs (day, lane, run) VALUES (?, ?, ?)
            ON CONFLICT (day, lane) DO UPDATE SET run = excluded.run
            """, [day.rawValue, lane, run])
    }

    func save(_ window: WindowState) throws {
        try session.execute("""
            INSERT INTO windows (id, status, staff, since) VALUES (?, ?, ?, ?)
            ON CONFLICT (id) DO UPDATE SET status = excluded.status, staff = excluded.staff, since = excluded.since
            """, [window.id, window.status.rawValue, window.staff, window.since?.timeIntervalSince1970])
    }

    func insert(_ e: Evaluation) throws {
        try session.execute("""
            INSERT INTO evaluations (ticket_id, day, number, category, "window", staff, score, case_number, comment, submitted_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [e.ticketId, e.day.rawValue, e.number, e.category, e.window, e.staff, e.score.rawValue,
                e.caseNumber, e.comment, e.submittedAt.timeIntervalSince1970])
    }

    func save(_ a: Appointment) throws {
        try session.execute("""
            INSERT INTO appointments (code, category, slot_start, slot_end, person_key, person_masked, ticket_id, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (code) DO UPDATE SET category = excluded.category, slot_start = excluded.slot_start,
                slot_end = excluded.slot_end, person_key = excluded.person_key,
                person_masked = excluded.person_masked, ticket_id = excluded.ticket_id
            """, [a.code, a.category, a.slotStart.timeIntervalSince1970, a.slotEnd.timeIntervalSince1970,
                a.personKey, a.personMasked, a.ticketId, a.createdAt.timeIntervalSince1970])
    }

    func appendEvent(topic: String, at: Date, json: String) throws -> StoredEvent {
        let seq = try session.appendEvent(topic: topic, at: at.timeIntervalSince1970, json: json)
        let event = StoredEvent(seq: seq, topic: topic, at: at, json: json)
        log?.events.append(event)
        return event
    }

    func setAlertActive(category: String, _ active: Bool) throws {
        try session.execute("""
            INSERT INTO alerts (category, active) VALUES (?, ?)
            ON CONFLICT (category) DO UPDATE SET active = excluded.active
            """, [category, active])
    }

    func setMeta(_ key: String, _ value: String) throws {
        try session.execute("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [key, value])
    }

    // MARK: certificate writes

    func nextCertificateSequence(day: HallDay) throws -> Int {
        try counted(session.scalar("""
            INSERT INTO counters (name, value) VALUES (?, 1)
            ON CONFLICT (name) DO UPDATE SET value = counters.value + 1
            RETURNING value
            """, ["certificate:" + day.rawValue]), "counters")
    }

    func insert(_ certificate: Certificate) throws {
        let cols = CertificateRow.columns(certificate)
        try session.execute("INSERT INTO certificates (\(names(cols))) VALUES (\(placeholders(cols.count)))", cols.map(\.1))
    }

    func update(_ certificate: Certificate) throws {
        var cols = CertificateRow.columns(certificate)
        cols.removeAll { $0.0 == "serial" }
        try session.execute("UPDATE certificates SET \(assignments(cols)) WHERE serial = ?",
            cols.map(\.1) + [certificate.serial.description])
    }

    func append(_ step: CertificateStep) throws {
        try session.execute("INSERT INTO certificate_history (serial, at, state, actor, note) VALUES (?, ?, ?, ?, ?)",
            [step.serial, step.at.timeIntervalSince1970, step.state.rawValue, step.actor, step.note])
    }

    func insert(_ attempt: PrintAttempt) throws -> PrintAttempt {
        var a = attempt
        a.id = try counted(session.scalar("""
            INSERT INTO print_attempts (serial, number, printer, job_name, job, state, reason, created_at, updated_at, terminal)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id
            """, [attempt.serial, attempt.number, attempt.printer, attempt.jobName, attempt.job,
                attempt.state.rawValue, attempt.reason, attempt.createdAt.timeIntervalSince1970,
                attempt.updatedAt.timeIntervalSince1970, attempt.terminal]), "print_attempts")
        return a
    }

    func update(_ attempt: PrintAttempt) throws {
        try session.execute("UPDATE print_attempts SET printer = ?, job = ?, state = ?, reason = ?, updated_at = ? WHERE id = ?",
            [attempt.printer, attempt.job, attempt.state.rawValue, attempt.reason, attempt.updatedAt.timeIntervalSince1970, attempt.id])
    }

    func append(_ entry: AuditRecord) throws {
        let last: Int64 = try session.scalar("SELECT COALESCE(MAX(seq), 0) FROM audit") ?? 0
        guard entry.seq == last + 1 else {
            throw StoreError("audit entry \(entry.seq) does not follow the chain's last entry \(last)")
        }
        try session.execute("""
            INSERT INTO audit (seq, at_ms, action, subject, actor, details, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, [entry.seq, entry.atMilliseconds, entry.action, entry.subject, entry.actor,
                entry.details, entry.prevHash, entry.hash])
    }

    // MARK: terminals

    func terminals() throws -> [TerminalRecord] {
        // Rows from before heard_at was kept fall back to the terminal's own clock.
        try session.fetchAll("""
            SELECT *, \(session.dialect.clock) - COALESCE(heard_at, seen_at) AS silent FROM terminals ORDER BY name
            """).map { row in
            TerminalRecord(name: row["name"], seenAt: Date(timeIntervalSince1970: row["seen_at"]),
                startedAt: Date(timeIntervalSince1970: row["started_at"]), version: row["version"], silentSeconds: row["silent"])
        }
    }

    func terminalDevices() throws -> [TerminalDeviceRecord] {
        try session.fetchAll("SELECT * FROM terminal_devices ORDER BY terminal, id").map { row in
            TerminalDeviceRecord(terminal: row["terminal"], id: row["id"], entry: row["entry"],
                updatedAt: Date(timeIntervalSince1970: row["updated_at"]))
        }
    }

    func save(_ t: TerminalRecord) throws {
        try session.execute("""
            INSERT INTO terminals (name, seen_at, started_at, version, heard_at) VALUES (?, ?, ?, ?, \(session.dialect.clock))
            ON CONFLICT (name) DO UPDATE SET seen_at = excluded.seen_at, started_at = excluded.started_at, version = excluded.version,
                heard_at = excluded.heard_at
            """, [t.name, t.seenAt.timeIntervalSince1970, t.startedAt.timeIntervalSince1970, t.version])
    }

    func save(_ d: TerminalDeviceRecord) throws {
        try session.execute("""
            INSERT INTO terminal_devices (terminal, id, entry, updated_at) VALUES (?, ?, ?, ?)
            ON CONFLICT (terminal, id) DO UPDATE SET entry = excluded.entry, updated_at = excluded.updated_at
            """, [d.terminal, d.id, d.entry, d.updatedAt.timeIntervalSince1970])
    }

    func removeDevices(terminal: String, keeping ids: [String]) throws {
        guard !ids.isEmpty else {
            return try session.execute("DELETE FROM terminal_devices WHERE terminal = ?", [terminal])
        }
        try session.execute("DELETE FROM terminal_devices WHERE terminal = ? AND id NOT IN (\(placeholders(ids.count)))",
            [terminal] + ids.map { $0 })
    }

    // MARK: leases

    func claimLease(_ name: String, holder: String, seconds: TimeInterval) throws -> Bool {
        let now = session.dialect.clock
        let got: String? = try session.scalar("""
            INSERT INTO leases (name, holder, expires_at) VALUES (?1, ?2, \(now) + CAST(?3 AS DOUBLE PRECISION))
            ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
                WHERE leases.holder = excluded.holder OR leases.expires_at < \(now)
            RETURNING holder
            """, [name, holder, seconds])
        return got == holder
    }

    // MARK: SQL text

    func placeholders(_ count: Int) -> String { Array(repeating: "?", count: count).joined(separator: ", ") }

    /// Column names, quoted (`window` is reserved in PostgreSQL).
    private func names(_ cols: [(String, (any DatabaseValueConvertible)?)]) -> String {
        cols.map { "\"\($0.0)\"" }.joined(separator: ", ")
    }

    private func assignments(_ cols: [(String, (any DatabaseValueConvertible)?)]) -> String {
        cols.map { "\"\($0.0)\" = ?" }.joined(separator: ", ")
    }

    /// A value an `INSERT … RETURNING` must give back.
    private func counted<V>(_ value: V?, _ table: String) throws -> V {
        guard let value else { throw StoreError("an insert into \(table) returned nothing") }
        return value
    }
}
