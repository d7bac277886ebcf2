import Foundation

/// The ticket state machine. Each step checks that it is legal from the current state and
/// throws `invalid_state` (leaving the ticket untouched) when it is not.
///
///     waiting ──call──▶ called ──start──▶ serving ──finish──▶ done
///        ▲  │            │  ▲ recall                │
///        │  └─cancel─┐   │  └──────┘                │
///        │           ▼   ├─noShow──▶ no_show ──requeue──▶ waiting
///        │      cancelled◀┘cancel
///        └──────────── transfer ◀────────────────────┘ (from called or serving)
extension Ticket {
    public mutating func call(window: String, staff: String?, at now: Date) throws {
        try expect([.waiting], to: "call")
        state = .called
        self.window = window
        self.staff = staff
        calledAt = now
        if firstCalledAt == nil { firstCalledAt = now }
        front = false
        assignedWindow = nil
    }

    public mutating func recall(maxRecalls: Int) throws {
        try expect([.called], to: "recall")
        guard recalls < maxRecalls else {
            throw KioskError(
                .invalidState, "\(number) has been recalled \(recalls) times, the limit (max_recalls)",
                details: ["state": state.rawValue, "recalls": String(recalls)])
        }
        recalls += 1
    }

    public mutating func start(at now: Date) throws {
        try expect([.called], to: "start")
        state = .serving
        startedAt = now
    }

    public mutating func finish(at now: Date) throws {
        try expect([.serving], to: "finish")
        state = .done
        finishedAt = now
    }

    public mutating func markNoShow(at now: Date) throws {
        try expect([.called], to: "mark as no-show")
        state = .noShow
        finishedAt = now
    }

    /// Puts a no-show back at the end of its queue, keeping its number (过号重排).
    public mutating func requeue(limit: Int, orderKey: Int64) throws {
        try expect([.noShow], to: "requeue")
        guard requeues < limit else {
            throw KioskError(
                .invalidState, "\(number) has been requeued \(requeues) times, the limit (requeue_limit)",
                details: ["state": state.rawValue, "requeues": String(requeues)])
        }
        requeues += 1
        state = .waiting
        self.orderKey = orderKey
        front = false
        window = nil
        staff = nil
        calledAt = nil
        finishedAt = nil
        recalls = 0
    }

    public mutating func cancel(reason: String) throws {
        try expect([.waiting, .called], to: "cancel")
        state = .cancelled
        cancelReason = reason
    }

    /// Hands the ticket on from the window that holds it to another category or window.
    public mutating func transfer(
        toCategory: String?, toWindow: String?, front: Bool, orderKey: Int64
    ) throws {
        try expect([.called, .serving], to: "transfer")
        if let toCategory { category = toCategory }
        assignedWindow = toWindow
        state = .waiting
        self.front = front
        self.orderKey = orderKey
        window = nil
        staff = nil
        calledAt = nil
        startedAt = nil
        recalls = 0
        transfers += 1
    }

    private func expect(_ allowed: Set<State>, to action: String) throws {
        guard allowed.contains(state) else {
            throw KioskError(
                .invalidState, "cannot \(action) \(number): it is \(state.rawValue)",
                details: ["state": state.rawValue])
        }
    }
}
