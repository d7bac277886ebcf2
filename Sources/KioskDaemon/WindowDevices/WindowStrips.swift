import Foundation
import KioskCore
import KioskDevices
import KioskProtocol
import KioskStore
import Logging
import ServiceLifecycle

/// Window displays (窗口屏) follow their windows: a call or a recall shows the profile's called
/// text (请A012号, blinking) for `called_seconds`, then steady while the case is served; a paused
/// window shows 暂停服务, a closed one the idle text (blank by default), an open one with nobody
/// called the open text. Each window's displays are driven in event order by one task, so two
/// calls in a row show the second and a recall is shown again, never swallowed as a duplicate.
/// At start, and whenever a display has lost what it should show (its bus came back, it did not
/// answer), it is set to the window's current state again.
final class WindowStrips: Service, Sendable {
    enum Trigger: Sendable {
        /// A call or recall of `number`: shown at once, whatever the display shows.
        case called(number: String)
        /// Something changed at the window: show its state.
        case refresh
        /// The periodic look: resend only to a display that does not show what it should.
        case recheck
    }

    let displays: [String: [any WindowDisplay]]
    let hall: HallService
    let store: any Store
    let bus: EventBus
    let logger: Logger
    let recheckInterval: Duration

    init(displays: [any WindowDisplay], hall: HallService, store: any Store, bus: EventBus, logger: Logger,
        recheckInterval: Duration = .seconds(5)) {
        self.displays = Dictionary(grouping: displays, by: \.window)
        self.hall = hall
        self.store = store
        self.bus = bus
        self.logger = logger
        self.recheckInterval = recheckInterval
    }

    func run() async throws {
        var sinks: [String: AsyncStream<Trigger>.Continuation] = [:]
        await withTaskGroup(of: Void.self) { group in
            for (window, displays) in displays {
                let (triggers, sink) = AsyncStream<Trigger>.makeStream()
                sinks[window] = sink
                sink.yield(.refresh)
                group.addTask { await self.drive(window: window, displays: displays, triggers: triggers, sink: sink) }
            }
            let all = sinks
            group.addTask {
                while !Task.isCancelled {
                    try? await Task.sleep(for: self.recheckInterval)
                    for sink in all.values { sink.yield(.recheck) }
                }
            }
            group.addTask { await self.follow(all) }
            try? await gracefulShutdown()
            group.cancelAll()
            for sink in all.values { sink.finish() }
        }
    }

    /// Sorts the hall's events to the windows they concern.
    private func follow(_ sinks: [String: AsyncStream<Trigger>.Continuation]) async {
        let windowOf = Dictionary(displays.flatMap { w, ds in ds.map { ($0.id, w) } }, uniquingKeysWith: { a, _ in a })
        while !Task.isCancelled {
            do {
                let feed = try await EventFeed.open(bus: bus, store: store,
                    patterns: ["ticket.*", "window.*", "day.rolled_over", EventTopic.deviceStatus],
                    since: nil, capacity: 4096, byteCapacity: 4 << 20)
                // A feed's iteration does not end by itself on cancellation: stopping it does.
                try await withTaskCancellationHandler {
                for try await item in feed {
                    let e = item.event
                    guard let data = try? JSONCoding.decoder.decode(Concerned.self, from: Data(e.json.utf8)) else { continue }
                    if e.topic == EventTopic.deviceStatus {
                        // A display that comes back (its bus reopened, the adapter plugged in
                        // again) is set at once, not at the next periodic look.
                        if let id = data.device, let w = windowOf[id], data.state.flatMap(DeviceHealth.State.init(rawValue:))?.isUsable == true {
                            sinks[w]?.yield(.recheck)
                        }
                        continue
                    }
                    let windows = [data.window, data.from?.window, data.to?.window].compactMap { $0 }
                    for w in Set(windows) {
                        if ScreenEvent.callTopics.contains(e.topic), let number = data.ticket?.number {
                            sinks[w]?.yield(.called(number: number))
                        } else {
                            sinks[w]?.yield(.refresh)
                        }
                    }
                    if e.topic == "day.rolled_over" { for sink in sinks.values { sink.yield(.refresh) } }
                }
                } onCancel: {
                    Task { await feed.stop() }
                }
            } catch {
                if Task.isCancelled { return }
                logger.warning("window displays: event feed ended (\(error)); following again")
                for sink in sinks.values { sink.yield(.refresh) }
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }

    private struct Concerned: Decodable {
        struct Ticket: Decodable { var number: String? }
        struct Side: Decodable { var window: String? }
        /// `device.status`: which device, and its state.
        var device: String?
        var state: String?
        var window: String?
        var ticket: Ticket?
        var from: Side?
        var to: Side?
    }

    /// One window's displays, one trigger at a time.
    private func drive(window: String, displays: [any WindowDisplay], triggers: AsyncStream<Trigger>,
        sink: AsyncStream<Trigger>.Continuation) async {
        let profile = displays[0].profile
        var settle: Task<Void, Never>?
        var lastFault: [String: ContinuousClock.Instant] = [:]
        for await trigger in triggers {
            let content: WindowDisplayContent
            switch trigger {
            case .called(let number):
                content = look(profile.called, number: number, window: window)
                settle?.cancel()
                let seconds = profile.calledSeconds
                settle = Task {
                    try? await Task.sleep(for: .seconds(seconds))
                    if !Task.isCancelled { sink.yield(.refresh) }
                }
            case .refresh, .recheck:
                guard let now = await currentLook(window: window, profile: profile) else { continue }
                content = now
            }
            for display in displays {
                if case .recheck = trigger {
                    if display.showing == content && display.health.state.isUsable { continue }
                    // Nothing to ask while its bus is away: it is set when the bus is back.
                    if display.health.state == .absent { continue }
                    // A display that did not answer is asked again at most every 30 s: its
                    // retries take the bus from the others.
                    if display.health.state == .fault, let t = lastFault[display.id], ContinuousClock.now - t < .seconds(30) { continue }
                }
                do {
                    try await display.show(content)
                    lastFault[display.id] = nil
                } catch {
                    lastFault[display.id] = ContinuousClock.now
                    logger.warning("window display \(display.id) (window \(window)) did not show \(content): \(error)")
                }
            }
        }
        settle?.cancel()
    }

    /// What the window's displays should show now.
    private func currentLook(window: String, profile: WindowDeviceProfile) async -> WindowDisplayContent? {
        let now = hall.clock.now()
        do {
            let (state, current) = try await store.read { r in
                (try r.windowStates()[window], try r.currentTickets(window: window).first)
            }
            switch state?.status ?? .closed {
            case .closed: return look(profile.idle, number: "", window: window)
            case .paused: return look(profile.paused, number: current?.number ?? "", window: window)
            case .open:
                guard let current else { return look(profile.open, number: "", window: window) }
                let calledRecently = current.calledAt.map { now.timeIntervalSince($0) < Double(profile.calledSeconds) } ?? false
                return look(calledRecently && current.state == .called ? profile.called : profile.serving, number: current.number, window: window)
            }
        } catch {
            logger.warning("window displays: cannot read window \(window): \(error)")
            return nil
        }
    }

    private func look(_ look: WindowDeviceProfile.Look, number: String, window: String) -> WindowDisplayContent {
        let name = hall.config.window(window)?.name ?? window
        let text = look.text.replacingOccurrences(of: "{number}", with: number).replacingOccurrences(of: "{window}", with: name)
        return WindowDisplayContent(text: text, mode: look.mode, colour: look.colour)
    }
}
