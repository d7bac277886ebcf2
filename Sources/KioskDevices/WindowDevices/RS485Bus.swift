import Dispatch
import Foundation
import Synchronization

/// One RS-485 line (总线) and every window device on it: one serial port opened once, shared by
/// the `[[devices]]` entries with the same `path`.
///
/// Half duplex: one frame is on the wire at a time. A writer thread sends the queued frames in
/// order and, for a frame that is answered (a display's), waits for the answer or the timeout
/// before the next; a reader thread reads everything that arrives, sorts it with a
/// `BusFrameScanner` (display answers, keypad and evaluator frames, garbage), hands each answer to
/// the frame waiting for it and each key frame to the device at its address — also while a
/// display's answer is awaited, so no press is lost. A key frame is acknowledged before it is
/// acted on: the ack jumps the queue.
///
/// The port going away (the USB-RS485 adapter unplugged) makes every device on the bus `absent`;
/// the reader tries to open it again every `reopenInterval`, or at once on `reopen()` (hotplug).
public final class RS485Bus: Sendable {
    /// What the bus itself is doing, which every device on it reflects.
    public enum State: Sendable, Equatable {
        case open
        /// Not there (unplugged, no such port).
        case absent(String)
        /// There but unusable (permission denied, busy, an I/O error).
        case fault(String)
    }

    /// How a sent frame ended.
    public enum Outcome: Sendable, Equatable {
        /// Written (an unanswered frame), or answered with this reply.
        case sent
        case answered(LEDA5.Reply)
        /// No (valid) answer after every try.
        case noAnswer(tries: Int)
        /// The port is not open.
        case unavailable(String)
    }

    /// What a device on the bus asks to hear: key frames for its address.
    public typealias KeyFrameHandler = @Sendable (Keypad68.Frame) -> KeyFrameVerdict

    /// Whether a key frame is good for its device (acknowledge, then act) or ignored.
    public enum KeyFrameVerdict: Sendable {
        case accept(act: @Sendable () -> Void)
        case ignore(String)
    }

    struct Request: Sendable {
        var bytes: [UInt8]
        /// The display address whose answer the frame waits for; nil for an unanswered frame.
        var answeredBy: UInt16?
        var timeout: Duration
        var retries: Int
        var done: @Sendable (Outcome) -> Void
    }

    /// Counts a technician may ask for (`kioskctl devices` details, logs).
    public struct Counters: Sendable, Equatable {
        public var framesSent = 0
        public var answers = 0
        public var keyFrames = 0
        public var strayAnswers = 0
        public var unknownAddress = 0
        public var ignoredKeyFrames = 0
        public var rejected = 0
    }

    private struct Inner {
        var transport: (any ByteTransport)?
        var state: State = .absent("not opened yet")
        var queue: [Request] = []
        var awaiting: (address: UInt16, reply: LEDA5.Reply?)?
        var keyHandlers: [UInt8: KeyFrameHandler] = [:]
        var observers: [@Sendable (State) -> Void] = []
        var counters = Counters()
        var running = true
        /// The port is to be closed (unplugged, a write failed): the reader does it.
        var closeRequest: State?
    }

    public let path: String
    public let baud: Int
    public var endpoint: String { "\(path) @\(baud)" }
    private let inner = Mutex(Inner())
    /// Held by the writer around each write and by the reader around closing the port: the port
    /// is only ever closed by the reader thread, never while a write is using its descriptor —
    /// a descriptor closed under another thread's `poll` may already be someone else's file.
    private let io = Mutex(())
    private let open: @Sendable () throws(TransportError) -> any ByteTransport
    private let work = DispatchSemaphore(value: 0)
    private let answer = DispatchSemaphore(value: 0)
    private let reopenNow = DispatchSemaphore(value: 0)
    private let reopenInterval: Duration
    private let log: @Sendable (String) -> Void

    /// `open` opens the port (a `SerialTransport` at `baud`); `log` takes lines for the daemon's
    /// debug log (garbage, stray answers, ignored frames).
    public init(
        path: String, baud: Int, reopenInterval: Duration = .seconds(2),
        log: @escaping @Sendable (String) -> Void = { _ in },
        open: (@Sendable () throws(TransportError) -> any ByteTransport)? = nil
    ) {
        self.path = path
        self.baud = baud
        self.reopenInterval = reopenInterval
        self.log = log
        if let open {
            self.open = open
        } else {
            self.open = Self.serialOpener(path: path, baud: baud)
        }
    }

    static func serialOpener(path: String, baud: Int) -> @Sendable () throws(TransportError) -> any ByteTransport {
        { () throws(TransportError) -> any ByteTransport in try SerialTransport(path: path, baud: baud) }
    }

    /// Starts the reader and writer threads.
    public func start() {
        Thread { [self] in readLoop() }.start()
        Thread { [self] in writeLoop() }.start()
    }

    public func stop() {
        inner.withLock { $0.running = false }
        work.signal()
        reopenNow.signal()
    }

    /// Tries to open the port again now (udev says the adapter is back).
    public func reopen() { reopenNow.signal() }

    /// Closes the port now (udev says the adapter is gone): every device is `absent`.
    public func closePort(reason: String) { requestClose(.absent(reason)) }

    public var state: State { inner.withLock { $0.state } }
    public var counters: Counters { inner.withLock { $0.counters } }

    /// Follows the bus's state; called at once with the current one.
    public func observe(_ observer: @escaping @Sendable (State) -> Void) {
        let now = inner.withLock { s in
            s.observers.append(observer)
            return s.state
        }
        observer(now)
    }

    /// The device at `address` hears the key frames sent from it.
    public func listen(address: UInt8, _ handler: @escaping KeyFrameHandler) {
        inner.withLock { $0.keyHandlers[address] = handler }
    }

    /// Sends `bytes` after what is queued; a frame `answeredBy` a display address waits for its
    /// answer (`timeout` each try, `retries` more tries).
    public func send(_ bytes: [UInt8], answeredBy: UInt16? = nil, timeout: Duration = .milliseconds(300), retries: Int = 0) async -> Outcome {
        await withCheckedContinuation { (c: CheckedContinuation<Outcome, Never>) in
            enqueue(Request(bytes: bytes, answeredBy: answeredBy, timeout: timeout, retries: retries, done: { c.resume(returning: $0) }),
                first: false)
        }
    }

    private func enqueue(_ request: Request, first: Bool) {
        let refused: String? = inner.withLock { s in
            guard s.running else { return "the bus is stopped" }
            if first { s.queue.insert(request, at: 0) } else { s.queue.append(request) }
            return nil
        }
        if let refused { request.done(.unavailable(refused)) } else { work.signal() }
    }

    // MARK: Writer

    private func writeLoop() {
        while true {
            work.wait()
            let next = inner.withLock { s -> (Request, (any ByteTransport)?, State)?? in
                guard s.running else { return .some(nil) }
                guard !s.queue.isEmpty else { return .none }
                return .some((s.queue.removeFirst(), s.transport, s.state))
            }
            guard let taken = next else { continue }
            guard let (request, transport, state) = taken else { return }
            guard let transport else {
                request.done(.unavailable(Self.describe(state)))
                continue
            }
            request.done(exchange(request, on: transport))
        }
    }

    /// Writes the frame and, if it is answered, waits for the answer; tries again on silence.
    private func exchange(_ request: Request, on transport: any ByteTransport) -> Outcome {
        let tries = 1 + (request.answeredBy == nil ? 0 : request.retries)
        for _ in 0..<tries {
            if let address = request.answeredBy {
                inner.withLock { $0.awaiting = (address, nil) }
                while answer.wait(timeout: .now()) == .success {}  // a late answer's signal is stale
            }
            do {
                try io.withLock { _ throws(TransportError) in try transport.write(request.bytes, timeout: .seconds(2)) }
            } catch {
                inner.withLock { $0.awaiting = nil }
                requestClose(Self.state(for: error))
                return .unavailable(error.description)
            }
            inner.withLock { $0.counters.framesSent += 1 }
            guard request.answeredBy != nil else { return .sent }
            let deadline = DispatchTime.now() + .nanoseconds(Int(request.timeout.components.seconds * 1_000_000_000
                + request.timeout.components.attoseconds / 1_000_000_000))
            while answer.wait(timeout: deadline) == .success {
                if let reply = inner.withLock({ s -> LEDA5.Reply? in
                    defer { if s.awaiting?.reply != nil { s.awaiting = nil } }
                    return s.awaiting?.reply
                }) {
                    return .answered(reply)
                }
            }
            inner.withLock { $0.awaiting = nil }
        }
        return .noAnswer(tries: tries)
    }

    // MARK: Reader

    private func readLoop() {
        var scanner = BusFrameScanner()
        while inner.withLock({ $0.running }) {
            if let request = inner.withLock({ s -> State? in defer { s.closeRequest = nil }; return s.closeRequest }) {
                scanner = BusFrameScanner()
                closeTransport(request)
                continue
            }
            guard let transport = inner.withLock({ $0.transport }) ?? openPort() else {
                _ = reopenNow.wait(timeout: .now() + .milliseconds(Int(reopenInterval.components.seconds * 1000)))
                continue
            }
            let bytes: [UInt8]
            do {
                bytes = try transport.read(max: 512, timeout: .milliseconds(100))
            } catch {
                scanner = BusFrameScanner()
                closeTransport(Self.state(for: error))
                continue
            }
            if bytes.isEmpty {
                // Silence with half a frame buffered: the rest is not coming (a device reset
                // mid-frame); start clean so the next frame is read from its first byte.
                let dropped = scanner.abandonPartial()
                if dropped > 0 { note(rejected: 1, "dropped \(dropped) bytes of an unfinished frame") }
                continue
            }
            let before = scanner.rejections.total
            let frames = scanner.feed(bytes)
            let rejected = scanner.rejections.total - before
            if rejected > 0 { note(rejected: rejected, scanner.lastRejection.map { "\($0)" } ?? "bad frame") }
            for frame in frames { dispatch(frame) }
        }
        let transport = inner.withLock { s -> (any ByteTransport)? in
            defer { s.transport = nil }
            return s.transport
        }
        io.withLock { _ in transport?.close() }
    }

    private func dispatch(_ frame: BusFrame) {
        switch frame {
        case .ledReply(let reply):
            let taken = inner.withLock { s -> Bool in
                s.counters.answers += 1
                guard let waiting = s.awaiting, waiting.address == reply.address, waiting.reply == nil else {
                    s.counters.strayAnswers += 1
                    return false
                }
                s.awaiting?.reply = reply
                return true
            }
            if taken { answer.signal() } else { log("\(endpoint): an answer from address \(reply.address) nobody waits for (late, or another address)") }
        case .keypad(let keyFrame, let raw):
            let handler = inner.withLock { s -> KeyFrameHandler? in
                s.counters.keyFrames += 1
                let h = s.keyHandlers[keyFrame.address]
                if h == nil { s.counters.unknownAddress += 1 }
                return h
            }
            guard let handler else {
                log("\(endpoint): a key frame from address \(keyFrame.address), which no [[devices]] entry has; ignored")
                return
            }
            switch handler(keyFrame) {
            case .accept(let act):
                // Acknowledge first (the device stops repeating), then act.
                enqueue(Request(bytes: raw, answeredBy: nil, timeout: .zero, retries: 0, done: { _ in }), first: true)
                act()
            case .ignore(let why):
                inner.withLock { $0.counters.ignoredKeyFrames += 1 }
                log("\(endpoint): key frame from address \(keyFrame.address) ignored: \(why)")
            }
        }
    }

    private func note(rejected: Int, _ why: String) {
        inner.withLock { $0.counters.rejected += rejected }
        log("\(endpoint): \(why)")
    }

    // MARK: The port

    private func openPort() -> (any ByteTransport)? {
        do {
            let transport = try open()
            transport.discardInput()
            setState(.open) { $0.transport = transport }
            return transport
        } catch {
            setState(Self.state(for: error)) { _ in }
            return nil
        }
    }

    /// Asks the reader thread to close the port (it does within its read timeout).
    private func requestClose(_ state: State) {
        inner.withLock { $0.closeRequest = state }
        answer.signal()
    }

    /// Closes the port; the reader thread only.
    private func closeTransport(_ state: State) {
        let transport = inner.withLock { s -> (any ByteTransport)? in
            defer { s.transport = nil }
            return s.transport
        }
        io.withLock { _ in transport?.close() }
        setState(state) { _ in }
        answer.signal()
    }

    private func setState(_ state: State, _ body: (inout Inner) -> Void) {
        let observers = inner.withLock { s -> [@Sendable (State) -> Void] in
            body(&s)
            guard s.state != state else { return [] }
            s.state = state
            return s.observers
        }
        for o in observers { o(state) }
    }

    static func state(for error: TransportError) -> State {
        switch error {
        case .notFound, .disconnected: .absent(error.description)
        default: .fault(error.description)
        }
    }

    static func describe(_ state: State) -> String {
        switch state {
        case .open: "open"
        case .absent(let why), .fault(let why): why
        }
    }
}
