/// Who is called next (叫号顺序). Pure: given the waiting tickets, it decides; storage applies.
///
/// A window looks at lanes in turn and calls from the first that has anyone:
/// 1. tickets transferred to this window,
/// 2. each category it serves, in its `serves` order (precedence).
/// Within a lane: tickets transferred "to the front" first, then priority tickets (green channel,
/// appointments) — but never more than `priority_burst` of them in a row while a normal ticket
/// waits — then normal tickets, each group in `orderKey` (issue) order.
public enum CallOrder {
    /// The run of priority calls made in a lane while normal tickets waited; reset by a normal call.
    public struct Pick: Sendable, Equatable {
        public var ticket: Ticket
        /// The lane's priority run after this call.
        public var priorityRun: Int
    }

    /// Picks the next ticket of one lane. `priorityRun` is the lane's current run.
    public static func next(in lane: [Ticket], priorityRun: Int, burst: Int) -> Pick? {
        var fronts: Ticket?, priority: Ticket?, normal: Ticket?
        for t in lane where t.state == .waiting {
            if t.front {
                if fronts.map({ t.orderKey < $0.orderKey }) ?? true { fronts = t }
            } else if t.priority.isPriority {
                if priority.map({ t.orderKey < $0.orderKey }) ?? true { priority = t }
            } else if normal.map({ t.orderKey < $0.orderKey }) ?? true {
                normal = t
            }
        }
        if let fronts { return Pick(ticket: fronts, priorityRun: priorityRun) }
        switch (priority, normal) {
        case (nil, nil): return nil
        case (let p?, nil): return Pick(ticket: p, priorityRun: priorityRun)
        case (nil, let n?): return Pick(ticket: n, priorityRun: 0)
        case (let p?, let n?):
            return priorityRun < burst
                ? Pick(ticket: p, priorityRun: priorityRun + 1) : Pick(ticket: n, priorityRun: 0)
        }
    }

    /// The full order in which a lane's waiting tickets would be called from now on, if nobody
    /// new arrived: the basis of `ahead`.
    public static func order(of lane: [Ticket], priorityRun: Int, burst: Int) -> [Ticket] {
        let waiting = lane.filter { $0.state == .waiting }
        var fronts = waiting.filter(\.front).sorted { $0.orderKey < $1.orderKey }
        let rest = waiting.filter { !$0.front }
        let priority = rest.filter { $0.priority.isPriority }.sorted { $0.orderKey < $1.orderKey }
        let normal = rest.filter { !$0.priority.isPriority }.sorted { $0.orderKey < $1.orderKey }
        var p = priority[...], n = normal[...], run = priorityRun
        while !p.isEmpty || !n.isEmpty {
            if let first = p.first, n.isEmpty || run < burst {
                fronts.append(first)
                p = p.dropFirst()
                if !n.isEmpty { run += 1 }
            } else {
                fronts.append(n.first!)
                n = n.dropFirst()
                run = 0
            }
        }
        return fronts
    }

    /// Which lane a waiting ticket belongs to: its assigned window, or its category.
    public enum Lane: Hashable, Sendable {
        case window(String)
        case category(String)

        /// A ticket's lane: its window's when it was sent to one, else its category's.
        public init(category: String, assignedWindow: String?) {
            self = assignedWindow.map(Lane.window) ?? .category(category)
        }

        /// The lane's name in the store (lane counts, priority runs).
        public var key: String {
            switch self {
            case .window(let w): "window:\(w)"
            case .category(let c): "category:\(c)"
            }
        }
    }

    public static func lane(of ticket: Ticket) -> Lane {
        Lane(category: ticket.category, assignedWindow: ticket.assignedWindow)
    }

    /// The next ticket for `window`, looking through its lanes in order. `runs` holds each
    /// lane's current priority run (missing = 0).
    public static func next(
        for window: Window, waiting: [Ticket], runs: [Lane: Int], burst: Int
    ) -> (pick: Pick, lane: Lane)? {
        var byLane: [Lane: [Ticket]] = [:]
        for t in waiting where t.state == .waiting { byLane[lane(of: t), default: []].append(t) }
        let lanes = [Lane.window(window.id)] + window.serves.map(Lane.category)
        for lane in lanes {
            guard let tickets = byLane[lane],
                let pick = next(in: tickets, priorityRun: runs[lane] ?? 0, burst: burst)
            else { continue }
            return (pick, lane)
        }
        return nil
    }

    /// A lane seen from one waiting ticket: how many of each group wait, and how many of its own
    /// group are before it. Enough to place it without loading the lane.
    public struct LaneCounts: Sendable, Equatable {
        public var fronts = 0
        public var priorities = 0
        public var normals = 0
        /// Tickets of the ticket's own group with a smaller `orderKey`.
        public var beforeInGroup = 0
        public init(fronts: Int = 0, priorities: Int = 0, normals: Int = 0, beforeInGroup: Int = 0) {
            self.fronts = fronts
            self.priorities = priorities
            self.normals = normals
            self.beforeInGroup = beforeInGroup
        }
    }

    /// How many will be called before a waiting ticket: the same answer as its index in
    /// `order(of:)`, computed from counts. Priority tickets come in groups: `burst − run` before
    /// the first normal ticket, then `burst` after each normal one.
    public static func ahead(of ticket: Ticket, counts c: LaneCounts, priorityRun: Int, burst: Int) -> Int {
        if ticket.front { return c.beforeInGroup }
        let firstGroup = max(0, burst - priorityRun)
        if ticket.priority.isPriority {
            let j = c.beforeInGroup
            let normalsBefore: Int
            if j < firstGroup { normalsBefore = 0 }
            else if burst <= 0 { normalsBefore = c.normals }
            else { normalsBefore = min(c.normals, 1 + (j - firstGroup) / burst) }
            return c.fronts + j + normalsBefore
        }
        let k = c.beforeInGroup
        return c.fronts + k + min(c.priorities, firstGroup + max(0, burst) * k)
    }
}

