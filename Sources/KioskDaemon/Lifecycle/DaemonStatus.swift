import Foundation
import KioskCore
import KioskProtocol
import KioskStore

/// `daemon.status`: what a technician checks first — is it serving, since when, which day, how
/// many wait, which windows are open, are the devices healthy, did the last reload work.
enum DaemonStatus {
    struct View: Encodable, Sendable {
        var version: String
        var hall: [String: String]
        /// `[daemon] terminal`: this machine's name in the hall.
        var terminal: String
        var pid: Int32
        var now: String
        var day: String
        var uptimeSeconds: Int
        var socket: String
        var config: String
        var storage: Storage
        var tickets: Int?
        var waiting: [String: Int]?
        /// Tickets transferred to a window wait for that window, not in a category's queue.
        var waitingForWindows: [String: Int]?
        var windowsOpen: [String]?
        var connections: Int
        /// `max_connections` in force (admins may use a few more).
        var maxConnections: Int
        var subscribers: Int
        /// Hall screens' open event streams (each screen's streams share one subscription).
        var screenStreams: Int
        var slowSubscribersCut: UInt64
        var lastEventSeq: Int64?
        var devices: [String: String]
        var lastReload: Reload?
        /// Which database, and whether it can be used (`state` ok or fault, `error` why not).
        struct Storage: Encodable, Sendable {
            var backend: String
            var state: String
            var error: String?
            var since: String
            /// The newest migration applied; for a database server, which one answers, its
            /// version, and its clock minus this machine's (seconds).
            var schema: String?
            var server: String?
            var serverVersion: String?
            var clockSkewSeconds: Double?
        }
        struct Reload: Encodable, Sendable {
            var at: String
            var ok: Bool
            var error: String?
        }
    }

    static func make(hall: HallService, store: any Store, bus: EventBus, screens: ScreenStreams, devices: DeviceHub, configPath: String,
        socket: String, uptime: Duration, connections: Int, maxConnections: Int, lastReload: (at: Date, ok: Bool, error: String?)?) async -> View {
        let config = hall.config, now = hall.clock.now(), day = config.calendar.day(for: now)
        let tz = config.daemon.timeZone
        let health = store.health
        // What the database holds; absent when it cannot be read (the storage field says why).
        var stored: (tickets: Int, lastSeq: Int64, waiting: [String: Int], forWindows: [String: Int], states: [String: WindowState])?
        let facts = health.state == .ok ? await store.facts() : StorageFacts()
        var storage = View.Storage(backend: store.description, state: health.state.rawValue, error: health.error,
            since: ISO8601.string(health.since, timeZone: tz), schema: facts.schema, server: facts.server,
            serverVersion: facts.serverVersion, clockSkewSeconds: facts.clockSkewSeconds.map { ($0 * 1000).rounded() / 1000 })
        do {
            stored = try await store.read { r in
                var waiting: [String: Int] = [:]
                for c in config.categories {
                    waiting[c.id] = try r.waitingSummary(day: day, category: c.id).count
                }
                var forWindows = try r.waitingForWindows(day: day)
                for w in config.windows where forWindows[w.id] == nil { forWindows[w.id] = 0 }
                return (try r.ticketCount(), try r.lastEventSeq(), waiting, forWindows, try r.windowStates())
            }
        } catch {
            storage.state = StorageHealth.State.fault.rawValue
            storage.error = storage.error ?? "\(error)"
        }
        // Encoded once, straight to the answer (no detour through a JSONValue: a third of its cost).
        return View(
            version: Daemon.version, hall: ["code": config.hall.code, "name": config.hall.name], terminal: config.daemon.terminal,
            pid: getpid(),
            now: ISO8601.string(now, timeZone: tz), day: day.rawValue, uptimeSeconds: Int(uptime.components.seconds),
            socket: socket, config: configPath, storage: storage, tickets: stored?.tickets, waiting: stored?.waiting,
            waitingForWindows: stored?.forWindows,
            windowsOpen: stored.map { s in config.windows.filter { s.states[$0.id]?.status == .open }.map(\.id) },
            connections: connections, maxConnections: maxConnections, subscribers: bus.subscriberCount,
            screenStreams: screens.open, slowSubscribersCut: bus.droppedCount + screens.cut,
            lastEventSeq: stored?.lastSeq, devices: devices.summary(),
            lastReload: lastReload.map { .init(at: ISO8601.string($0.at, timeZone: tz), ok: $0.ok, error: $0.error) })
    }
}
