import Foundation
import KioskCore
import KioskProtocol
import KioskStore
import Logging
import Synchronization

/// The hall's queues as a service: every queue, window and evaluation operation, each one store
/// transaction that applies KioskCore's rules and appends its events. Transport-free, so tests
/// drive it directly with a manual clock; the socket server is one caller among others.
public final class HallService: Sendable {
    let store: any Store
    let clock: any HallClock
    let persons: PersonKeys
    let logger: Logger
    private let configBox: Mutex<(config: HallConfig, version: Int)>
    let printing: TicketPrinting?
    let readCache = ReadCache()

    public init(config: HallConfig, store: any Store, clock: any HallClock, persons: PersonKeys,
        printing: TicketPrinting? = nil, logger: Logger = Logger(label: "kioskd.hall")) {
        self.configBox = Mutex((config, 0))
        self.store = store
        self.clock = clock
        self.persons = persons
        self.printing = printing
        self.logger = logger
    }

    public var config: HallConfig { configBox.withLock { $0.config } }

    /// Bumped by each reload: cached answers that depend on the configuration carry it.
    var configVersion: Int { configBox.withLock { $0.version } }

    /// Applies a reloaded configuration and records `config.reloaded`. Returns the sections that
    /// changed but need a restart (daemon, storage, devices), which keep their running values.
    @discardableResult
    public func reload(_ new: HallConfig) async throws -> [String] {
        let old = config
        apply(new)
        var restartNeeded: [String] = []
        if new.daemon != old.daemon { restartNeeded.append("daemon") }
        if new.storage != old.storage { restartNeeded.append("storage") }
        if new.devices != old.devices { restartNeeded.append("devices") }
        if new.http != old.http { restartNeeded.append("http") }
        let now = clock.now(), applied = config, restart = restartNeeded
        try await store.write { w in
            try Self.emit(w, EventTopic.configReloaded, ConfigReloadedEvent(
                ok: true, categories: applied.categories.map(\.id), windows: applied.windows.map(\.id),
                restartNeeded: restart, error: nil), at: now)
        }
        return restartNeeded
    }

    /// Records a refused reload (the running configuration stays).
    public func reloadRefused(_ error: String) async throws {
        let now = clock.now()
        try await store.write { w in
            try Self.emit(w, EventTopic.configReloaded, ConfigReloadedEvent(
                ok: false, categories: nil, windows: nil, restartNeeded: [], error: error), at: now)
        }
    }

    /// Applies a reloaded configuration (categories, windows, access, queue knobs, hall names).
    /// Settings that need a restart (socket, state dir, storage, devices) keep their running values.
    public func apply(_ new: HallConfig) {
        configBox.withLock { current in
            var next = current.config
            next.categories = new.categories
            next.windows = new.windows
            next.access = new.access
            next.queue = new.queue
            next.hall = new.hall
            next.screens = new.screens
            current = (next, current.version + 1)
        }
    }

    var today: HallDay { config.calendar.day(for: clock.now()) }

    struct ConfigReloadedEvent: Encodable {
        var ok: Bool
        var categories: [String]?
        var windows: [String]?
        var restartNeeded: [String]
        var error: String?
    }

    // MARK: lookups shared by the operations

    func category(_ id: String?, in config: HallConfig) throws -> Category {
        guard let id, !id.isEmpty else { throw KioskError.invalidParams("params.category is required") }
        guard let c = config.category(id) else {
            throw KioskError(.notFound, "no category \(id); known: \(config.categories.map(\.id).joined(separator: ", "))")
        }
        return c
    }

    func window(_ id: String, in config: HallConfig) throws -> Window {
        guard let w = config.window(id) else {
            throw KioskError(.notFound, "no window \(id); known: \(config.windows.map(\.id).joined(separator: ", "))")
        }
        return w
    }

    static func ticket(_ id: Int64, in r: any StoreReader) throws -> Ticket {
        guard let t = try r.ticket(id: id) else { throw KioskError(.notFound, "no ticket with id \(id)") }
        return t
    }

    /// Appends an event whose `data` is `payload`, in the current transaction.
    static func emit<P: Encodable>(_ w: any StoreWriter, _ topic: String, _ payload: P, at: Date) throws {
        try w.appendEvent(topic: topic, at: at, json: JSONCoding.string(payload))
    }

    // MARK: read methods

    public func ticket(id: Int64?, number: String?, date: String?) async throws -> TicketView {
        let config = self.config, day = today
        return try await store.read { r in
            let t: Ticket
            if let id {
                t = try Self.ticket(id, in: r)
            } else if let number {
                let d = try date.map(Self.parseDay) ?? day
                guard let found = try r.ticket(day: d, number: number.uppercased()) else {
                    throw KioskError(.notFound, "no ticket \(number.uppercased()) on \(d)")
                }
                t = found
            } else {
                throw KioskError.invalidParams("give params.id or params.number")
            }
            return try QueueLens(config: config, reader: r, day: t.day).view(t)
        }
    }

    /// `queue.waiting`: one category's queue, what one window could call (its categories and the
    /// tickets transferred to it), or — with neither — every waiting ticket, transferred ones too.
    public func waiting(category: String?, window: String?) async throws -> [TicketView] {
        let config = self.config, day = today
        if let category { _ = try self.category(category, in: config) }
        let window = try window.map { try self.window($0, in: config) }
        return try await store.read { r in
            let tickets: [Ticket]
            if category == nil && window == nil {
                tickets = try r.waitingTickets(day: day)
            } else {
                tickets = try r.waitingTickets(day: day, categories: category.map { [$0] } ?? window?.serves ?? [],
                    window: window?.id)
            }
            return try QueueLens(config: config, reader: r, day: day).views(ofWaiting: tickets)
        }
    }

    public struct CategoryStatus: Codable, Sendable {
        public var id: String
        public var name: String
        public var prefix: String
        public var dailyLimit: Int?
        public var hours: String
        public var requiresPrereview: Bool
        public var open: Bool
        public var issued: Int
        public var remaining: Int?
        public var waiting: Int
        public var estimatedWaitSeconds: Int
        public var openWindows: [String]
    }

    public func categories() async throws -> [CategoryStatus] {
        let config = self.config, now = clock.now()
        let day = config.calendar.day(for: now), minute = config.calendar.minuteOfDay(now)
        return try await store.read { r in
            let lens = QueueLens(config: config, reader: r, day: day)
            return try config.categories.map { c in
                let issued = try r.issuedCount(day: day, category: c.id)
                let waiting = try r.waitingSummary(day: day, category: c.id).count
                return CategoryStatus(
                    id: c.id, name: c.name, prefix: c.prefix, dailyLimit: c.dailyLimit, hours: c.hours.description,
                    requiresPrereview: c.requiresPrereview, open: c.hours.isOpen(atMinute: minute), issued: issued,
                    remaining: c.dailyLimit.map { max(0, $0 - issued) }, waiting: waiting,
                    estimatedWaitSeconds: try lens.estimate(category: c.id, ahead: waiting),
                    openWindows: try lens.openWindows(serving: c.id))
            }
        }
    }

    /// `queue.categories`, encoded, from the read cache.
    public func categoriesJSON() async throws -> Data {
        let now = clock.now(), calendar = config.calendar
        let context = "\(configVersion) \(calendar.day(for: now).rawValue) \(calendar.minuteOfDay(now))"
        return try await readCache.value("categories", generation: store.generation, context: context) {
            try JSONCoding.encoder.encode(try await categories())
        }
    }

    /// `queue.ticket {id}`, encoded, from the read cache.
    public func ticketJSON(id: Int64) async throws -> Data {
        try await readCache.value("ticket:\(id)", generation: store.generation, context: "\(configVersion) \(today.rawValue)") {
            try JSONCoding.encoder.encode(try await ticket(id: id, number: nil, date: nil))
        }
    }

    static func parseDay(_ text: String) throws -> HallDay {
        guard let d = HallDay(validating: text) else { throw KioskError.invalidParams("date must be YYYY-MM-DD, got \(text)") }
        return d
    }
}
