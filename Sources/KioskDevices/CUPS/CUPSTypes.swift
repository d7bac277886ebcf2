import Foundation

/// A CUPS job as Get-Job-Attributes / Get-Jobs report it.
public struct CUPSJob: Sendable, Equatable, CustomStringConvertible {
    /// `job-state` (RFC 8011 §5.3.7).
    public enum State: String, Sendable, Equatable, CaseIterable {
        /// Waiting for the queue (also: the queue is stopped, `printer-stopped` is not always set).
        case pending
        /// `pending-held`: held, or created by Create-Job and still waiting for its document
        /// (`job-incoming`, see `isIncomplete`).
        case held
        /// Being sent to or printed by the printer (also while the printer is out of paper or
        /// unreachable: the backend keeps trying).
        case processing
        /// `processing-stopped`.
        case stopped
        /// Cancelled by a user, or by CUPS when the printer aborted the job (a jam:
        /// "Print job canceled at printer.").
        case canceled
        /// Aborted by the system.
        case aborted
        /// CUPS considers it printed. See `printerForgotJob` for the one case where it may not be.
        case completed

        init?(ipp: Int) {
            switch ipp {
            case 3: self = .pending
            case 4: self = .held
            case 5: self = .processing
            case 6: self = .stopped
            case 7: self = .canceled
            case 8: self = .aborted
            case 9: self = .completed
            default: return nil
            }
        }

        /// canceled, aborted or completed: the job will not change any more.
        public var isFinal: Bool { self == .canceled || self == .aborted || self == .completed }
    }

    public var id: Int
    /// `job-name`: the attempt id when the daemon submitted it. nil when CUPS hides it (another
    /// user's job under the default `JobPrivateValues`).
    public var name: String?
    /// The queue, from `job-printer-uri`.
    public var queue: String?
    public var state: State
    /// `job-state-reasons` ("job-printing", "job-incoming", "job-canceled-at-device", "none"…).
    /// CUPS 2.4 reports "processing-to-stop-point" on every finished job: decide on `state`.
    public var stateReasons: [String]
    /// `job-printer-state-message`: the printer's message while (or when last) printing this job
    /// ("Print job canceled at printer.", "The printer may not exist or is unavailable at this
    /// time."). Localized by cupsd: for people, not for decisions.
    public var printerStateMessage: String?
    /// `job-printer-state-reasons`: the queue's reasons when the job last changed.
    public var printerStateReasons: [String]
    public var user: String?
    public var createdAt: Date?
    public var completedAt: Date?
    public var impressionsCompleted: Int?

    public init(
        id: Int, name: String? = nil, queue: String? = nil, state: State, stateReasons: [String] = [],
        printerStateMessage: String? = nil, printerStateReasons: [String] = [], user: String? = nil,
        createdAt: Date? = nil, completedAt: Date? = nil, impressionsCompleted: Int? = nil
    ) {
        self.id = id
        self.name = name
        self.queue = queue
        self.state = state
        self.stateReasons = stateReasons
        self.printerStateMessage = printerStateMessage
        self.printerStateReasons = printerStateReasons
        self.user = user
        self.createdAt = createdAt
        self.completedAt = completedAt
        self.impressionsCompleted = impressionsCompleted
    }

    /// Created by Create-Job but its document never arrived (the client died in between):
    /// CUPS holds it (`pending-held`, `job-incoming`) and aborts it after `MultipleOperationTimeout`.
    /// Reconciliation should cancel it and submit the attempt again.
    public var isIncomplete: Bool { state == .held && stateReasons.contains("job-incoming") }

    /// CUPS says completed, but the IPP backend found the printer no longer knew the job
    /// (`cups-ipp-missing-job-history`): the printer was restarted or power-cycled while printing,
    /// so the document may never have come out. Caveat: CUPS keeps that reason on the queue
    /// after it happened once, so later jobs on the same queue show it too until the reasons
    /// are cleared (`CUPSConnection.clearReasons`).
    public var printerForgotJob: Bool {
        state == .completed && printerStateReasons.contains("cups-ipp-missing-job-history")
    }

    /// CUPS says completed, but the printer jammed during the job (`media-jam-…` among the job's
    /// printer-state-reasons). CUPS 2.4's IPP backend reports a job the printer aborted as
    /// canceled only when its monitor thread sees the abort first; when its own wait loop polls
    /// first it ends the job completed (a race in `backend/ipp.c`, lost about once in a full test
    /// run). The jam reason is on the job either way, and nothing whole came out.
    public var printerJammed: Bool {
        state == .completed && printerStateReasons.contains { $0.hasPrefix("media-jam") }
    }

    public var description: String {
        "job \(id)" + (name.map { " \"\($0)\"" } ?? "") + (queue.map { " on \($0)" } ?? "")
            + ": \(state.rawValue)" + (stateReasons.isEmpty ? "" : " (\(stateReasons.joined(separator: ",")))")
            + (printerStateMessage.map { $0.isEmpty ? "" : " — \($0)" } ?? "")
    }
}

/// A CUPS queue's state as Get-Printer-Attributes reports it.
public struct CUPSPrinterStatus: Sendable, Equatable, CustomStringConvertible {
    /// `printer-state`.
    public enum State: String, Sendable, Equatable {
        case idle, processing, stopped

        init?(ipp: Int) {
            switch ipp {
            case 3: self = .idle
            case 4: self = .processing
            case 5: self = .stopped
            default: return nil
            }
        }
    }

    public var queue: String
    public var state: State
    /// `printer-state-reasons` without "none": the queue's own (`paused`,
    /// `cups-waiting-for-job-completed`) and those the printer reported during the last job
    /// (`media-empty-error`, `media-jam-report`, …). CUPS keeps the printer's reasons until the
    /// next job changes them: an idle queue shows what was true when its last job ended.
    public var reasons: [String]
    /// `printer-state-message` ("Printing.", the reason given to `cupsdisable -r`, the backend's
    /// last complaint). Localized by cupsd.
    public var message: String
    /// `printer-is-accepting-jobs` (false after `cupsreject`).
    public var isAcceptingJobs: Bool
    /// `device-uri` (`ipp://10.0.0.7/ipp/print`, `usb://…`); nil when CUPS hides it.
    public var deviceURI: String?
    /// `queued-job-count`.
    public var queuedJobCount: Int?

    public init(
        queue: String, state: State, reasons: [String] = [], message: String = "", isAcceptingJobs: Bool = true,
        deviceURI: String? = nil, queuedJobCount: Int? = nil
    ) {
        self.queue = queue
        self.state = state
        self.reasons = reasons
        self.message = message
        self.isAcceptingJobs = isAcceptingJobs
        self.deviceURI = deviceURI
        self.queuedJobCount = queuedJobCount
    }

    public var description: String {
        "\(queue): \(state.rawValue)" + (reasons.isEmpty ? "" : " [\(reasons.joined(separator: ","))]")
            + (isAcceptingJobs ? "" : " not accepting") + (message.isEmpty ? "" : " — \(message)")
    }
}

/// Which jobs Get-Jobs returns (`which-jobs`).
public enum CUPSWhichJobs: String, Sendable {
    /// Pending, held, processing and stopped jobs.
    case notCompleted = "not-completed"
    /// Canceled, aborted and completed jobs still in the history.
    case completed
    /// Both: what reconciliation needs.
    case all
}
