import Foundation
import GRDB
import KioskCore

/// Lane counts kept as rows, so `ahead` and the waiting counts cost the same whatever the queue
/// (counting the lane on every take grew with the people waiting: 3.8 ms at 6,300).
///
/// A lane (a category, or the tickets transferred to one window) has three groups: front
/// transfers, priority, normal. `lane_groups` holds each group's waiting count and how many have
/// entered it; a ticket entering gets the next `lane_position`. Every way into a group (issue,
/// requeue, transfer) takes a fresh, largest `orderKey`, so positions follow `orderKey` within a
/// group; tickets leave from anywhere, and each departure is counted at its position in a Fenwick
/// tree stored as rows (`lane_departures`, O(log n) rows read or written). Then the tickets of
/// the group before position p are `p − 1 − (departures before p)`, exact in any leaving order.
/// If a ticket ever entered out of order, or positions ran out, the group is renumbered from its
/// rows (`rebuild`), which is also how the migration fills these tables.
struct LaneGroup: Hashable {
    enum Kind: String, CaseIterable { case front, priority, normal }
    var day: String
    /// "category:A" or "window:3", like the lane keys of `lane_runs`.
    var lane: String
    var kind: Kind

    /// The group a ticket waits in; nil when it is not waiting.
    init?(waiting t: Ticket) {
        guard t.state == .waiting else { return nil }
        self.init(day: t.day.rawValue, lane: Self.lane(category: t.category, assignedWindow: t.assignedWindow),
            kind: t.front ? .front : (t.priority.isPriority ? .priority : .normal))
    }

    init(day: String, lane: String, kind: Kind) {
        self.day = day
        self.lane = lane
        self.kind = kind
    }

    static func lane(category: String, assignedWindow: String?) -> String {
        CallOrder.Lane(category: category, assignedWindow: assignedWindow).key
    }

    /// Positions are 1 ..< capacity (the tree's size); an empty group starts again at 1.
    static let capacity: Int64 = 1 << 20

    /// The (front, priority) values of the group's tickets: each pair is an equality prefix of
    /// the `tickets_waiting` index, so a group's head is found without sorting the group.
    var members: [(front: Bool, priority: Ticket.Priority)] {
        switch kind {
        case .front: Ticket.Priority.allCases.map { (true, $0) }
        case .priority: Ticket.Priority.allCases.filter(\.isPriority).map { (false, $0) }
        case .normal: [(false, .normal)]
        }
    }

    /// `WHERE` clause and arguments selecting the lane's waiting tickets.
    var laneCondition: (String, [(any DatabaseValueConvertible)?]) {
        if lane.hasPrefix("window:") {
            return ("day = ? AND state = 'waiting' AND assigned_window = ?", [day, String(lane.dropFirst("window:".count))])
        }
        return ("day = ? AND state = 'waiting' AND assigned_window IS NULL AND category = ?", [day, String(lane.dropFirst("category:".count))])
    }

    /// `WHERE` clause and arguments selecting the group's waiting tickets.
    var ticketsCondition: (String, [(any DatabaseValueConvertible)?]) {
        let (condition, args) = laneCondition
        let kindCondition = switch kind {
        case .front: "front = 1"
        case .priority: "front = 0 AND priority != 'normal'"
        case .normal: "front = 0 AND priority = 'normal'"
        }
        return ("\(condition) AND \(kindCondition)", args)
    }
}

/// Seats written or read in one transaction (by ticket id; nil: not waiting), so none is read
/// (again). Every ticket write passes `moveInLanes`, which keeps its seat here; a rebuild, which
/// renumbers others, forgets them all.
final class KnownSeats {
    var known: [Int64: LaneSeat?] = [:]
}

/// Where a stored ticket waits: its group, its position there, its `orderKey`.
struct LaneSeat {
    var group: LaneGroup
    var position: Int64?
    var orderKey: Int64
}

extension SQLAccess {
    /// Where a stored ticket waits now; nil when it is not waiting.
    func laneSeat(id: Int64) throws -> LaneSeat? {
        // Written or read in this transaction: known without reading the row (again) — a round
        // trip on PostgreSQL, e.g. a new ticket's lane counts right after its insert.
        if let known = seats.known[id] { return known }
        guard let row = try session.fetchOne("""
            SELECT day, category, state, priority, front, assigned_window, order_key, lane_position FROM tickets WHERE id = ?
            """, [id]), (row["state"] as String) == Ticket.State.waiting.rawValue
        else {
            seats.known.updateValue(nil, forKey: id)
            return nil
        }
        let front: Bool = row["front"]
        let kind: LaneGroup.Kind = front ? .front : ((row["priority"] as String) == "normal" ? .normal : .priority)
        let group = LaneGroup(day: row["day"], lane: LaneGroup.lane(category: row["category"], assignedWindow: row["assigned_window"]),
            kind: kind)
        let seat = LaneSeat(group: group, position: row["lane_position"], orderKey: row["order_key"])
        seats.known[id] = seat
        return seat
    }

    /// Keeps the lane rows true across one ticket's write: `old` is where it waited before
    /// (nil for a new ticket), `write` stores the row with the position it is given and returns
    /// the ticket's id. The seat it ends in is remembered for the rest of the transaction.
    func moveInLanes(_ t: Ticket, from old: LaneSeat?, write: (Int64?) throws -> Int64) throws {
        let new = LaneGroup(waiting: t)
        if let old, old.group == new, old.orderKey == t.orderKey, old.position != nil {
            let id = try write(old.position)
            seats.known.updateValue(old, forKey: id)
            return
        }
        var rebuild: [LaneGroup] = []
        if let old {
            let counted = try old.position.map { try leave(old.group, position: $0) } ?? false
            if !counted { rebuild.append(old.group) }
        }
        var position: Int64?
        if let new {
            position = try enter(new, orderKey: t.orderKey)
            if position == nil { rebuild.append(new) }
        }
        let id = try write(position)
        for group in rebuild { try self.rebuild(group) }
        // After a rebuild positions changed: read them from the rows again.
        // (`updateValue`: a ticket that no longer waits is remembered as nil, not forgotten.)
        if rebuild.isEmpty { seats.known.updateValue(new.map { LaneSeat(group: $0, position: position, orderKey: t.orderKey) }, forKey: id) }
    }

    /// The next position of `group`, or nil when the ticket cannot simply go last (its key is not
    /// the group's largest, or positions ran out): the caller rebuilds the group after writing.
    private func enter(_ group: LaneGroup, orderKey: Int64) throws -> Int64? {
        try session.scalar("""
            INSERT INTO lane_groups (day, lane, kind, waiting, entered, last_order_key) VALUES (?, ?, ?, 1, 1, ?)
            ON CONFLICT (day, lane, kind) DO UPDATE
                SET waiting = lane_groups.waiting + 1, entered = lane_groups.entered + 1, last_order_key = excluded.last_order_key
                WHERE excluded.last_order_key > lane_groups.last_order_key AND lane_groups.entered + 1 < ?
            RETURNING entered
            """, [group.day, group.lane, group.kind.rawValue, orderKey, LaneGroup.capacity])
    }

    /// Counts a departure; false when the group has no row (the caller rebuilds it after writing).
    private func leave(_ group: LaneGroup, position: Int64) throws -> Bool {
        guard let row = try session.fetchOne("""
            UPDATE lane_groups SET waiting = waiting - 1 WHERE day = ? AND lane = ? AND kind = ? RETURNING id, waiting
            """, [group.day, group.lane, group.kind.rawValue])
        else { return false }
        let id: Int64 = row["id"], waiting: Int = row["waiting"]
        if waiting == 0 {
            // Empty: forget its departures and number from 1 again, so the tree stays small.
            try session.execute("DELETE FROM lane_departures WHERE lane_group = ?", [id])
            try session.execute("UPDATE lane_groups SET entered = 0 WHERE id = ?", [id])
            return true
        }
        // Fenwick update: every node whose range covers `position`.
        // The casts give PostgreSQL the parameters' types, which it cannot infer here.
        try session.execute("""
            WITH RECURSIVE path(i) AS (
                SELECT CAST(?1 AS BIGINT) UNION ALL SELECT i + (i & -i) FROM path WHERE i + (i & -i) < CAST(?2 AS BIGINT))
            INSERT INTO lane_departures (lane_group, node, departed) SELECT CAST(?3 AS BIGINT), i, 1 FROM path WHERE true
            ON CONFLICT (lane_group, node) DO UPDATE SET departed = lane_departures.departed + 1
            """, [position, LaneGroup.capacity, id])
        return true
    }

    /// Departures at positions 1 ... `position` (a Fenwick prefix sum).
    private func departures(_ group: LaneGroup, through position: Int64) throws -> Int {
        try session.scalar(ViewReads.departures(group, through: position)) ?? 0
    }

    /// Numbers the group's waiting tickets 1, 2, … in `orderKey` order and forgets its departures.
    func rebuild(_ group: LaneGroup) throws {
        seats.known.removeAll()
        let (condition, args) = group.ticketsCondition
        let members = try session.fetchAll("SELECT id, order_key FROM tickets WHERE \(condition) ORDER BY order_key", args)
        guard members.count < LaneGroup.capacity else {
            throw StoreError("more than \(LaneGroup.capacity - 1) tickets wait in \(group.lane) on \(group.day)")
        }
        for (index, row) in members.enumerated() {
            try session.execute("UPDATE tickets SET lane_position = ? WHERE id = ?", [index + 1, row["id"] as Int64])
        }
        let id: Int64? = try session.scalar("""
            INSERT INTO lane_groups (day, lane, kind, waiting, entered, last_order_key) VALUES (?1, ?2, ?3, ?4, ?4, ?5)
            ON CONFLICT (day, lane, kind) DO UPDATE SET waiting = ?4, entered = ?4, last_order_key = ?5
            RETURNING id
            """, [group.day, group.lane, group.kind.rawValue, members.count,
                members.last.map { $0["order_key"] as Int64 } ?? 0])
        guard let id else { throw StoreError("the lane group \(group.lane) of \(group.day) could not be stored") }
        try session.execute("DELETE FROM lane_departures WHERE lane_group = ?", [id])
    }

    /// Every group with someone waiting, renumbered from the rows (the migration's backfill).
    func rebuildAllLaneGroups() throws {
        let rows = try session.fetchAll("""
            SELECT DISTINCT day, category, assigned_window, front, priority = 'normal' AS normal FROM tickets WHERE state = 'waiting'
            """)
        var groups = Set<LaneGroup>()
        for row in rows {
            let front: Bool = row["front"], normal: Bool = row["normal"]
            groups.insert(LaneGroup(day: row["day"], lane: LaneGroup.lane(category: row["category"], assignedWindow: row["assigned_window"]),
                kind: front ? .front : (normal ? .normal : .priority)))
        }
        for group in groups { try rebuild(group) }
    }

    /// The group's first ticket in `orderKey` order: the first of each (front, priority) part,
    /// each read from the index in order, then the smallest.
    func head(of group: LaneGroup) throws -> Ticket? {
        let (lane, laneArgs) = group.laneCondition
        let part = { (n: Int) in
            "SELECT * FROM (SELECT * FROM tickets WHERE \(lane) AND front = ? AND priority = ? ORDER BY order_key LIMIT 1) AS part\(n)"
        }
        let members = group.members
        var args: [(any DatabaseValueConvertible)?] = []
        for m in members {
            args += laneArgs
            args.append(m.front)
            args.append(m.priority.rawValue)
        }
        return try session.fetchOne(
            members.indices.map(part).joined(separator: " UNION ALL ") + " ORDER BY order_key LIMIT 1", args
        ).map(TicketRow.decode)
    }

    /// Waiting counts of a lane's groups.
    func laneGroupCounts(day: String, lane: String) throws -> [LaneGroup.Kind: Int] {
        var out: [LaneGroup.Kind: Int] = [:]
        for row in try session.fetchAll(ViewReads.laneGroupCounts(day: day, lane: lane)) {
            if let kind = LaneGroup.Kind(rawValue: row["kind"]) { out[kind] = row["waiting"] as Int }
        }
        return out
    }

    /// Waiting tickets of the group before `position`: those that entered before it, less those
    /// of them that left.
    func waitingBefore(position: Int64, in group: LaneGroup) throws -> Int {
        Int(position - 1) - (try departures(group, through: position - 1))
    }
}
