import CCups
import Dispatch
import Foundation

/// A connection to one cupsd, thread-safe, with an async API.
///
/// Why its own dispatch queue: every libcups call blocks on the socket (a Get-Jobs is ~1 ms on a
/// local socket, a stalled network server up to `ioTimeout`), so all of them run on a serial
/// queue owned by this connection, never on the Swift concurrency pool. One `http_t` per
/// connection, opened on first use and reopened after cupsd went away.
///
/// The server is fixed at creation: an explicit one (`/tmp/x/cups.sock`, `host:port`) or, when
/// nil, libcups' own choice (`CUPS_SERVER`, client.conf, `/run/cups/cups.sock`).
///
/// Exactly-once printing rests on job names: `submit` names the CUPS job after the attempt, and
/// `jobs(queue:named:)` finds it again (with finished jobs: `which: .all`) from any later
/// connection, so a daemon restarted after a crash asks CUPS instead of printing again. CUPS
/// shows a job's name only to its owner and to admins (`JobPrivateValues`): reconcile as the
/// same user that submitted.
public final class CUPSConnection: Sendable {
    public struct Options: Sendable {
        /// How long connecting to cupsd may take.
        public var connectTimeout: Duration
        /// How long cupsd may take to answer one request.
        public var ioTimeout: Duration

        public init(connectTimeout: Duration = .seconds(5), ioTimeout: Duration = .seconds(30)) {
            self.connectTimeout = connectTimeout
            self.ioTimeout = ioTimeout
        }
    }

    /// Only touched on `queue`.
    final class Context: @unchecked Sendable {
        let session: CUPSSession
        init(session: CUPSSession) { self.session = session }
    }

    public let server: CUPSServer
    public let options: Options
    let queue: DispatchQueue
    private let context: Context

    /// A connection to `server`, or to libcups' default server when nil. Nothing is opened yet.
    public init(server: CUPSServer? = nil, options: Options = Options()) {
        let server = server ?? .default
        self.server = server
        self.options = options
        queue = DispatchQueue(label: "kioskd.cups.\(server)")
        context = Context(
            session: CUPSSession(server: server, connectTimeout: options.connectTimeout, ioTimeout: options.ioTimeout))
    }

    /// A connection to the server written as `CUPS_SERVER` takes it (`/tmp/x/cups.sock`,
    /// `host:port`); nil or empty means libcups' default.
    public convenience init(server: String?, options: Options = Options()) {
        self.init(server: server.flatMap(CUPSServer.init), options: options)
    }

    deinit {
        let context = self.context
        queue.async { context.session.close() }
    }

    /// Closes the `http_t`; the next operation opens a new one.
    public func close() async {
        await run { $0.close() }
    }

    // MARK: Jobs

    /// Prints the file at `documentPath` on `queue` as a job named `jobName`: Create-Job, then
    /// Send-Document (`format`, PDF by default). Returns the CUPS job id.
    ///
    /// Never repeated by itself: when the answer to Create-Job is lost the job may exist, so the
    /// error is `serverUnreachable` and the caller reconciles by name. When the document cannot
    /// be sent after the job was created, the job is cancelled (best effort) and the error is
    /// `documentNotSent` with its id.
    public func submit(
        queue: String, documentPath: String, jobName: String, copies: Int = 1, format: String = "application/pdf"
    ) async throws(CUPSError) -> Int {
        guard FileManager.default.isReadableFile(atPath: documentPath) else {
            let reason = FileManager.default.fileExists(atPath: documentPath) ? "permission denied" : "no such file"
            throw .documentUnreadable(path: documentPath, reason: reason)
        }
        return try await perform { s throws(CUPSError) in
            try Self.submit(s, queue: queue, document: .file(documentPath), jobName: jobName, copies: copies, format: format)
        }
    }

    /// Prints `data` (a PDF by default) on `queue` as a job named `jobName`. See the file variant.
    public func submit(
        queue: String, data: Data, jobName: String, copies: Int = 1, format: String = "application/pdf"
    ) async throws(CUPSError) -> Int {
        let bytes = [UInt8](data)
        return try await perform { s throws(CUPSError) in
            try Self.submit(s, queue: queue, document: .bytes(bytes), jobName: jobName, copies: copies, format: format)
        }
    }

    static func submit(
        _ s: CUPSSession, queue: String, document: CUPSSession.Document, jobName: String, copies: Int, format: String
    ) throws(CUPSError) -> Int {
        let id = try s.createJob(queue: queue, jobName: jobName, copies: copies)
        do {
            try s.sendDocument(queue: queue, jobID: id, document: document, format: format)
        } catch {
            try? s.cancel(jobID: id)
            throw .documentNotSent(queue: queue, jobID: id, message: error.description)
        }
        return id
    }

    /// Job `id`: state, reasons, printer message, name.
    public func job(_ id: Int) async throws(CUPSError) -> CUPSJob {
        try await perform { s throws(CUPSError) in try s.job(id) }
    }

    /// The jobs of `queue` (all queues when nil), optionally only those named `named`, oldest
    /// first. `which: .all` includes finished jobs still in CUPS's history.
    public func jobs(queue: String? = nil, named: String? = nil, which: CUPSWhichJobs = .all) async throws(CUPSError)
        -> [CUPSJob]
    {
        try await perform { s throws(CUPSError) in
            let all = try s.jobs(queue: queue, which: which)
            guard let named else { return all }
            return all.filter { $0.name == named }
        }
    }

    /// Cancel-Job; cancelling a finished job is not an error.
    public func cancel(jobID: Int) async throws(CUPSError) {
        try await perform { s throws(CUPSError) in try s.cancel(jobID: jobID) }
    }

    // MARK: Queues

    /// The queue's `printer-state`, `printer-state-reasons`, message, whether it accepts jobs,
    /// and its device URI.
    public func printer(_ queue: String) async throws(CUPSError) -> CUPSPrinterStatus {
        try await perform { s throws(CUPSError) in try s.printer(queue) }
    }

    /// Resume-Printer: starts a stopped queue again (`cupsenable`). Admin operation.
    public func resume(_ queue: String) async throws(CUPSError) {
        try await perform { s throws(CUPSError) in
            try s.printerOperation(IPP_OP_RESUME_PRINTER, name: "Resume-Printer", queue: queue)
        }
    }

    /// CUPS-Accept-Jobs: lets the queue take new jobs again (`cupsaccept`). Admin operation.
    public func accept(_ queue: String) async throws(CUPSError) {
        try await perform { s throws(CUPSError) in
            try s.printerOperation(IPP_OP_CUPS_ACCEPT_JOBS, name: "CUPS-Accept-Jobs", queue: queue)
        }
    }

    /// Pause-Printer: stops the queue (`cupsdisable -r reason`). Admin operation.
    public func pause(_ queue: String, reason: String? = nil) async throws(CUPSError) {
        try await perform { s throws(CUPSError) in
            try s.printerOperation(IPP_OP_PAUSE_PRINTER, name: "Pause-Printer", queue: queue, message: reason)
        }
    }

    /// CUPS-Reject-Jobs: the queue refuses new jobs (`cupsreject -r reason`). Admin operation.
    public func reject(_ queue: String, reason: String? = nil) async throws(CUPSError) {
        try await perform { s throws(CUPSError) in
            try s.printerOperation(IPP_OP_CUPS_REJECT_JOBS, name: "CUPS-Reject-Jobs", queue: queue, message: reason)
        }
    }

    /// Forgets the printer reasons CUPS kept from earlier jobs (a `media-jam-report` stays on an
    /// idle queue until the next job otherwise): for a technician who cleared the fault.
    /// Admin operation (CUPS-Add-Modify-Printer).
    public func clearReasons(_ queue: String) async throws(CUPSError) {
        try await perform { s throws(CUPSError) in try s.clearReasons(queue) }
    }

    // MARK: Queue plumbing

    /// Runs `body` on the connection's queue with its session.
    func run<T: Sendable>(_ body: @escaping @Sendable (CUPSSession) -> T) async -> T {
        let context = self.context
        return await withCheckedContinuation { c in
            queue.async { c.resume(returning: body(context.session)) }
        }
    }

    private func perform<T: Sendable>(_ body: @escaping @Sendable (CUPSSession) throws(CUPSError) -> T)
        async throws(CUPSError) -> T
    {
        let result: Result<T, CUPSError> = await run { s in
            do throws(CUPSError) { return .success(try body(s)) } catch { return .failure(error) }
        }
        return try result.get()
    }

    /// The session, for code already running on `queue` (the status poll timer).
    func sessionOnQueue() -> CUPSSession {
        dispatchPrecondition(condition: .onQueue(queue))
        return context.session
    }
}
