import CCups
import Foundation

/// One connection to cupsd (a libcups `http_t`) and the blocking IPP operations on it.
///
/// Not thread-safe, on purpose: `CUPSConnection` owns one and uses it only on its own serial
/// queue. libcups keeps `cupsLastError()` per thread, so each operation reads it in the same
/// block that made the call.
///
/// Connection handling: connected on first use; when a request gets no answer at all (cupsd
/// stopped or restarted), the `http_t` is closed, and read-only or repeatable operations are
/// tried once more on a fresh connection. Creating a job never is: a lost answer to Create-Job
/// may still have created it, and only reconciliation by job name can tell.
final class CUPSSession {
    let server: CUPSServer
    let connectTimeout: Duration
    let ioTimeout: Duration
    private var http: OpaquePointer?

    init(server: CUPSServer, connectTimeout: Duration, ioTimeout: Duration) {
        self.server = server
        self.connectTimeout = connectTimeout
        self.ioTimeout = ioTimeout
    }

    deinit { close() }

    func close() {
        if let http { httpClose(http) }
        http = nil
    }

    var isConnected: Bool { http != nil }

    // MARK: Operations

    /// Create-Job on `queue`, named `jobName`. Returns the job id. Never repeated by itself.
    func createJob(queue: String, jobName: String, copies: Int) throws(CUPSError) -> Int {
        let user = Self.user
        let groups = try send(
            operation: "Create-Job", resource: "/printers/\(Self.escape(queue))", queue: queue, repeatable: false,
            groupTag: IPP_TAG_JOB
        ) {
            var req = IPPRequest(IPP_OP_CREATE_JOB)
            req.add(IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", Self.printerURI(queue))
            req.add(IPP_TAG_OPERATION, IPP_TAG_NAME, "requesting-user-name", user)
            req.add(IPP_TAG_OPERATION, IPP_TAG_NAME, "job-name", jobName)
            if copies != 1 { req.add(IPP_TAG_JOB, "copies", integer: copies) }
            return req
        }
        guard let id = groups.first?["job-id"]?.int, id > 0 else {
            throw .ipp(operation: "Create-Job", status: "no job-id in the answer", code: 0, message: "")
        }
        return id
    }

    /// Send-Document with the whole document, as the last (only) one of job `jobID`.
    func sendDocument(queue: String, jobID: Int, document: Document, format: String) throws(CUPSError) {
        var req = IPPRequest(IPP_OP_SEND_DOCUMENT)
        req.add(IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", Self.printerURI(queue))
        req.add(IPP_TAG_OPERATION, "job-id", integer: jobID)
        req.add(IPP_TAG_OPERATION, IPP_TAG_NAME, "requesting-user-name", Self.user)
        if case .file(let path) = document {
            req.add(IPP_TAG_OPERATION, IPP_TAG_NAME, "document-name", (path as NSString).lastPathComponent)
        }
        req.add(IPP_TAG_OPERATION, IPP_TAG_MIMETYPE, "document-format", format)
        req.add(IPP_TAG_OPERATION, "last-document", bool: true)
        let resource = "/printers/\(Self.escape(queue))"
        let http = try connection()
        prepareThread()
        let response: OpaquePointer?
        switch document {
        case .file(let path):
            response = cupsDoFileRequest(http, req.take(), resource, path)
        case .bytes(let bytes):
            // Chunked (CUPS_LENGTH_VARIABLE = 0), as cupsStartDocument does: with an explicit
            // length cupsd takes the document but libcups fails to read the answer.
            // cupsSendRequest does not free the request: it is freed here, after the answer.
            let request = req.take()
            defer { ippDelete(request) }
            var status = cupsSendRequest(http, request, resource, 0)
            var offset = 0
            while status == HTTP_STATUS_CONTINUE, offset < bytes.count {
                let n = min(65_536, bytes.count - offset)
                status = bytes.withUnsafeBytes { raw in
                    cupsWriteRequestData(http, raw.baseAddress!.assumingMemoryBound(to: CChar.self) + offset, n)
                }
                offset += n
            }
            response = status == HTTP_STATUS_CONTINUE ? cupsGetResponse(http, resource) : nil
        }
        _ = try check(response, operation: "Send-Document", queue: queue, jobID: jobID, groupTag: IPP_TAG_JOB)
    }

    func job(_ id: Int) throws(CUPSError) -> CUPSJob {
        let user = Self.user
        let groups = try send(
            operation: "Get-Job-Attributes", resource: "/jobs/", jobID: id, repeatable: true, groupTag: IPP_TAG_JOB
        ) {
            var req = IPPRequest(IPP_OP_GET_JOB_ATTRIBUTES)
            req.add(IPP_TAG_OPERATION, IPP_TAG_URI, "job-uri", "ipp://localhost/jobs/\(id)")
            req.add(IPP_TAG_OPERATION, IPP_TAG_NAME, "requesting-user-name", user)
            req.add(IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes", Self.jobAttributes)
            return req
        }
        guard let g = groups.first, let job = Self.job(from: g) else { throw .jobNotFound(id: id) }
        return job
    }

    /// Get-Jobs on `queue` (all queues when nil), any user's, oldest first.
    func jobs(queue: String?, which: CUPSWhichJobs) throws(CUPSError) -> [CUPSJob] {
        let user = Self.user
        let groups = try send(
            operation: "Get-Jobs", resource: "/", queue: queue, repeatable: true, groupTag: IPP_TAG_JOB
        ) {
            var req = IPPRequest(IPP_OP_GET_JOBS)
            req.add(
                IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", queue.map { Self.printerURI($0) } ?? "ipp://localhost/")
            req.add(IPP_TAG_OPERATION, IPP_TAG_NAME, "requesting-user-name", user)
            req.add(IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "which-jobs", which.rawValue)
            req.add(IPP_TAG_OPERATION, "my-jobs", bool: false)
            req.add(IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes", Self.jobAttributes)
            return req
        }
        return groups.compactMap(Self.job(from:)).sorted { $0.id < $1.id }
    }

    func printer(_ queue: String) throws(CUPSError) -> CUPSPrinterStatus {
        let user = Self.user
        let groups = try send(
            operation: "Get-Printer-Attributes", resource: "/", queue: queue, repeatable: true,
            groupTag: IPP_TAG_PRINTER
        ) {
            var req = IPPRequest(IPP_OP_GET_PRINTER_ATTRIBUTES)
            req.add(IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", Self.printerURI(queue))
            req.add(IPP_TAG_OPERATION, IPP_TAG_NAME, "requesting-user-name", user)
            req.add(
                IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes",
                [
                    "printer-name", "printer-state", "printer-state-reasons", "printer-state-message",
                    "printer-is-accepting-jobs", "device-uri", "queued-job-count",
                ])
            return req
        }
        guard let g = groups.first else { throw .queueNotFound(queue: queue, server: server.description) }
        return CUPSPrinterStatus(
            queue: g["printer-name"]?.string ?? queue,
            state: g["printer-state"]?.int.flatMap(CUPSPrinterStatus.State.init(ipp:)) ?? .idle,
            reasons: (g["printer-state-reasons"]?.strings ?? []).filter { $0 != "none" },
            message: g["printer-state-message"]?.string ?? "",
            isAcceptingJobs: g["printer-is-accepting-jobs"]?.bool ?? true,
            deviceURI: g["device-uri"]?.string,
            queuedJobCount: g["queued-job-count"]?.int)
    }

    /// A printer operation without answer data: Resume-Printer, Pause-Printer, CUPS-Accept-Jobs,
    /// CUPS-Reject-Jobs (admin operations, sent to `/admin/`).
    func printerOperation(_ op: ipp_op_t, name: String, queue: String, message: String? = nil) throws(CUPSError) {
        let user = Self.user
        _ = try send(operation: name, resource: "/admin/", queue: queue, repeatable: true, groupTag: IPP_TAG_ZERO) {
            var req = IPPRequest(op)
            req.add(IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", Self.printerURI(queue))
            req.add(IPP_TAG_OPERATION, IPP_TAG_NAME, "requesting-user-name", user)
            if let message, !message.isEmpty {
                req.add(IPP_TAG_OPERATION, IPP_TAG_TEXT, "printer-state-message", message)
            }
            return req
        }
    }

    /// CUPS-Add-Modify-Printer with `printer-state-reasons = none`: forgets the reasons the
    /// printer reported during earlier jobs (a jam a technician has cleared).
    func clearReasons(_ queue: String) throws(CUPSError) {
        // CUPS-Add-Modify-Printer would create a queue that does not exist: make sure it does.
        _ = try printer(queue)
        let user = Self.user
        _ = try send(
            operation: "clear printer-state-reasons", resource: "/admin/", queue: queue, repeatable: true,
            groupTag: IPP_TAG_ZERO
        ) {
            var req = IPPRequest(IPP_OP_CUPS_ADD_MODIFY_PRINTER)
            req.add(IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", Self.printerURI(queue))
            req.add(IPP_TAG_OPERATION, IPP_TAG_NAME, "requesting-user-name", user)
            req.add(IPP_TAG_PRINTER, IPP_TAG_KEYWORD, "printer-state-reasons", "none")
            return req
        }
    }

    /// Cancel-Job. Cancelling a job that already finished is not an error.
    func cancel(jobID: Int) throws(CUPSError) {
        let user = Self.user
        do {
            _ = try send(
                operation: "Cancel-Job", resource: "/jobs/", jobID: jobID, repeatable: true, groupTag: IPP_TAG_ZERO
            ) {
                var req = IPPRequest(IPP_OP_CANCEL_JOB)
                req.add(IPP_TAG_OPERATION, IPP_TAG_URI, "job-uri", "ipp://localhost/jobs/\(jobID)")
                req.add(IPP_TAG_OPERATION, IPP_TAG_NAME, "requesting-user-name", user)
                return req
            }
        } catch {
            if case .ipp(_, _, let code, _) = error, code == Int(IPP_STATUS_ERROR_NOT_POSSIBLE.rawValue),
                (try? job(jobID))?.state.isFinal == true
            {
                return
            }
            throw error
        }
    }

    // MARK: Device reachability

    /// Whether the printer behind `deviceURI` answers a TCP connection: `nil` when it does or
    /// when the URI is not a network one (usb:, file:, dnssd:…), else why not.
    static func probe(deviceURI: String, timeout: Duration) -> String? {
        var scheme = [CChar](repeating: 0, count: 32)
        var user = [CChar](repeating: 0, count: 256)
        var host = [CChar](repeating: 0, count: 256)
        var resource = [CChar](repeating: 0, count: 1024)
        var port: Int32 = 0
        let status = httpSeparateURI(
            HTTP_URI_CODING_ALL, deviceURI, &scheme, Int32(scheme.count), &user, Int32(user.count), &host,
            Int32(host.count), &port, &resource, Int32(resource.count))
        guard status.rawValue >= HTTP_URI_STATUS_OK.rawValue else { return nil }
        func text(_ a: [CChar]) -> String {
            String(decoding: a.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
        let s = text(scheme).lowercased()
        let h = text(host)
        switch s {
        case "ipp", "ipps", "http", "https": if port <= 0 { port = s == "https" ? 443 : s == "http" ? 80 : 631 }
        case "socket": if port <= 0 { port = 9100 }
        case "lpd": if port <= 0 { port = 515 }
        default: return nil
        }
        guard !h.isEmpty else { return nil }
        guard let list = httpAddrGetList(h, AF_UNSPEC, String(port)) else {
            return "cannot resolve \(h)"
        }
        defer { httpAddrFreeList(list) }
        var sock: Int32 = -1
        errno = 0
        let ms = Int32(clamping: Int(timeout.seconds * 1000))
        if httpAddrConnect2(list, &sock, ms, nil) != nil {
            _ = httpAddrClose(nil, sock)
            return nil
        }
        let e = errno
        switch e {
        case ECONNREFUSED: return "connection refused"
        case 0, ETIMEDOUT, EINPROGRESS, EAGAIN: return "no answer within \(DescriptorIO.format(timeout)) s"
        default: return String(cString: strerror(e))
        }
    }

    // MARK: Plumbing

    enum Document {
        case file(String)
        case bytes([UInt8])
    }

    private func connection() throws(CUPSError) -> OpaquePointer {
        if let http {
            // An idle keep-alive socket has nothing to read: readable or hung up means cupsd
            // closed it (restarted, idle timeout). Reconnect before sending anything (libcups
            // also reconnects when writing the request fails; this settles it beforehand for a
            // request that is never repeated, Create-Job).
            var p = pollfd(fd: httpGetFd(http), events: Int16(POLLIN), revents: 0)
            if p.fd < 0 || (poll(&p, 1, 0) > 0 && p.revents != 0) {
                close()
            } else {
                return http
            }
        }
        prepareThread()
        let ms = Int32(clamping: Int(connectTimeout.seconds * 1000))
        let encryption = server.isSocket ? HTTP_ENCRYPTION_NEVER : cupsEncryption()
        errno = 0
        guard let h = httpConnect2(server.host, Int32(server.port), nil, AF_UNSPEC, encryption, 1, ms, nil) else {
            let e = errno
            let reason =
                e != 0 ? String(cString: strerror(e)) : (cupsLastErrorString().map { String(cString: $0) } ?? "no answer")
            throw .serverUnreachable(server: server.description, reason: reason)
        }
        httpSetTimeout(h, ioTimeout.seconds, nil, nil)
        http = h
        return h
    }

    /// Per-thread libcups settings, set before each request on whatever thread the queue runs:
    /// never ask for a password on a terminal (a daemon has none; the answer is `notAuthorized`).
    private func prepareThread() {
        cupsSetPasswordCB2({ _, _, _, _, _ in nil }, nil)
    }

    /// `requesting-user-name`: the daemon's user (job owner, who may see the job names).
    private static var user: String { String(cString: cupsUser()) }

    /// Sends the request `build` makes, again on a fresh connection when there was no answer
    /// and the operation may be repeated; returns the groups tagged `groupTag`.
    private func send(
        operation: String, resource: String, queue: String? = nil, jobID: Int? = nil, repeatable: Bool,
        groupTag: ipp_tag_t, _ build: () -> IPPRequest
    ) throws(CUPSError) -> [[String: IPPValue]] {
        var attempt = 0
        while true {
            attempt += 1
            do throws(CUPSError) {
                let http = try connection()
                prepareThread()
                var req = build()
                return try check(
                    cupsDoRequest(http, req.take(), resource), operation: operation, queue: queue, jobID: jobID,
                    groupTag: groupTag)
            } catch {
                guard case .serverUnreachable = error, repeatable, attempt == 1 else { throw error }
            }
        }
    }

    /// Turns libcups' answer into groups or a `CUPSError`, and frees it.
    private func check(
        _ response: OpaquePointer?, operation: String, queue: String?, jobID: Int?, groupTag: ipp_tag_t
    ) throws(CUPSError) -> [[String: IPPValue]] {
        let status = cupsLastError()
        let message = cupsLastErrorString().map { String(cString: $0) } ?? ""
        defer { if let response { ippDelete(response) } }
        let code = Int(status.rawValue)
        if let response, code < Int(IPP_STATUS_REDIRECTION_OTHER_SITE.rawValue) {
            return groupTag == IPP_TAG_ZERO ? [] : IPPResponse.groups(response, tag: groupTag)
        }
        switch status {
        case IPP_STATUS_ERROR_NOT_FOUND:
            if let jobID, queue == nil { throw .jobNotFound(id: jobID) }
            if let queue { throw .queueNotFound(queue: queue, server: server.description) }
            throw .ipp(operation: operation, status: Self.statusName(status), code: code, message: message)
        case IPP_STATUS_ERROR_NOT_ACCEPTING_JOBS:
            throw .notAccepting(queue: queue ?? "?", message: message == Self.statusName(status) ? "" : message)
        case IPP_STATUS_ERROR_FORBIDDEN, IPP_STATUS_ERROR_NOT_AUTHENTICATED, IPP_STATUS_ERROR_NOT_AUTHORIZED,
            IPP_STATUS_ERROR_CUPS_AUTHENTICATION_CANCELED:
            throw .notAuthorized(operation: operation, message: message)
        case IPP_STATUS_ERROR_SERVICE_UNAVAILABLE, IPP_STATUS_ERROR_INTERNAL, IPP_STATUS_ERROR_CUPS_PKI:
            if response == nil {
                // No IPP answer at all: the connection is gone. Start over next time.
                close()
                throw .serverUnreachable(server: server.description, reason: message.isEmpty ? "no answer" : message)
            }
            fallthrough
        default:
            throw .ipp(operation: operation, status: Self.statusName(status), code: code, message: message)
        }
    }

    static func statusName(_ status: ipp_status_t) -> String {
        ippErrorString(status).map { String(cString: $0) } ?? "ipp-status-\(status.rawValue)"
    }

    static let jobAttributes = [
        "job-id", "job-name", "job-state", "job-state-reasons", "job-printer-state-message",
        "job-printer-state-reasons", "job-printer-uri", "job-originating-user-name", "time-at-creation",
        "time-at-completed", "job-impressions-completed",
    ]

    static func job(from g: [String: IPPValue]) -> CUPSJob? {
        guard let id = g["job-id"]?.int, let state = g["job-state"]?.int.flatMap(CUPSJob.State.init(ipp:)) else {
            return nil
        }
        func date(_ key: String) -> Date? {
            guard let t = g[key]?.int, t > 0 else { return nil }
            return Date(timeIntervalSince1970: TimeInterval(t))
        }
        let queue = g["job-printer-uri"]?.string.flatMap { uri -> String? in
            guard let r = uri.range(of: "/printers/") else { return nil }
            return String(uri[r.upperBound...]).removingPercentEncoding
        }
        return CUPSJob(
            id: id, name: g["job-name"]?.string, queue: queue, state: state,
            stateReasons: (g["job-state-reasons"]?.strings ?? []).filter { $0 != "none" },
            printerStateMessage: g["job-printer-state-message"]?.string,
            printerStateReasons: (g["job-printer-state-reasons"]?.strings ?? []).filter { $0 != "none" },
            user: g["job-originating-user-name"]?.string, createdAt: date("time-at-creation"),
            completedAt: date("time-at-completed"), impressionsCompleted: g["job-impressions-completed"]?.int)
    }

    static func printerURI(_ queue: String) -> String { "ipp://localhost/printers/\(escape(queue))" }

    static func escape(_ queue: String) -> String {
        queue.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/?#")))
            ?? queue
    }
}
