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
        assignedWindow.map { "window:\($0)" } ?? "category:\(category)"
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
    var laneCondition: (String, [any DatabaseValueConvertible]) {
        if lane.hasPrefix("window:") {
            return ("day = ? AND state = 'waiting' AND assigned_window = ?", [day, String(lane.dropFirst("window:".count))])
        }
        return ("day = ? AND state = 'waiting' AND assigned_window IS NULL AND category = ?", [day, String(lane.dropFirst("category:".count))])
    }

    /// `WHERE` clause and arguments selecting the group's waiting tickets.
    var ticketsCondition: (String, [any DatabaseValueConvertible]) {
        let (condition, args) = laneCondition
        let kindCondition = switch kind {
        case .front: "front = 1"
        case .priority: "front = 0 AND priority != 'normal'"
        case .normal: "front = 0 AND priority = 'normal'"
        }
        return ("\(condition) AND \(kindCondition)", args)
    }
}

/// Where a stored ticket waits: its group, its position there, its `orderKey`.
struct LaneSeat {
    var group: LaneGroup
    var position: Int64?
    var orderKey: Int64
}

extension SQLiteAccess {
    /// Where a stored ticket waits now; nil when it is not waiting.
    func laneSeat(id: Int64) throws -> LaneSeat? {
        guard let row = try Row.fetchOne(try statement("""
            SELECT day, category, state, priority, front, assigned_window, order_key, lane_position FROM tickets WHERE id = ?
            """), arguments: [id]), (row["state"] as String) == Ticket.State.waiting.rawValue
        else { return nil }
        let front: Bool = row["front"]
        let kind: LaneGroup.Kind = front ? .front : ((row["priority"] as String) == "normal" ? .normal : .priority)
        let group = LaneGroup(day: row["day"], lane: LaneGroup.lane(category: row["category"], assignedWindow: row["assigned_window"]),
            kind: kind)
        return LaneSeat(group: group, position: row["lane_position"], orderKey: row["order_key"])
    }

    /// Keeps the lane rows true across one ticket's write: `old` is where it waited before
    /// (nil for a new ticket), `write` stores the row with the position it is given.
    func moveInLanes(_ t: Ticket, from old: LaneSeat?, write: (Int64?) throws -> Void) throws {
        let new = LaneGroup(waiting: t)
        if let old, old.group == new, old.orderKey == t.orderKey, old.position != nil {
            return try write(old.position)
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
        try write(position)
        for group in rebuild { try self.rebuild(group) }
    }

    /// The next position of `group`, or nil when the ticket cannot simply go last (its key is not
    /// the group's largest, or positions ran out): the caller rebuilds the group after writing.
    private func enter(_ group: LaneGroup, orderKey: Int64) throws -> Int64? {
        try Int64.fetchOne(try statement("""
            INSERT INTO lane_groups (day, lane, kind, waiting, entered, last_order_key) VALUES (?, ?, ?, 1, 1, ?)
            ON CONFLICT (day, lane, kind) DO UPDATE
                SET waiting = waiting + 1, entered = entered + 1, last_order_key = excluded.last_order_key
                WHERE excluded.last_order_key > last_order_key AND entered + 1 < ?
            RETURNING entered
            """), arguments: [group.day, group.lane, group.kind.rawValue, orderKey, LaneGroup.capacity])
    }

    /// Counts a departure; false when the group has no row (the caller rebuilds it after writing).
    private func leave(_ group: LaneGroup, position: Int64) throws -> Bool {
        guard let row = try Row.fetchOne(try statement("""
            UPDATE lane_groups SET waiting = waiting - 1 WHERE day = ? AND lane = ? AND kind = ? RETURNING id, waiting
            """), arguments: [group.day, group.lane, group.kind.rawValue])
        else { return false }
        let id: Int64 = row["id"], waiting: Int = row["waiting"]
        if waiting == 0 {
            // Empty: forget its departures and number from 1 again, so the tree stays small.
            try statement("DELETE FROM lane_departures WHERE lane_group = ?").execute(arguments: [id])
            try statement("UPDATE lane_groups SET entered = 0 WHERE id = ?").execute(arguments: [id])
            return true
        }
        // Fenwick update: every node whose range covers `position`.
        try statement("""
            WITH RECURSIVE path(i) AS (SELECT ?1 UNION ALL SELECT i + (i & -i) FROM path WHERE i + (i & -i) < ?2)
            INSERT INTO lane_departures (lane_group, node, departed) SELECT ?3, i, 1 FROM path WHERE true
            ON CONFLICT (lane_group, node) DO UPDATE SET departed = departed + 1
            """).execute(arguments: [position, LaneGroup.capacity, id])
        return true
    }

    /// Departures at positions 1 ... `position` (a Fenwick prefix sum).
    private func departures(group id: Int64, through position: Int64) throws -> Int {
        try Int.fetchOne(try statement("""
            WITH RECURSIVE path(i) AS (SELECT ?1 WHERE ?1 > 0 UNION ALL SELECT i - (i & -i) FROM path WHERE i - (i & -i) > 0)
            SELECT COALESCE(SUM(departed), 0) FROM path JOIN lane_departures ON lane_group = ?2 AND node = i
            """), arguments: [position, id]) ?? 0
    }

    /// Numbers the group's waiting tickets 1, 2, … in `orderKey` order and forgets its departures.
    func rebuild(_ group: LaneGroup) throws {
        let (condition, args) = group.ticketsCondition
        let members = try Row.fetchAll(try statement("SELECT id, order_key FROM tickets WHERE \(condition) ORDER BY order_key"),
            arguments: StatementArguments(args))
        guard members.count < LaneGroup.capacity else {
            throw StoreError("more than \(LaneGroup.capacity - 1) tickets wait in \(group.lane) on \(group.day)")
        }
        for (index, row) in members.enumerated() {
            try statement("UPDATE tickets SET lane_position = ? WHERE id = ?").execute(arguments: [index + 1, row["id"] as Int64])
        }
        let id = try Int64.fetchOne(try statement("""
            INSERT INTO lane_groups (day, lane, kind, waiting, entered, last_order_key) VALUES (?1, ?2, ?3, ?4, ?4, ?5)
            ON CONFLICT (day, lane, kind) DO UPDATE SET waiting = ?4, entered = ?4, last_order_key = ?5
            RETURNING id
            """), arguments: [group.day, group.lane, group.kind.rawValue, members.count,
                members.last.map { $0["order_key"] as Int64 } ?? 0])!
        try statement("DELETE FROM lane_departures WHERE lane_group = ?").execute(arguments: [id])
    }

    /// Every group with someone waiting, renumbered from the rows (the migration's backfill).
    func rebuildAllLaneGroups() throws {
        let rows = try Row.fetchAll(db, sql: """
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
        let part = "SELECT * FROM (SELECT * FROM tickets WHERE \(lane) AND front = ? AND priority = ? ORDER BY order_key LIMIT 1)"
        let members = group.members
        var args: [any DatabaseValueConvertible] = []
        for m in members {
            args += laneArgs
            args.append(m.front)
            args.append(m.priority.rawValue)
        }
        return try Row.fetchOne(try statement(
            Array(repeating: part, count: members.count).joined(separator: " UNION ALL ") + " ORDER BY order_key LIMIT 1"
        ), arguments: StatementArguments(args)).map(TicketRow.decode)
    }

    /// Waiting counts of a lane's groups, with each group's row id.
    func laneGroupCounts(day: String, lane: String) throws -> [LaneGroup.Kind: (id: Int64, waiting: Int)] {
        var out: [LaneGroup.Kind: (id: Int64, waiting: Int)] = [:]
        for row in try Row.fetchAll(try statement("SELECT id, kind, waiting FROM lane_groups WHERE day = ? AND lane = ?"),
            arguments: [day, lane]) {
            if let kind = LaneGroup.Kind(rawValue: row["kind"]) { out[kind] = (id: row["id"] as Int64, waiting: row["waiting"] as Int) }
        }
        return out
    }

    /// Waiting tickets of the group before `position`: those that entered before it, less those
    /// of them that left.
    func waitingBefore(position: Int64, inGroup id: Int64) throws -> Int {
        Int(position - 1) - (try departures(group: id, through: position - 1))
    }
}
