import Dispatch
import Foundation
import KioskCore
import Synchronization

/// A real second-generation ID card reader (二代证阅读器) speaking the SAM protocol over any
/// `ByteTransport` — a USB-serial adapter in a hall, a pty in tests.
///
/// Why its own dispatch queue: every SAM exchange blocks on the wire (a full read takes ~0.11 s
/// at 115200 baud, over a second at 9600), so all I/O runs on a serial queue owned by this reader
/// and never on the Swift concurrency pool; `async` callers just wait for it.
///
/// Behaviour: `readCard` polls 寻卡 / 选卡 / 读卡 until a card is read or the time is up. Each
/// placement is read once because the SAM answers "find card" with `9F` only for a card newly
/// in the field (a card left lying there answers `80` until it is lifted and presented again).
/// With `startWatching`, the reader also polls while nobody waits: a card put down is read,
/// announced (type only) and held in memory for the next `readCard` — so a kiosk can react to
/// `idcard.presented` instead of keeping a read open.
/// Health: `ok` while exchanges succeed; `degraded` after an unanswered, garbled or unknown
/// answer, `fault` after three in a row or when the SAM itself reports a fault (self-test,
/// authorisation); `absent` when the port is missing or hung up. The port is reopened by the
/// next operation, so a reader plugged back in recovers by itself.
public final class SAMIDCardReader: IDCardReader {
    /// Timing and retries; the defaults suit 115200 and 9600 baud readers alike.
    public struct Options: Sendable {
        /// Pause between two "find card" polls while no card is there.
        public var pollInterval: Duration
        /// How long one answer may take, from our last byte to its last byte.
        public var responseTimeout: Duration
        /// Tries per command when the answer is lost or garbled.
        public var attempts: Int
        /// How long a card noticed by the watch (no read waiting) is kept for the next
        /// `readCard`: the kiosk shell sees `idcard.presented` and asks for it.
        public var holdPlacement: Duration

        public init(
            pollInterval: Duration = .milliseconds(150), responseTimeout: Duration = .seconds(3), attempts: Int = 2,
            holdPlacement: Duration = .seconds(30)
        ) {
            self.pollInterval = pollInterval
            self.responseTimeout = responseTimeout
            self.attempts = max(1, attempts)
            self.holdPlacement = holdPlacement
        }
    }

    struct State: Sendable {
        /// nil when the port is open; otherwise why it is not, and the health state that implies.
        var closed: (state: DeviceHealth.State, reason: String)? = (.absent, "not opened yet")
        /// The SAM reported a fault of its own (self-test failed, not authorised).
        var samFault: String?
        /// Exchanges in a row that failed (no answer, bad frame, unknown status).
        var failures = 0
        var lastFailure = ""
    }

    /// What only the I/O queue touches: the open session and how to open a new one.
    private final class IOContext: @unchecked Sendable {
        var session: SAMSession?
        /// A card the watch read while no `readCard` waited, and when: memory only, dropped
        /// after `holdPlacement` or when taken.
        var held: (card: IDCard, at: ContinuousClock.Instant)?

        /// The held card if it is younger than `limit`; an older one is dropped here.
        func freshHeld(within limit: Duration) -> IDCard? {
            guard let h = held else { return nil }
            guard ContinuousClock.now - h.at <= limit else {
                held = nil
                return nil
            }
            return h.card
        }
        let open: @Sendable () throws(TransportError) -> any ByteTransport
        init(open: @escaping @Sendable () throws(TransportError) -> any ByteTransport) { self.open = open }
    }

    /// Set from a task's cancellation handler, read by the polling loop on the I/O queue.
    private final class CancelFlag: Sendable {
        private let flag = Mutex(false)
        func set() { flag.withLock { $0 = true } }
        var isSet: Bool { flag.withLock { $0 } }
    }

    public let id: String
    public let kind = DeviceConfig.Kind.idcardReader
    public let transport: DeviceConfig.Transport
    public let endpoint: String
    public let options: Options

    private let box: DeviceStateBox<State>
    private let queue: DispatchQueue
    private let io: IOContext
    private let presentations = PresentationSignal()
    private let watcher = DevicePoller()

    /// A reader whose port is opened (and reopened after an unplug) by `open`.
    public init(
        id: String, transport: DeviceConfig.Transport = .serial, endpoint: String, options: Options = Options(),
        clock: any HallClock = SystemClock(),
        open: @escaping @Sendable () throws(TransportError) -> any ByteTransport
    ) {
        self.id = id
        self.transport = transport
        self.endpoint = endpoint
        self.options = options
        let initial = DeviceHealth(state: .absent, reason: "not opened yet", since: clock.now())
        box = DeviceStateBox(State(), health: initial, clock: clock)
        queue = DispatchQueue(label: "kioskd.device.\(id).sam")
        io = IOContext(open: open)
    }

    /// A reader on a serial port (`/dev/ttyUSB0`, 115200 8N1 by default).
    public convenience init(
        id: String, serialPath path: String, baud: Int = 115_200, options: Options = Options(),
        clock: any HallClock = SystemClock()
    ) {
        self.init(
            id: id, transport: .serial, endpoint: "\(path) @\(baud)", options: options, clock: clock
        ) { () throws(TransportError) in
            try SerialTransport(path: path, baud: baud)
        }
    }

    deinit {
        watcher.stop()
        let io = self.io
        queue.async { io.session?.transport.close() }
    }

    public var health: DeviceHealth { box.health }

    public func observeHealth(_ observer: @escaping @Sendable (DeviceHealth) -> Void) {
        box.observe(observer)
    }

    // MARK: IDCardReader

    public func readCard(timeout: Duration) async throws(DeviceError) -> IDCard {
        let flag = CancelFlag()
        let deadline = ContinuousClock.now + timeout
        let result: Result<IDCard, DeviceError> = await withTaskCancellationHandler {
            await onQueue { [self] io in pollForCard(io, deadline: deadline, seconds: timeout.seconds, cancel: flag) }
        } onCancel: {
            flag.set()
        }
        return try result.get()
    }

    public func observePresentations(_ observer: @escaping @Sendable (IDCard.CardType) -> Void) {
        presentations.observe(observer)
    }

    // MARK: Watching for cards

    /// Looks for a card every `interval` while no `readCard` waits, so a card put on the reader
    /// is announced (`observePresentations`) at once; the card read is held for the next
    /// `readCard` for `holdPlacement`. The watch is also the reader's reconnection loop: a
    /// missing or silent reader is retried with backoff until it answers.
    public func startWatching(every interval: Duration = .milliseconds(300)) {
        watcher.start(every: interval, on: queue) { [weak self] in
            guard let self else { return false }
            return self.watch(self.io)
        }
    }

    public func stopWatching() { watcher.stop() }

    /// Whether the watch is running (tests, diagnostics).
    public var isWatching: Bool { watcher.isRunning }

    /// One look for a card (on the I/O queue). Returns whether the reader answered.
    private func watch(_ io: IOContext) -> Bool {
        _ = io.freshHeld(within: options.holdPlacement)  // drops a card nobody asked for in time
        do throws(DeviceError) {
            let found = try command(.findCard, io)
            guard found.status.isSuccess else { return true }  // no card (80), or a card-level refusal
            let selected = try command(.selectCard, io)
            guard selected.status.isSuccess else { return true }
            let read = try command(.readBaseInfo, io)
            guard read.status.isSuccess else { return true }
            let card = try card(from: read.data)
            io.held = (card, ContinuousClock.now)
            presentations.send(card.cardType)
            return true
        } catch {
            // Card-level trouble (unreadable text) leaves the reader reachable; a closed port, a
            // silent or faulty reader is retried with backoff.
            return io.session != nil && box.health.state != .fault
        }
    }

    /// Asks the SAM for its status (SAM状态检测), opening the port if needed.
    ///
    /// `cardPresent` is true while a card noticed by the watch waits to be read. It never asks
    /// "find card" itself: that would use up the placement a waiting `readCard` is meant to get.
    public func status() async -> ReaderStatus {
        let (connected, held) = await onQueue { [self] io -> (Bool, Bool) in
            _ = try? command(.samStatus, io)
            let fresh = io.freshHeld(within: options.holdPlacement) != nil
            return (io.session != nil, fresh)
        }
        return ReaderStatus(connected: connected, cardPresent: held, health: health)
    }

    // MARK: Diagnostics

    /// The SAM module's serial number (SAM编号), e.g. "05.01-20101111-0049052391-1262258713",
    /// for `kioskctl device test`.
    public func samID() async throws(DeviceError) -> String {
        let id = self.id
        let result: Result<String, DeviceError> = await onQueue { [self] io in
            Result { () throws(DeviceError) -> String in
                let r = try command(.samID, io)
                guard r.status.isSuccess else { throw .fault(id: id, message: "SAM ID: \(r.status)") }
                guard let text = Self.formatSAMID(r.data) else {
                    throw .fault(id: id, message: "SAM ID: answer of \(r.data.count) bytes, expected 16")
                }
                return text
            }
        }
        return try result.get()
    }

    /// Resets the SAM module (复位SAM).
    public func resetSAM() async throws(DeviceError) {
        let id = self.id
        let result: Result<Void, DeviceError> = await onQueue { [self] io in
            Result { () throws(DeviceError) in
                let r = try command(.reset, io)
                guard r.status.isSuccess else { throw .fault(id: id, message: "reset: \(r.status)") }
            }
        }
        try result.get()
    }

    /// The 16 data bytes of a SAM ID answer as vendors print them: two little-endian 16-bit
    /// numbers, then three little-endian 32-bit ones (HslCommunication `ExtractSafeModuleNumber`).
    static func formatSAMID(_ d: [UInt8]) -> String? {
        guard d.count >= 16 else { return nil }
        func u16(_ i: Int) -> UInt32 { UInt32(d[i]) | UInt32(d[i + 1]) << 8 }
        func u32(_ i: Int) -> UInt32 { u16(i) | u16(i + 2) << 16 }
        func pad(_ v: UInt32, _ n: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, n - s.count)) + s
        }
        return "\(pad(u16(0), 2)).\(pad(u16(2), 2))-\(u32(4))-\(pad(u32(8), 10))-\(pad(u32(12), 10))"
    }

    // MARK: Polling (on the I/O queue)

    private func pollForCard(
        _ io: IOContext, deadline: ContinuousClock.Instant, seconds: Double, cancel: CancelFlag
    ) -> Result<IDCard, DeviceError> {
        Result { () throws(DeviceError) -> IDCard in
            if let card = io.freshHeld(within: options.holdPlacement) {
                io.held = nil  // each placement is read once
                return card
            }
            while true {
                if cancel.isSet { throw .cancelled(id: id) }
                guard ContinuousClock.now < deadline else { throw .timeout(id: id, seconds: seconds) }
                let found = try command(.findCard, io)
                if found.status.kind == .noCard {
                    pause(until: min(ContinuousClock.now + options.pollInterval, deadline), cancel: cancel)
                    continue
                }
                try requireCardSuccess(found, step: "find card")
                try requireCardSuccess(try command(.selectCard, io), step: "select card")
                let read = try command(.readBaseInfo, io)
                try requireCardSuccess(read, step: "read card")
                let card = try card(from: read.data)
                presentations.send(card.cardType)
                return card
            }
        }
    }

    /// A card-level refusal ends this read with a message the kiosk can show ("place the card
    /// again"); the reader's health is untouched, the reason kept as its last error.
    private func requireCardSuccess(_ r: SAMResponse, step: String) throws(DeviceError) {
        guard !r.status.isSuccess else { return }
        let message = "\(step): \(r.status)"
        box.mutate(assess: Self.assess) { _, note in note.record(message) }
        throw .fault(id: id, message: "card could not be read, place it again (\(message))")
    }

    /// The card from a 读卡 answer: text length and photo length (big-endian), the 256-byte
    /// text, the WLT photo (dropped here: never decoded, never stored).
    private func card(from data: [UInt8]) throws(DeviceError) -> IDCard {
        guard data.count >= 4 else { throw malformed("read answer of \(data.count) bytes") }
        let textLength = Int(data[0]) << 8 | Int(data[1])
        let photoLength = Int(data[2]) << 8 | Int(data[3])
        guard textLength == IDCardTextParser.length, data.count >= 4 + textLength + photoLength else {
            throw malformed("text length \(textLength), photo length \(photoLength), \(data.count) bytes")
        }
        do throws(IDCardTextError) {
            let text = try IDCardTextParser.parse(Array(data[4..<(4 + textLength)]))
            return try IDCard(text)
        } catch {
            let message = "card text unreadable: \(error)"
            box.mutate(assess: Self.assess) { _, note in note.record(message) }
            throw .fault(id: id, message: message)
        }
    }

    private func malformed(_ what: String) -> DeviceError {
        let message = SAMProtocolError.malformed(what).description
        box.mutate(assess: Self.assess) { s, note in
            s.failures += 1
            s.lastFailure = message
            note.record(message)
        }
        return .fault(id: id, message: message)
    }

    /// Sleeps in short slices so a cancelled read ends promptly.
    private func pause(until end: ContinuousClock.Instant, cancel: CancelFlag) {
        while !cancel.isSet {
            let left = end - ContinuousClock.now
            guard left > .zero else { return }
            let slice = min(left, .milliseconds(20))
            let micros = slice.components.seconds * 1_000_000 + slice.components.attoseconds / 1_000_000_000_000
            usleep(UInt32(max(1, micros)))
        }
    }

    // MARK: One command, with health (on the I/O queue)

    /// Sends one command, retrying a lost or garbled answer, and keeps the health in step.
    /// Returns any answer whose status is known and not a SAM fault.
    private func command(_ command: SAMCommand, _ io: IOContext) throws(DeviceError) -> SAMResponse {
        var attempt = 0
        while true {
            attempt += 1
            var session = try session(io)
            let outcome: Result<SAMResponse, SAMExchangeError>
            do throws(SAMExchangeError) {
                outcome = .success(try session.exchange(command, timeout: options.responseTimeout))
            } catch {
                outcome = .failure(error)
            }
            io.session = session
            switch outcome {
            case .success(let r):
                switch r.status.kind {
                case .success, .noCard, .cardError:
                    box.mutate(assess: Self.assess) { s, _ in
                        s.failures = 0
                        s.samFault = nil
                    }
                    return r
                case .samFault:
                    let message = "SAM fault: \(r.status)"
                    box.mutate(assess: Self.assess) { s, note in
                        s.samFault = message
                        note.record(message)
                    }
                    throw .fault(id: id, message: message)
                case .transmission:
                    let message = "\(command): \(r.status)"
                    failed(message)
                    if attempt < options.attempts { continue }
                    throw .fault(id: id, message: message)
                case .unknown:
                    let message = "\(command): \(r.status)"
                    failed(message)
                    throw .fault(id: id, message: message)
                }
            case .failure(.protocol(let e)):
                let message = "\(command): \(e)"
                failed(message)
                if attempt < options.attempts { continue }
                throw .fault(id: id, message: message)
            case .failure(.transport(let e)):
                switch e {
                case .timeout(let m):
                    failed(m)
                    if attempt < options.attempts { continue }
                    throw .timeout(id: id, seconds: options.responseTimeout.seconds)
                case .notFound, .disconnected:
                    closeSession(io, as: .absent, reason: e.description)
                    throw .unavailable(id: id, reason: e.description)
                case .permissionDenied, .busy, .io:
                    closeSession(io, as: .fault, reason: e.description)
                    throw .unavailable(id: id, reason: e.description)
                }
            }
        }
    }

    /// The open session, opening the port first if needed.
    private func session(_ io: IOContext) throws(DeviceError) -> SAMSession {
        if let s = io.session { return s }
        do {
            let t = try io.open()
            let s = SAMSession(transport: t)
            io.session = s
            box.mutate(assess: Self.assess) { s, _ in
                s.closed = nil
                s.failures = 0
            }
            return s
        } catch {
            let state: DeviceHealth.State
            switch error {
            case .notFound, .disconnected: state = .absent
            default: state = .fault
            }
            box.mutate(assess: Self.assess) { s, note in
                s.closed = (state, error.description)
                note.record(error.description)
            }
            throw .unavailable(id: id, reason: error.description)
        }
    }

    private func closeSession(_ io: IOContext, as state: DeviceHealth.State, reason: String) {
        io.session?.transport.close()
        io.session = nil
        box.mutate(assess: Self.assess) { s, note in
            s.closed = (state, reason)
            note.record(reason)
        }
    }

    private func failed(_ message: String) {
        box.mutate(assess: Self.assess) { s, note in
            s.failures += 1
            s.lastFailure = message
            note.record(message)
        }
    }

    static func assess(_ s: State) -> (DeviceHealth.State, String) {
        if let closed = s.closed { return (closed.state, closed.reason) }
        if let fault = s.samFault { return (.fault, fault) }
        if s.failures >= 3 { return (.fault, "reader not answering properly: \(s.lastFailure)") }
        if s.failures >= 1 { return (.degraded, s.lastFailure) }
        return (.ok, "ready")
    }

    private func onQueue<T: Sendable>(_ body: @escaping @Sendable (IOContext) -> T) async -> T {
        let io = self.io
        return await withCheckedContinuation { c in
            queue.async { c.resume(returning: body(io)) }
        }
    }
}
