import Foundation
import KioskCore
import KioskProtocol
import KioskStore

/// `daemon.status`: what a technician checks first — is it serving, since when, which day, how
/// many wait, which windows are open, are the devices healthy, did the last reload work.
enum DaemonStatus {
    struct View: Encodable {
        var version: String
        var hall: [String: String]
        var pid: Int32
        var now: String
        var day: String
        var uptimeSeconds: Int
        var socket: String
        var config: String
        var storage: String
        var tickets: Int
        var waiting: [String: Int]
        /// Tickets transferred to a window wait for that window, not in a category's queue.
        var waitingForWindows: [String: Int]
        var windowsOpen: [String]
        var connections: Int
        var subscribers: Int
        var slowSubscribersCut: UInt64
        var lastEventSeq: Int64
        var devices: [String: String]
        var lastReload: Reload?
        struct Reload: Encodable {
            var at: String
            var ok: Bool
            var error: String?
        }
    }

    static func make(hall: HallService, store: any Store, bus: EventBus, devices: DeviceHub, configPath: String,
        socket: String, uptime: Duration, connections: Int, lastReload: (at: Date, ok: Bool, error: String?)?) async -> JSONValue {
        let config = hall.config, now = hall.clock.now(), day = config.calendar.day(for: now)
        let tz = config.daemon.timeZone
        do {
            let (tickets, lastSeq, waiting, forWindows, states) = try await store.read { r in
                var waiting: [String: Int] = [:]
                for c in config.categories {
                    waiting[c.id] = try r.waitingSummary(day: day, category: c.id).count
                }
                var forWindows = try r.waitingForWindows(day: day)
                for w in config.windows where forWindows[w.id] == nil { forWindows[w.id] = 0 }
                return (try r.ticketCount(), try r.lastEventSeq(), waiting, forWindows, try r.windowStates())
            }
            let view = View(
                version: Daemon.version, hall: ["code": config.hall.code, "name": config.hall.name], pid: getpid(),
                now: ISO8601.string(now, timeZone: tz), day: day.rawValue, uptimeSeconds: Int(uptime.components.seconds),
                socket: socket, config: configPath, storage: store.description, tickets: tickets, waiting: waiting,
                waitingForWindows: forWindows,
                windowsOpen: config.windows.filter { states[$0.id]?.status == .open }.map(\.id), connections: connections,
                subscribers: bus.subscriberCount, slowSubscribersCut: bus.droppedCount, lastEventSeq: lastSeq,
                devices: devices.summary(),
                lastReload: lastReload.map { .init(at: ISO8601.string($0.at, timeZone: tz), ok: $0.ok, error: $0.error) })
            return try JSONValue(encoding: view)
        } catch {
            return .object(["version": .string(Daemon.version), "storage": .string("unavailable: \(error)")])
        }
    }
}
