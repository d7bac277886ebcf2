/// Why a CUPS operation failed, in words a technician can act on.
///
/// The cases the certificate pipeline decides on are separate (server down, no such queue,
/// queue refusing jobs, job unknown, a job created whose document did not arrive); everything
/// else CUPS answers is `.ipp` with the IPP status name and CUPS's own message.
public enum CUPSError: Error, Sendable, Equatable, CustomStringConvertible {
    /// cupsd does not answer at `server` (not running, wrong socket or port, network down).
    case serverUnreachable(server: String, reason: String)
    /// cupsd has no queue of that name.
    case queueNotFound(queue: String, server: String)
    /// cupsd knows no job with that id (never existed, or purged from the history).
    case jobNotFound(id: Int)
    /// The queue rejects new jobs (`cupsreject`, or CUPS's own error policy).
    case notAccepting(queue: String, message: String)
    /// The operation needs rights the daemon's user lacks (Resume-Printer, Accept-Jobs and
    /// clearing reasons are admin operations: the user must be in CUPS's SystemGroup, `lpadmin`).
    case notAuthorized(operation: String, message: String)
    /// The document to print cannot be read.
    case documentUnreadable(path: String, reason: String)
    /// Create-Job made job `jobID` but its document did not reach cupsd; the job was cancelled
    /// (best effort). Reconcile by job name before printing the attempt again.
    case documentNotSent(queue: String, jobID: Int, message: String)
    /// Any other refusal: the operation, the IPP status keyword ("client-error-bad-request") and
    /// code, and CUPS's message.
    case ipp(operation: String, status: String, code: Int, message: String)

    /// A short stable name of the case, for logs and `error.data`.
    public var code: String {
        switch self {
        case .serverUnreachable: "cups_unreachable"
        case .queueNotFound: "queue_not_found"
        case .jobNotFound: "job_not_found"
        case .notAccepting: "not_accepting"
        case .notAuthorized: "not_authorized"
        case .documentUnreadable: "document_unreadable"
        case .documentNotSent: "document_not_sent"
        case .ipp: "ipp_error"
        }
    }

    public var description: String {
        switch self {
        case .serverUnreachable(let server, let reason):
            "CUPS is not reachable at \(server): \(reason) (is cupsd running? `lpstat -h \(server) -r`)"
        case .queueNotFound(let queue, let server):
            "CUPS at \(server) has no queue \"\(queue)\" (`lpstat -h \(server) -p` lists the queues; "
                + "`lpadmin -p \(queue) -E -v <uri> -m everywhere` adds it)"
        case .jobNotFound(let id):
            "CUPS has no job \(id) (it never existed or left the job history)"
        case .notAccepting(let queue, let message):
            "queue \"\(queue)\" is not accepting jobs"
                + (message.isEmpty ? "" : ": \(message)") + " (`cupsaccept \(queue)` lets it take jobs again)"
        case .notAuthorized(let operation, let message):
            "CUPS refused \(operation): \(message) (the daemon's user must be in CUPS's SystemGroup, usually `lpadmin`)"
        case .documentUnreadable(let path, let reason):
            "cannot read the document \(path): \(reason)"
        case .documentNotSent(let queue, let jobID, let message):
            "job \(jobID) on \"\(queue)\" was created but its document did not arrive: \(message)"
        case .ipp(let operation, let status, let code, let message):
            "CUPS refused \(operation): \(status) (0x\(String(code, radix: 16, uppercase: false)))"
                + (message.isEmpty || message == status ? "" : ": \(message)")
        }
    }

    /// The device-level error for the daemon's answers (`device_unavailable` with this message).
    public func deviceError(id: String) -> DeviceError {
        switch self {
        case .serverUnreachable, .queueNotFound: .unavailable(id: id, reason: description)
        case .documentUnreadable: .invalidJob(id: id, message: description)
        default: .fault(id: id, message: description)
        }
    }
}
