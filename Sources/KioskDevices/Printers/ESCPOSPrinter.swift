import Dispatch
import Foundation
import KioskCore

/// A real ESC/POS ticket printer (取号小票打印机) over any `ByteTransport`: `/dev/usb/lp0`, a
/// serial port, USB bulk, or a network printer on port 9100.
///
/// What it adds to the bytes: the model's `PrinterProfile` (encoding, `FS &`, native or raster
/// QR), the printer's own status through `DLE EOT` turned into health (paper near end →
/// `degraded`; paper out, cover open, printer error, offline → `fault`), refusal of a job the
/// printer is known unable to print (nothing is sent), and a clear error and health change when
/// a write fails or stalls half-way — so the daemon can answer `printed: false` and a
/// technician sees why.
///
/// Threading: every transport call runs on the printer's own serial `DispatchQueue`, never on the
/// Swift concurrency pool; the async methods hop onto it and back. Jobs and status polls are
/// therefore serialised: a poll never interleaves `DLE EOT` bytes with a ticket.
///
/// Reconnection: the printer holds an `open` function instead of a transport. When the link is
/// lost (unplugged, hung up) it closes the transport, becomes `absent`, and the next job, status
/// request or poll tick opens it again — so a printer that comes back recovers by itself.
public final class ESCPOSPrinter: ReceiptPrinter {
    /// Timing and status decisions; the defaults suit a USB or LAN ticket printer.
    public struct Options: Sendable {
        /// How long the printer may take no byte at all before a job is a stall (fault).
        public var writeTimeout: Duration
        /// How long to wait for each `DLE EOT` answer.
        public var statusTimeout: Duration
        /// A status answer younger than this is trusted before a job instead of asking again.
        /// (Keeps the ticket's last byte within the 20 ms budget while polling runs.)
        public var statusMaxAge: Duration
        /// Unanswered status rounds in a row before "no status answer" becomes a fault.
        public var faultAfterMissedAnswers: Int

        public init(
            writeTimeout: Duration = .seconds(3), statusTimeout: Duration = .milliseconds(500),
            statusMaxAge: Duration = .seconds(2), faultAfterMissedAnswers: Int = 3
        ) {
            self.writeTimeout = writeTimeout
            self.statusTimeout = statusTimeout
            self.statusMaxAge = statusMaxAge
            self.faultAfterMissedAnswers = faultAfterMissedAnswers
        }
    }

    /// Opens the transport; called again after the link was lost.
    public typealias Opener = @Sendable () throws(TransportError) -> any ByteTransport

    struct State: Sendable {
        var transport: (any ByteTransport)?
        var link: PrinterHealthPolicy.Link
        var sensors: PrinterSensors?
        var sensorsAt: ContinuousClock.Instant?
        var missedAnswers = 0
        var writeFailure: String?
        var statusReadable: Bool
    }

    public let id: String
    public let kind = DeviceConfig.Kind.receiptPrinter
    public let transport: DeviceConfig.Transport
    public let endpoint: String
    public let profile: PrinterProfile
    public let options: Options
    public var paperWidthDots: Int { profile.paperWidthDots }

    private let open: Opener
    private let box: DeviceStateBox<State>
    private let policy: PrinterHealthPolicy
    private let layout: TicketLayout
    private let jobEncoder: PrinterJobEncoder
    private let queue: DispatchQueue
    private let poller = DevicePoller()

    /// A printer reached through whatever `open` returns. Nothing is opened yet: the first job,
    /// `status()`, `connect()` or poll tick does it (the health is `absent`, "not connected yet",
    /// until then).
    public init(
        id: String, transport: DeviceConfig.Transport, endpoint: String, profile: PrinterProfile = .default,
        template: TicketTemplate? = nil, options: Options = Options(), clock: any HallClock = SystemClock(),
        open: @escaping Opener
    ) {
        self.id = id
        self.transport = transport
        self.endpoint = endpoint
        self.profile = profile
        self.options = options
        self.open = open
        policy = PrinterHealthPolicy(faultAfterMisses: options.faultAfterMissedAnswers)
        layout = TicketLayout(paperWidthDots: profile.paperWidthDots, template: template)
        jobEncoder = PrinterJobEncoder(profile: profile)
        queue = DispatchQueue(label: "kioskd.printer.\(id)")
        let initial = State(
            transport: nil, link: .closed(state: .absent, reason: "not connected yet"),
            statusReadable: profile.bidirectional)
        box = DeviceStateBox(
            initial, health: DeviceHealth(state: .absent, reason: "not connected yet", since: clock.now()),
            clock: clock)
        queue.setSpecific(key: Self.queueKey, value: ObjectIdentifier(self))
    }

    /// Marks each printer's queue, so `close()` knows when it already runs on it.
    private static let queueKey = DispatchSpecificKey<ObjectIdentifier>()

    /// A printer on an already open transport (tests, or a registry that opened it itself).
    /// After the link is lost, reopening hands back the same transport, which stays dead: give an
    /// `open` function instead to recover from unplugging.
    public convenience init(
        id: String, transport kind: DeviceConfig.Transport, on byteTransport: any ByteTransport,
        profile: PrinterProfile = .default, options: Options = Options(), clock: any HallClock = SystemClock()
    ) {
        self.init(
            id: id, transport: kind, endpoint: byteTransport.endpoint, profile: profile, options: options,
            clock: clock, open: { byteTransport })
    }

    deinit {
        poller.stop()
    }

    public var health: DeviceHealth { box.health }

    public func observeHealth(_ observer: @escaping @Sendable (DeviceHealth) -> Void) {
        box.observe(observer)
    }

    /// The last sensors read, nil when unknown.
    public var lastSensors: PrinterSensors? { box.state.sensors }

    // MARK: ReceiptPrinter

    public func printTicket(_ slip: TicketSlip) async throws(DeviceError) {
        let commands: [ESCPOSCommand]
        do { commands = try layout.commands(for: slip) } catch { throw .invalidJob(id: id, message: error.description) }
        try await run(commands)
    }

    /// Asks the printer first, so the slip shows the status it reports right now.
    public func printTestSlip(_ slip: TestSlip) async throws(DeviceError) {
        let health = await onQueue { [self] in
            _ = try? ensureOpen()
            refreshStatus()
            return box.health
        }
        var slip = slip
        slip.status = health.description
        let commands: [ESCPOSCommand]
        do { commands = try layout.commands(for: slip) } catch { throw .invalidJob(id: id, message: error.description) }
        try await run(commands)
    }

    public func status() async -> PrinterStatus {
        await onQueue { [self] in
            _ = try? ensureOpen()
            refreshStatus()
            return currentStatus()
        }
    }

    // MARK: Control for the registry

    /// Opens the transport now (instead of at the first job) and reads the status once.
    public func connect() async {
        await onQueue { [self] in
            if (try? ensureOpen()) != nil { refreshStatus() }
        }
    }

    /// Polls the status every `interval` on the printer's I/O queue, so paper near end or a
    /// closed cover shows up between tickets. A lost link is reopened by the poll, retried with
    /// backoff (0.5 s doubling up to 30 s) while the printer stays away. Replaces an earlier
    /// polling schedule.
    public func startStatusPolling(every interval: Duration) {
        poller.start(every: interval, on: queue) { [weak self] in
            guard let self, (try? self.ensureOpen()) != nil else { return false }
            self.refreshStatus()
            return true
        }
    }

    /// Failed reconnection attempts in a row by the status poll (0 while the printer answers).
    public var reconnectFailures: Int { poller.failures }

    public func stopStatusPolling() { poller.stop() }

    /// Stops polling and closes the transport; the printer is `absent` until used again.
    /// Waits for a job in progress; safe to call from a health observer (which runs on the
    /// printer's queue).
    public func close() {
        poller.stop()
        let body: @Sendable () -> Void = { [box, policy] in
            box.mutate(assess: { Self.assess($0, policy) }) { s, _ in
                s.transport?.close()
                s.transport = nil
                s.sensors = nil
                s.sensorsAt = nil
                s.link = .closed(state: .absent, reason: "closed")
            }
        }
        if DispatchQueue.getSpecific(key: Self.queueKey) == ObjectIdentifier(self) {
            body()
        } else {
            queue.sync(execute: body)
        }
    }

    // MARK: Bytes

    /// The bytes `commands` become on this model (what a job sends).
    public func bytes(for commands: [ESCPOSCommand]) throws(DeviceError) -> [UInt8] {
        do { return try jobEncoder.encode(commands) } catch { throw .invalidJob(id: id, message: error.description) }
    }

    /// The bytes of `slip`'s ticket on this model.
    public func bytes(for slip: TicketSlip) throws(DeviceError) -> [UInt8] {
        let commands: [ESCPOSCommand]
        do { commands = try layout.commands(for: slip) } catch { throw .invalidJob(id: id, message: error.description) }
        return try bytes(for: commands)
    }

    // MARK: Internals (on `queue`)

    private func run(_ commands: [ESCPOSCommand]) async throws(DeviceError) {
        let bytes = try bytes(for: commands)
        let result: Result<Void, DeviceError> = await onQueue { [self] in
            do throws(DeviceError) {
                try send(bytes)
                return .success(())
            } catch {
                return .failure(error)
            }
        }
        try result.get()
    }

    private func onQueue<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            queue.async { continuation.resume(returning: body()) }
        }
    }

    private func assess(_ s: State) -> (DeviceHealth.State, String) { Self.assess(s, policy) }

    private static func assess(_ s: State, _ policy: PrinterHealthPolicy) -> (DeviceHealth.State, String) {
        policy.assess(
            link: s.link, sensors: s.sensors, writeFailure: s.writeFailure, missedAnswers: s.missedAnswers,
            statusReadable: s.statusReadable)
    }

    /// The open transport, opening it when needed. Throws `unavailable` (absent) or `fault`
    /// (present but not usable: permission, busy).
    @discardableResult
    private func ensureOpen() throws(DeviceError) -> any ByteTransport {
        if let t = box.state.transport { return t }
        let opened: Result<any ByteTransport, TransportError>
        do throws(TransportError) { opened = .success(try open()) } catch { opened = .failure(error) }
        let (id, bidirectional) = (self.id, profile.bidirectional)
        return try box.mutate(assess: assess) { (s, note) throws(DeviceError) -> any ByteTransport in
            switch opened {
            case .success(let t):
                s.transport = t
                s.link = .open
                s.sensors = nil
                s.sensorsAt = nil
                s.missedAnswers = 0
                s.writeFailure = nil
                s.statusReadable = bidirectional && ((t as? any TransportReadability)?.canRead ?? true)
                return t
            case .failure(let e):
                note.record(e.description)
                let absent = Self.meansAbsent(e)
                s.link = .closed(state: absent ? .absent : .fault, reason: e.description)
                throw absent
                    ? .unavailable(id: id, reason: e.description) : .fault(id: id, message: e.description)
            }
        }
    }

    /// Asks `DLE EOT` and records the answer (or the silence) in the state and health.
    private func refreshStatus() {
        let s = box.state
        guard let t = s.transport, s.statusReadable else { return }
        let answer: Result<PrinterSensors?, TransportError>
        do throws(TransportError) {
            answer = .success(try DLEEOTQuery.read(t, timeout: options.statusTimeout))
        } catch {
            answer = .failure(error)
        }
        let now = ContinuousClock.now
        box.mutate(assess: assess) { s, note in
            switch answer {
            case .success(let sensors?):
                s.sensors = sensors
                s.sensorsAt = now
                s.missedAnswers = 0
                s.writeFailure = nil  // it answers again: whatever stalled the last job is visible now
            case .success(nil):
                s.sensors = nil
                s.sensorsAt = nil
                s.missedAnswers += 1
                note.record("no answer to DLE EOT within \(DescriptorIO.format(options.statusTimeout)) s")
            case .failure(let e):
                note.record(e.description)
                if Self.meansAbsent(e) {
                    Self.drop(&s, reason: e.description)
                } else {
                    s.sensors = nil
                    s.sensorsAt = nil
                    s.missedAnswers += 1
                }
            }
        }
    }

    /// Sends one job: opens the link if needed, checks the status, refuses a known fault, then
    /// writes every byte or reports how it failed.
    private func send(_ bytes: [UInt8]) throws(DeviceError) {
        var t = try ensureOpen()
        checkStatusBeforeJob()
        if box.state.transport == nil {
            // The status request found the link dead (a network printer that dropped an idle
            // connection, a printer replugged on the same node): open it once more.
            t = try ensureOpen()
            checkStatusBeforeJob()
        }
        let (checked, health) = box.read { ($0, $1) }
        guard checked.transport != nil else { throw .unavailable(id: id, reason: health.reason) }
        if health.state == .fault, checked.statusReadable,
            policy.isKnownFault(sensors: checked.sensors, missedAnswers: checked.missedAnswers)
        {
            throw .fault(id: id, message: health.reason)
        }
        let outcome: TransportError?
        do throws(TransportError) {
            try t.write(bytes, timeout: options.writeTimeout)
            outcome = nil
        } catch {
            outcome = error
        }
        let id = self.id
        try box.mutate(assess: assess) { (s, note) throws(DeviceError) in
            guard let e = outcome else {
                s.writeFailure = nil
                return
            }
            note.record(e.description)
            if Self.meansAbsent(e) {
                Self.drop(&s, reason: e.description)
                throw .unavailable(id: id, reason: "lost during the job: \(e.description)")
            }
            let message: String =
                if case .timeout(let m) = e { "write stalled: \(m)" } else { "write failed: \(e.description)" }
            s.writeFailure = message
            throw .fault(id: id, message: message)
        }
    }

    /// Asks `DLE EOT` unless a recent answer said all is well.
    private func checkStatusBeforeJob() {
        let s = box.state
        guard s.statusReadable, s.transport != nil else { return }
        let fresh = s.sensorsAt.map { ContinuousClock.now - $0 <= options.statusMaxAge } ?? false
        if !fresh || s.missedAnswers > 0 || s.writeFailure != nil { refreshStatus() }
    }

    private func currentStatus() -> PrinterStatus {
        box.read { s, health in
            PrinterStatus(
                connected: s.transport != nil, paper: s.sensors?.paper, coverOpen: s.sensors?.coverOpen,
                health: health)
        }
    }

    /// Closes a lost link and marks the printer absent.
    private static func drop(_ s: inout State, reason: String) {
        s.transport?.close()
        s.transport = nil
        s.sensors = nil
        s.sensorsAt = nil
        s.link = .closed(state: .absent, reason: reason)
    }

    /// Unplugged, hung up, nothing there: `absent`. Anything else (permission, busy, I/O,
    /// timeout) means the device is there but failing: `fault`.
    static func meansAbsent(_ e: TransportError) -> Bool {
        switch e {
        case .notFound, .disconnected: true
        case .permissionDenied, .busy, .timeout, .io: false
        }
    }
}
