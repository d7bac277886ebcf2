import Foundation
import KioskCore

/// The database behind the hall: the source of truth for tickets, windows and events.
///
/// Every change happens inside `write`, one serializable transaction that is durably committed
/// (fsync) before `write` returns, so a request is answered only after its effects are on disk.
/// Rules stay in KioskCore; a backend only loads and saves. SQLite (GRDB) is the embedded backend;
/// PostgreSQL implements the same protocol later.
public protocol Store: Sendable {
    func read<T: Sendable>(_ body: @escaping @Sendable (any StoreReader) throws -> T) async throws -> T
    func write<T: Sendable>(_ body: @escaping @Sendable (any StoreWriter) throws -> T) async throws -> T
    /// Called after each commit, in commit order, with the events that transaction appended.
    /// Must not block: it runs while the next writer waits.
    func setEventSink(_ sink: @escaping @Sendable ([StoredEvent]) -> Void)
    /// A short description for `daemon.status` ("sqlite /var/lib/kioskd/kioskd.sqlite").
    var description: String { get }
    /// Increases after every commit of this store, before `write` returns; nil when the backend
    /// cannot see every commit (a database shared with other daemons), so nothing may be cached.
    var generation: UInt64? { get }
    /// Housekeeping the daemon runs every second off the request path (SQLite: a WAL
    /// checkpoint; while faulted, an attempt to reopen the database).
    func maintain() async throws
    /// Whether the database can be used now. While faulted, writes fail at once with the reason.
    var health: StorageHealth { get }
    /// Called on every change of `health` (ok → fault, fault → ok). Must not block.
    func setHealthSink(_ sink: @escaping @Sendable (StorageHealth) -> Void)
    /// Checks all stored data (SQLite: `PRAGMA quick_check`); damage faults the store.
    func verify() async
    /// The schema version and, for a server, which one and its clock (nil fields when unknown).
    func facts() async -> StorageFacts
    /// Whether other daemons (terminals) share this database: then each reports its devices in
    /// it, and reads the others'.
    var isShared: Bool { get }
    /// Whether restarting the daemon may clear a fault, so the watchdog should stop while one
    /// lasts. SQLite: yes (the file is reopened). PostgreSQL: no — the server is elsewhere, the
    /// store heals by itself when it returns, and a restart would only lose the devices' state.
    var restartMayHeal: Bool { get }
}

/// A committed entry of the hall's event log. `seq` increases by one per event and survives
/// restarts; subscribers replay from it.
public struct StoredEvent: Sendable, Equatable {
    public var seq: Int64
    public var topic: String
    public var at: Date
    /// The event's `data` object, already encoded as JSON.
    public var json: String
    public init(seq: Int64, topic: String, at: Date, json: String) {
        self.seq = seq
        self.topic = topic
        self.at = at
        self.json = json
    }
}

/// Reads inside a transaction or a read snapshot.
public protocol StoreReader {
    func ticket(id: Int64) throws -> Ticket?
    func ticket(day: HallDay, number: String) throws -> Ticket?
    /// Waiting tickets of `day` in the given categories, or assigned to `window`.
    func waitingTickets(day: HallDay, categories: [String], window: String?) throws -> [Ticket]
    /// The lane's counts as seen from `ticket` (which must be waiting in it): see `CallOrder.LaneCounts`.
    func laneCounts(of ticket: Ticket) throws -> CallOrder.LaneCounts
    /// The first waiting ticket of each group (front, priority, normal) of each lane a window
    /// calls from: all `CallOrder.next` needs, without loading whole queues.
    func laneHeads(day: HallDay, categories: [String], window: String?) throws -> [Ticket]
    /// How many wait in a category (not assigned to a window) and since when the oldest.
    func waitingSummary(day: HallDay, category: String) throws -> (count: Int, oldestIssuedAt: Date?)
    /// Every waiting ticket of `day`, in whatever lane: overviews list them all.
    func waitingTickets(day: HallDay) throws -> [Ticket]
    /// How many of `day`'s waiting tickets were transferred to each window (only windows with one).
    func waitingForWindows(day: HallDay) throws -> [String: Int]
    /// Tickets called or in service at `window`.
    func currentTickets(window: String) throws -> [Ticket]
    /// Windows with a ticket called or in service, for the wait model.
    func busyWindows() throws -> Set<String>
    /// The person's active (waiting, called, serving) ticket in `category` today.
    func activeTicket(personKey: String, category: String, day: HallDay) throws -> Ticket?
    /// Active tickets of days before `day` (to expire at rollover).
    func activeTickets(before day: HallDay) throws -> [Ticket]
    func tickets(day: HallDay) throws -> [Ticket]
    func issuedCount(day: HallDay, category: String) throws -> Int
    func laneRun(day: HallDay, lane: String) throws -> Int
    /// Says that the waiting `ticket`'s view is read next (`laneCounts`, `laneRun`,
    /// `busyWindows`, `windowStates`, `serviceTimes`): an engine that pays a round trip per
    /// statement fetches them together. Changes nothing else.
    func prefetchView(of ticket: Ticket) throws
    /// Today's finished cases of a category: their count and total service time.
    func serviceTimes(day: HallDay, category: String) throws -> WaitEstimator.ServiceTimes
    func windowStates() throws -> [String: WindowState]
    func evaluation(ticketId: Int64) throws -> Evaluation?
    func evaluations(day: HallDay) throws -> [Evaluation]
    func appointment(code: String) throws -> Appointment?
    func events(after seq: Int64, limit: Int) throws -> [StoredEvent]
    /// Events of `topics` with seq ≤ `seq` and time ≥ `since`, newest first (a screen's recent calls).
    func events(upTo seq: Int64, since: Date, topics: [String], limit: Int) throws -> [StoredEvent]
    func lastEventSeq() throws -> Int64
    func alertActive(category: String) throws -> Bool
    func meta(_ key: String) throws -> String?
    func ticketCount() throws -> Int

    // Certificates
    func certificate(serial: String) throws -> Certificate?
    /// Every certificate of an order, oldest first (the original, then its reprints).
    func certificates(orderId: String) throws -> [Certificate]
    /// Certificates in `state` (any when nil) issued on `day` (any when nil), oldest first.
    func certificates(state: CertificateState?, day: HallDay?, limit: Int) throws -> [Certificate]
    /// The holder's certificates in `states` (pickup at the kiosk).
    func certificates(holderKey: String, states: Set<CertificateState>) throws -> [Certificate]
    func certificateHistory(serial: String) throws -> [CertificateStep]
    func printAttempts(serial: String) throws -> [PrintAttempt]
    /// Attempts not yet completed or failed, oldest first: what to reconcile after a restart.
    func openPrintAttempts() throws -> [PrintAttempt]
    /// Audit entries after `seq`, in order.
    func auditEntries(after seq: Int64, limit: Int) throws -> [AuditRecord]
    /// The last audit entry, nil when the chain is empty.
    func lastAuditEntry() throws -> AuditRecord?
    /// The last audit entry written before `atMilliseconds` (a day's closing head).
    func lastAuditEntry(before atMilliseconds: Int64) throws -> AuditRecord?

    // Terminals sharing the database
    func terminals() throws -> [TerminalRecord]
    /// Every terminal's devices, by terminal and id.
    func terminalDevices() throws -> [TerminalDeviceRecord]
}

/// Writes, inside the one transaction of `Store.write`.
public protocol StoreWriter: StoreReader {
    /// Counts one more ticket issued in `category` on `day` and returns its sequence (1, 2, …).
    func nextSequence(day: HallDay, category: String) throws -> Int
    /// A fresh, increasing place-in-line key.
    func nextOrderKey() throws -> Int64
    /// `nextSequence` and `nextOrderKey` together, as a new ticket needs them (one round trip on
    /// PostgreSQL instead of two).
    func nextTicketNumbers(day: HallDay, category: String) throws -> (sequence: Int, orderKey: Int64)
    /// Inserts a new ticket and returns it with its `id`.
    func insert(_ ticket: Ticket) throws -> Ticket
    func update(_ ticket: Ticket) throws
    /// Adds one finished case's service time to its category's day (see `serviceTimes`).
    func addServiceTime(day: HallDay, category: String, seconds: Double) throws
    func setLaneRun(day: HallDay, lane: String, run: Int) throws
    func save(_ window: WindowState) throws
    func insert(_ evaluation: Evaluation) throws
    func save(_ appointment: Appointment) throws
    /// Appends to the event log; the event is published after commit.
    @discardableResult func appendEvent(topic: String, at: Date, json: String) throws -> StoredEvent
    func setAlertActive(category: String, _ active: Bool) throws
    func setMeta(_ key: String, _ value: String) throws

    // Certificates
    /// The next certificate sequence of `day` (1, 2, …).
    func nextCertificateSequence(day: HallDay) throws -> Int
    func insert(_ certificate: Certificate) throws
    func update(_ certificate: Certificate) throws
    func append(_ step: CertificateStep) throws
    /// Inserts an attempt and returns it with its `id`.
    func insert(_ attempt: PrintAttempt) throws -> PrintAttempt
    func update(_ attempt: PrintAttempt) throws
    /// Appends an entry to the audit chain; its `seq` must follow the last one.
    func append(_ entry: AuditRecord) throws

    // Terminals
    func save(_ terminal: TerminalRecord) throws
    func save(_ device: TerminalDeviceRecord) throws
    /// Forgets `terminal`'s devices other than `keeping` (devices no longer in its config).
    func removeDevices(terminal: String, keeping ids: [String]) throws

    /// Takes or renews the hall-wide lease `name` (租约) for `holder`, for `seconds` from now by
    /// the database's clock; true when `holder` has it — it already did, or the last holder's
    /// lease has run out. Work only one daemon of a hall may do (the certificate pipeline) runs
    /// while its lease is held. The database's clock, not the daemons': two daemons whose clocks
    /// differ by more than a lease would otherwise both hold it.
    func claimLease(_ name: String, holder: String, seconds: TimeInterval) throws -> Bool
}

/// A storage failure the caller cannot fix (disk full, database locked for too long, corrupt).
public struct StoreError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
