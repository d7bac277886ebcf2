import Foundation
import KioskCore
import KioskProtocol
import KioskStore

/// 窗口: opening, pausing and closing windows (tidal windows are opened and closed as queues grow).
extension HallService {
    public struct WindowView: Codable, Sendable {
        public var id: String
        public var name: String
        public var serves: [String]
        public var prereview: Bool
        public var status: String
        public var staff: String?
        public var since: String?
        public var current: TicketView?
        public var waiting: Int
    }

    public func windows() async throws -> [WindowView] {
        let config = self.config, day = today
        return try await store.read { r in
            let states = try r.windowStates()
            return try config.windows.map { win in
                let s = states[win.id] ?? WindowState(id: win.id)
                return WindowView(
                    id: win.id, name: win.name, serves: win.serves, prereview: win.prereview, status: s.status.rawValue,
                    staff: s.staff, since: s.since.map { ISO8601.string($0, timeZone: config.daemon.timeZone) },
                    current: try r.currentTickets(window: win.id).first.map { TicketMapper.view($0, config: config) },
                    waiting: try win.serves.reduce(0) { $0 + (try r.waitingSummary(day: day, category: $1).count) }
                        + (try r.waitingTickets(day: day, categories: [], window: win.id).count))
            }
        }
    }

    public enum WindowAction: Sendable { case open(staff: String), pause, close }

    public func setWindow(_ id: String, _ action: WindowAction) async throws -> WindowView {
        let config = self.config, now = clock.now()
        let window = try self.window(id, in: config)
        try await store.write { w in
            var state = try w.windowStates()[window.id] ?? WindowState(id: window.id)
            let topic: String
            switch action {
            case .open(let staff):
                if state.status == .open {
                    if state.staff == staff { return }  // already open for this person: nothing to do
                    throw KioskError(.invalidState, "window \(window.id) is open for \(state.staff ?? "someone else"); close it first",
                        details: ["state": "open"])
                }
                state.status = .open
                state.staff = staff
                topic = EventTopic.windowOpened
            case .pause:
                guard state.status == .open else {
                    throw KioskError(.invalidState, "window \(window.id) is \(state.status.rawValue); only an open window pauses",
                        details: ["state": state.status.rawValue])
                }
                state.status = .paused
                topic = EventTopic.windowPaused
            case .close:
                if state.status == .closed { return }
                if let t = try w.currentTickets(window: window.id).first {
                    throw KioskError(.invalidState,
                        "window \(window.id) still has \(t.number) (\(t.state.rawValue)): finish, transfer or mark it no-show first",
                        details: ["state": t.state.rawValue, "ticket": String(t.id)])
                }
                state.status = .closed
                state.staff = nil
                topic = EventTopic.windowClosed
            }
            state.since = now
            try w.save(state)
            try Self.emit(w, topic, WindowEvent(window: window.id, name: window.name, status: state.status.rawValue,
                staff: state.staff, serves: window.serves), at: now)
        }
        guard let view = try await windows().first(where: { $0.id == window.id }) else {
            throw KioskError(.notFound, "window \(window.id) disappeared from the configuration")
        }
        return view
    }
}

struct WindowEvent: Encodable {
    var window: String
    var name: String
    var status: String
    var staff: String?
    var serves: [String]
}
