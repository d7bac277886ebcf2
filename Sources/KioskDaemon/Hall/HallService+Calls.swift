import Foundation
import KioskCore
import KioskProtocol
import KioskStore

/// 叫号: what a window does with tickets — call, recall, start, finish, no-show, transfer — and
/// requeue/cancel. Each is one transaction; an illegal step throws before anything is written.
extension HallService {
    /// `queue.call`: the next ticket for the window by the call order, or the given waiting
    /// ticket out of order; nil when nobody waits. The store's single writer guarantees two
    /// windows never get the same ticket.
    public func call(window id: String, ticket requested: Int64?) async throws -> TicketView? {
        let config = self.config, now = clock.now(), day = today
        let window = try self.window(id, in: config)
        return try await store.write { w in
            guard let state = try w.windowStates()[window.id] else {
                throw KioskError(.closed, "window \(window.id) is closed: open it before calling", details: ["state": "closed"])
            }
            try state.checkCanCall()
            if let current = try w.currentTickets(window: window.id).first {
                throw KioskError(.invalidState,
                    "window \(window.id) still has \(current.number) (\(current.state.rawValue)): finish it or mark it no-show first",
                    details: ["state": current.state.rawValue, "ticket": String(current.id)])
            }
            var ticket: Ticket
            if let requested {
                ticket = try Self.ticket(requested, in: w)
                guard ticket.day == day else {
                    throw KioskError(.invalidState, "\(ticket.number) belongs to \(ticket.day), not today", details: ["state": ticket.state.rawValue])
                }
                let reachable = ticket.assignedWindow == window.id
                    || (ticket.assignedWindow == nil && window.serves.contains(ticket.category))
                if ticket.state == .waiting && !reachable {
                    throw KioskError(.invalidState, "window \(window.id) does not serve \(ticket.number)'s queue",
                        details: ["state": ticket.state.rawValue])
                }
            } else {
                let waiting = try w.laneHeads(day: day, categories: window.serves, window: window.id)
                var runs: [CallOrder.Lane: Int] = [:]
                for lane in Set(waiting.map(CallOrder.lane(of:))) {
                    runs[lane] = try w.laneRun(day: day, lane: lane.key)
                }
                guard let (pick, lane) = CallOrder.next(for: window, waiting: waiting, runs: runs, burst: config.queue.priorityBurst)
                else { return nil }
                ticket = pick.ticket
                try w.setLaneRun(day: day, lane: lane.key, run: pick.priorityRun)
            }
            try ticket.call(window: window.id, staff: state.staff, at: now)
            try w.update(ticket)
            let view = TicketMapper.view(ticket, config: config)
            try Self.emit(w, EventTopic.ticketCalled,
                TicketEvent(ticket: view, window: window.id, windowName: window.name), at: now)
            return view
        }
    }

    public enum WindowStep: Sendable { case recall, start, finish, noShow }

    /// `queue.recall` / `queue.start` / `queue.finish` / `queue.noShow` on the window's ticket.
    public func step(_ step: WindowStep, window id: String, ticket requested: Int64?) async throws -> TicketView {
        let config = self.config, now = clock.now()
        let window = try self.window(id, in: config)
        return try await store.write { w in
            var ticket = try Self.ticketAt(window.id, requested: requested, in: w)
            let topic: String
            switch step {
            case .recall:
                try ticket.recall(maxRecalls: config.queue.maxRecalls)
                topic = EventTopic.ticketRecalled
            case .start:
                try ticket.start(at: now)
                topic = EventTopic.ticketStarted
            case .finish:
                try ticket.finish(at: now)
                if let started = ticket.startedAt {
                    try w.addServiceTime(day: ticket.day, category: ticket.category, seconds: now.timeIntervalSince(started))
                }
                topic = EventTopic.ticketFinished
            case .noShow:
                try ticket.markNoShow(at: now)
                topic = EventTopic.ticketNoShow
            }
            try w.update(ticket)
            let view = TicketMapper.view(ticket, config: config)
            try Self.emit(w, topic, TicketEvent(ticket: view, window: window.id, windowName: window.name), at: now)
            return view
        }
    }

    /// `queue.requeue`: a no-show goes back to the end of its queue, keeping its number.
    public func requeue(ticket id: Int64) async throws -> TicketView {
        let config = self.config, now = clock.now(), day = today
        return try await store.write { w in
            var ticket = try Self.ticket(id, in: w)
            guard ticket.day == day else {
                throw KioskError(.invalidState, "\(ticket.number) belongs to \(ticket.day); only today's tickets are requeued",
                    details: ["state": ticket.state.rawValue])
            }
            try ticket.requeue(limit: config.queue.requeueLimit, orderKey: w.nextOrderKey())
            try w.update(ticket)
            let view = try QueueLens(config: config, reader: w, day: day).view(ticket)
            try Self.emit(w, EventTopic.ticketRequeued, TicketEvent(ticket: view), at: now)
            return view
        }
    }

    /// `queue.cancel`: a waiting or called ticket is withdrawn.
    public func cancel(ticket id: Int64, reason: String?) async throws -> TicketView {
        let config = self.config, now = clock.now()
        return try await store.write { w in
            var ticket = try Self.ticket(id, in: w)
            try ticket.cancel(reason: reason ?? "cancelled")
            try w.update(ticket)
            let view = TicketMapper.view(ticket, config: config)
            try Self.emit(w, EventTopic.ticketCancelled, TicketEvent(ticket: view), at: now)
            return view
        }
    }

    /// `queue.transfer`: the window's ticket goes to another category or window, at the front
    /// or the back of that queue, keeping its number. `TransferRules` says which targets are
    /// refused and which are accepted with `warnings` in the result.
    public func transfer(_ p: TransferParams) async throws -> TicketView {
        let config = self.config, now = clock.now(), day = today, minute = config.calendar.minuteOfDay(now)
        let window = try self.window(p.window, in: config)
        guard (p.toCategory == nil) != (p.toWindow == nil) else {
            throw KioskError.invalidParams("give exactly one of toCategory and toWindow")
        }
        let toCategory = try p.toCategory.map { try category($0, in: config) }
        let toWindow = try p.toWindow.map { try self.window($0, in: config) }
        let front: Bool
        switch p.position {
        case nil, "back": front = false
        case "front": front = true
        case let other?: throw KioskError.invalidParams("position must be \"front\" or \"back\", got \"\(other)\"")
        }
        return try await store.write { w in
            var ticket = try Self.ticketAt(window.id, requested: p.ticket, in: w)
            let states = try w.windowStates()
            var warnings: [String] = []
            if let toWindow {
                warnings = try TransferRules.checkTarget(toWindow, state: states[toWindow.id])
            } else if let toCategory {
                guard toCategory.id != ticket.category else {
                    throw KioskError.invalidParams(
                        "\(ticket.number) is already in category \(toCategory.id): transfer it to another category or to a window")
                }
                warnings = try TransferRules.checkTarget(toCategory, windows: config.windows, states: states, minuteOfDay: minute)
            }
            let from = TransferEnd(window: window.id, category: ticket.category)
            try ticket.transfer(toCategory: p.toCategory, toWindow: p.toWindow, front: front, orderKey: w.nextOrderKey())
            try w.update(ticket)
            var view = try QueueLens(config: config, reader: w, day: day).view(ticket)
            try Self.emit(w, EventTopic.ticketTransferred,
                TicketEvent(ticket: view, from: from, to: TransferEnd(window: p.toWindow, category: ticket.category)), at: now)
            view.warnings = warnings.isEmpty ? nil : warnings
            return view
        }
    }

    /// The ticket called or in service at a window (and, if given, it must be that one).
    static func ticketAt(_ window: String, requested: Int64?, in r: any StoreReader) throws -> Ticket {
        let current = try r.currentTickets(window: window)
        if let requested {
            if let t = current.first(where: { $0.id == requested }) { return t }
            let t = try ticket(requested, in: r)
            throw KioskError(.invalidState, "\(t.number) is not at window \(window) (it is \(t.state.rawValue))",
                details: ["state": t.state.rawValue])
        }
        guard let t = current.first else {
            throw KioskError(.invalidState, "window \(window) has no ticket called or in service", details: ["state": "idle"])
        }
        return t
    }
}
