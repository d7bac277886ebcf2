import Foundation
import KioskCore
import KioskProtocol
import KioskStore

/// Looks at the queue from one ticket: how many will be called before it (`ahead`) and how long
/// that should take (`estimatedWaitSeconds`). Lanes are computed once per lens and reused.
final class QueueLens {
    let config: HallConfig
    let reader: any StoreReader
    let day: HallDay
    private var runs: [CallOrder.Lane: Int] = [:]
    private var busy: Set<String>?
    private var states: [String: WindowState]?
    private var means: [String: Double] = [:]

    init(config: HallConfig, reader: any StoreReader, day: HallDay) {
        self.config = config
        self.reader = reader
        self.day = day
    }

    /// Position of a waiting ticket in its lane's call order, from counts (no lane is loaded).
    func ahead(of t: Ticket) throws -> Int {
        let lane = CallOrder.lane(of: t)
        if runs[lane] == nil { runs[lane] = try reader.laneRun(day: t.day, lane: lane.key) }
        return CallOrder.ahead(of: t, counts: try reader.laneCounts(of: t), priorityRun: runs[lane]!,
            burst: config.queue.priorityBurst)
    }

    /// Views of whole lanes at once (`queue.waiting`): each lane's order is computed once.
    func views(ofWaiting tickets: [Ticket]) throws -> [TicketView] {
        var out: [TicketView] = []
        for (lane, members) in Dictionary(grouping: tickets, by: CallOrder.lane(of:)) {
            let run = try reader.laneRun(day: day, lane: lane.key)
            for (ahead, t) in CallOrder.order(of: members, priorityRun: run, burst: config.queue.priorityBurst).enumerated() {
                let estimate = try self.estimate(category: t.category, ahead: ahead, assignedWindow: t.assignedWindow)
                out.append(TicketMapper.view(t, config: config, ahead: ahead, estimate: estimate))
            }
        }
        return out.sorted { ($0.ahead ?? 0, $0.id) < ($1.ahead ?? 0, $1.id) }
    }

    func openWindows(serving category: String) throws -> [String] {
        if states == nil { states = try reader.windowStates() }
        return config.windows.filter { $0.serves.contains(category) && states?[$0.id]?.status == .open }.map(\.id)
    }

    func estimate(category: String, ahead: Int, assignedWindow: String? = nil) throws -> Int {
        if busy == nil { busy = try reader.busyWindows() }
        let windows = try assignedWindow.map { [$0] } ?? openWindows(serving: category)
        if means[category] == nil {
            means[category] = try reader.serviceTimes(day: day, category: category).mean(defaultSeconds: config.queue.defaultServiceSeconds)
        }
        let mean = means[category]!
        return WaitEstimator.seconds(
            ahead: ahead, openWindows: windows.count, busyWindows: windows.filter { busy!.contains($0) }.count,
            meanServiceSeconds: mean)
    }

    func view(_ t: Ticket, printed: Bool? = nil, printError: String? = nil) throws -> TicketView {
        var ahead: Int?, estimate: Int?
        if t.state == .waiting {
            // A fresh lens reads everything below: at once, where that saves round trips.
            if runs.isEmpty && busy == nil && states == nil && means.isEmpty { try reader.prefetchView(of: t) }
            ahead = try self.ahead(of: t)
            estimate = try self.estimate(category: t.category, ahead: ahead!, assignedWindow: t.assignedWindow)
        }
        return TicketMapper.view(t, config: config, ahead: ahead, estimate: estimate, printed: printed, printError: printError)
    }
}

/// Ticket → its wire form. Times in the hall's offset; the holder only masked.
enum TicketMapper {
    static func view(_ t: Ticket, config: HallConfig, ahead: Int? = nil, estimate: Int? = nil,
        printed: Bool? = nil, printError: String? = nil) -> TicketView {
        let tz = config.daemon.timeZone
        func iso(_ d: Date?) -> String? { d.map { ISO8601.string($0, timeZone: tz) } }
        return TicketView(
            id: t.id, number: t.number, category: t.category, categoryName: config.category(t.category)?.name,
            state: t.state.rawValue, priority: t.priority.rawValue, issuedAt: ISO8601.string(t.issuedAt, timeZone: tz),
            day: t.day.rawValue, window: t.window, staff: t.staff, assignedWindow: t.assignedWindow, ahead: ahead,
            estimatedWaitSeconds: estimate, calledAt: iso(t.calledAt), startedAt: iso(t.startedAt),
            finishedAt: iso(t.finishedAt), recalls: t.recalls, requeues: t.requeues, transfers: t.transfers,
            holder: t.personMasked, appointmentCode: t.appointmentCode, cancelReason: t.cancelReason,
            printed: printed, printError: printError)
    }
}
