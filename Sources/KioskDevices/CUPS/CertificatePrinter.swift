import CCups
import Foundation
import KioskCore

/// A certificate printer (证照打印机) behind a CUPS queue: `[[devices]] kind =
/// "certificate-printer", transport = "cups", queue = "…"`.
///
/// What it adds to `CUPSConnection`: the queue it prints to, and health from the queue's status
/// (`CertificatePrinterHealth` has the rules: out of paper, jam, cover open, queue stopped or not
/// accepting → `fault`; paper or toner low → `degraded`; queue or printer not there → `absent`;
/// cupsd down → `fault`). `status()` and the optional polling refresh it; a failed operation
/// refreshes it too, so an error and the health agree.
///
/// What it does not decide: whether to send a job to a faulty printer, when to give up on a
/// processing job, or which printer of a pool comes next. It submits whatever it is given (CUPS
/// queues jobs on a stopped queue or while out of paper) and reports; the certificate pipeline
/// decides on top of `submit`, `job`, `jobs(named:)`, `resume` and the health.
///
/// Threading: every libcups call runs on the connection's serial queue; printers may share one
/// connection (one `http_t`) or each have their own.
public final class CertificatePrinter: Device {
    public struct Options: Sendable {
        /// Check that the printer behind a network device URI (`ipp://`, `ipps://`, `socket://`,
        /// `lpd://`, `http(s)://`) accepts a TCP connection, when cupsd runs on this machine. CUPS
        /// itself reports an unreachable printer only in `printer-state-message`, and only while a
        /// job is trying.
        public var probeDevice: Bool
        /// How long that connection may take.
        public var probeTimeout: Duration
        /// Timeouts of the connection to cupsd, when the printer makes its own.
        public var connection: CUPSConnection.Options

        public init(
            probeDevice: Bool = true, probeTimeout: Duration = .seconds(2),
            connection: CUPSConnection.Options = CUPSConnection.Options()
        ) {
            self.probeDevice = probeDevice
            self.probeTimeout = probeTimeout
            self.connection = connection
        }
    }

    public let id: String
    public let kind = DeviceConfig.Kind.certificatePrinter
    public let transport = DeviceConfig.Transport.cups
    public let endpoint: String
    /// The CUPS queue (printer name in cupsd).
    public let queue: String
    public let connection: CUPSConnection
    public let options: Options

    private let box: DeviceStateBox<CertificatePrinterHealth.Inputs>
    private let poller = DevicePoller()

    /// A printer on `queue` through an existing connection (shared by a pool, or the daemon's).
    /// Nothing is asked yet: the health is `absent` "not asked yet" until `status()` or a poll.
    public init(
        id: String, queue: String, connection: CUPSConnection, options: Options = Options(),
        clock: any HallClock = SystemClock()
    ) {
        self.id = id
        self.queue = queue
        self.connection = connection
        self.options = options
        endpoint = "cups:\(queue)"
        box = DeviceStateBox(
            CertificatePrinterHealth.Inputs(queue: queue),
            health: DeviceHealth(state: .absent, reason: "not asked yet", since: clock.now()), clock: clock)
    }

    /// A printer on `queue` of the cupsd at `server` (a socket path or `host:port`; nil: libcups'
    /// default, i.e. `CUPS_SERVER` or `/run/cups/cups.sock`), with a connection of its own.
    public convenience init(
        id: String, queue: String, server: CUPSServer? = nil, options: Options = Options(),
        clock: any HallClock = SystemClock()
    ) {
        self.init(
            id: id, queue: queue, connection: CUPSConnection(server: server, options: options.connection),
            options: options, clock: clock)
    }

    /// The printer of a `[[devices]]` entry with `transport = "cups"` and `queue`. The cupsd is
    /// `server` when given, else the entry's `path` (a socket) or `host`/`port`, else libcups'
    /// default.
    public convenience init(
        config: DeviceConfig, server: CUPSServer? = nil, options: Options = Options(),
        clock: any HallClock = SystemClock()
    ) throws(DeviceError) {
        guard config.transport == .cups else {
            throw .invalidConfig(id: config.id, message: "a certificate printer needs transport \"cups\"")
        }
        guard let queue = config.queue, !queue.isEmpty else {
            throw .invalidConfig(id: config.id, message: "a CUPS printer needs `queue`")
        }
        var chosen = server
        if chosen == nil, let path = config.path, path.hasPrefix("/") {
            chosen = CUPSServer(path)
        } else if chosen == nil, let host = config.host {
            chosen = config.port.map { CUPSServer(host: host, port: $0) } ?? CUPSServer(host)
        }
        self.init(id: config.id, queue: queue, server: chosen, options: options, clock: clock)
    }

    deinit {
        poller.stop()
    }

    public var health: DeviceHealth { box.health }

    public func observeHealth(_ observer: @escaping @Sendable (DeviceHealth) -> Void) {
        box.observe(observer)
    }

    /// The queue's status as last read (nil before the first read or while cupsd is unreachable).
    public var lastStatus: CUPSPrinterStatus? { box.state.printer }

    // MARK: Status

    /// Asks cupsd (and the printer's address, see `Options.probeDevice`) now.
    public func status() async -> CertificatePrinterStatus {
        await connection.run { [self] session in refresh(session) }
    }

    /// Refreshes the status every `interval` on the connection's queue, so paper out, a stopped
    /// queue or a printer gone show up between jobs. Replaces an earlier schedule.
    public func startPolling(every interval: Duration) {
        let connection = self.connection
        poller.start(every: interval, on: connection.queue) { [weak self] in
            guard let self else { return false }
            // cupsd unreachable: retried with backoff, like every device.
            return self.refresh(connection.sessionOnQueue()).error == nil
        }
    }

    public func stopPolling() { poller.stop() }

    // MARK: Jobs

    /// Prints the PDF at `documentPath` as a CUPS job named `jobName` (the attempt id). Returns
    /// the job id. See `CUPSConnection.submit` for what is (never) repeated.
    public func submit(documentPath: String, jobName: String, copies: Int = 1) async throws(CUPSError) -> Int {
        guard FileManager.default.isReadableFile(atPath: documentPath) else {
            let reason = FileManager.default.fileExists(atPath: documentPath) ? "permission denied" : "no such file"
            throw .documentUnreadable(path: documentPath, reason: reason)
        }
        return try await perform { [queue] s throws(CUPSError) in
            try CUPSConnection.submit(
                s, queue: queue, document: .file(documentPath), jobName: jobName, copies: copies,
                format: "application/pdf")
        }
    }

    /// Prints the PDF `data` as a CUPS job named `jobName`. Returns the job id.
    public func submit(data: Data, jobName: String, copies: Int = 1) async throws(CUPSError) -> Int {
        let bytes = [UInt8](data)
        return try await perform { [queue] s throws(CUPSError) in
            try CUPSConnection.submit(
                s, queue: queue, document: .bytes(bytes), jobName: jobName, copies: copies, format: "application/pdf")
        }
    }

    /// Job `id`'s state (any queue: a job id is unique in a cupsd).
    public func job(_ id: Int) async throws(CUPSError) -> CUPSJob {
        try await perform { s throws(CUPSError) in try s.job(id) }
    }

    /// This queue's jobs named `named` (all when nil), including finished ones by default,
    /// oldest first: how a restarted daemon finds the job of an attempt it had submitted.
    public func jobs(named: String? = nil, which: CUPSWhichJobs = .all) async throws(CUPSError) -> [CUPSJob] {
        try await perform { [queue] s throws(CUPSError) in
            let all = try s.jobs(queue: queue, which: which)
            guard let named else { return all }
            return all.filter { $0.name == named }
        }
    }

    public func cancel(jobID: Int) async throws(CUPSError) {
        try await perform { s throws(CUPSError) in try s.cancel(jobID: jobID) }
    }

    // MARK: Queue control

    /// Starts the queue again and lets it accept jobs (`cupsenable` + `cupsaccept`), then reads
    /// the status: what `auto_resume = true` does for a queue CUPS's error policy stopped.
    @discardableResult
    public func resume() async throws(CUPSError) -> CertificatePrinterStatus {
        try await perform { [queue] s throws(CUPSError) in
            try s.printerOperation(IPP_OP_RESUME_PRINTER, name: "Resume-Printer", queue: queue)
            try s.printerOperation(IPP_OP_CUPS_ACCEPT_JOBS, name: "CUPS-Accept-Jobs", queue: queue)
        }
        return await status()
    }

    /// Forgets the printer reasons CUPS kept from the last job (a technician cleared the jam),
    /// then reads the status.
    @discardableResult
    public func clearReasons() async throws(CUPSError) -> CertificatePrinterStatus {
        try await perform { [queue] s throws(CUPSError) in try s.clearReasons(queue) }
        return await status()
    }

    // MARK: On the connection's queue

    /// Reads the queue status (and probes the device), updates the health, returns both.
    @discardableResult
    func refresh(_ session: CUPSSession) -> CertificatePrinterStatus {
        var inputs = CertificatePrinterHealth.Inputs(queue: queue)
        var error: CUPSError?
        do throws(CUPSError) {
            let p = try session.printer(queue)
            inputs.printer = p
            if options.probeDevice, session.server.isLocal, let uri = p.deviceURI {
                inputs.deviceUnreachable = CUPSSession.probe(deviceURI: uri, timeout: options.probeTimeout)
            }
        } catch let e {
            error = e
            switch e {
            case .serverUnreachable(_, let reason): inputs.serverUnreachable = reason
            case .queueNotFound: inputs.queueMissing = true
            default: inputs = box.state  // could not tell: keep what was known
            }
        }
        let note = error?.description ?? inputs.deviceUnreachable.map { "printer not reachable: \($0)" }
        box.mutate(assess: CertificatePrinterHealth.assess) { s, n in
            s = inputs
            if let note { n.record(note) }
        }
        return CertificatePrinterStatus(printer: inputs.printer, health: box.health, error: error)
    }

    private func perform<T: Sendable>(_ body: @escaping @Sendable (CUPSSession) throws(CUPSError) -> T)
        async throws(CUPSError) -> T
    {
        let result: Result<T, CUPSError> = await connection.run { [self] s in
            do throws(CUPSError) {
                return .success(try body(s))
            } catch {
                // Let the health say the same as the error (server down, queue gone, stopped…).
                switch error {
                case .jobNotFound, .documentUnreadable: break
                default: refresh(s)
                }
                return .failure(error)
            }
        }
        return try result.get()
    }
}

/// `CertificatePrinter.status()`: the queue's status as read now and the health it gives.
public struct CertificatePrinterStatus: Sendable, Equatable {
    /// nil when cupsd or the queue could not be asked (see `error`).
    public var printer: CUPSPrinterStatus?
    public var health: DeviceHealth
    /// Why the status could not be read, if it could not.
    public var error: CUPSError?

    public init(printer: CUPSPrinterStatus?, health: DeviceHealth, error: CUPSError? = nil) {
        self.printer = printer
        self.health = health
        self.error = error
    }
}
