import Foundation

/// How a certificate printer's CUPS status becomes its `DeviceHealth`. Pure, so every rule is
/// tested without a cupsd.
///
/// Rules, worst first (all that apply are named, joined by ", "):
/// - cupsd not reachable → `fault` "CUPS not reachable (…)": the printer may be fine, but nothing
///   can be printed until cupsd answers again.
/// - no such queue → `absent` "no CUPS queue \"Q\"".
/// - the printer itself does not answer → `absent` "printer not reachable at <uri> (…)": from the
///   TCP probe of a network device URI, or from `offline-report`/`shutdown` reasons, or from the
///   backend's message ("The printer may not exist or is unavailable at this time.", "The printer
///   is not responding.") — CUPS adds no reason for that, only the message.
/// - `media-empty*`, `media-needed*` "out of paper"; `media-jam*` "paper jam"; `door-open*`,
///   `cover-open*`, `interlock-open*` "cover open"; `input-tray-missing*`, `output-area-full*`,
///   `toner-empty*`, `marker-supply-empty*`, `marker-waste-full*`, `spool-area-full*`,
///   `cups-missing-filter*` and any other `*-error` → `fault`, whatever the suffix: IPP printers
///   such as ippeveprinter say `-warning` while a job waits and `-report` when idle for the same
///   condition, and CUPS keeps the last job's reasons on an idle queue (a jam stays shown until the
///   next job or `clearReasons`).
/// - queue stopped (`printer-state` stopped or `paused`) → `fault` "queue stopped[: message]";
///   not accepting → `fault` "queue not accepting jobs".
/// - `media-low*`, `toner-low*`, `marker-supply-low*`, `marker-waste-almost-full*`,
///   `output-area-almost-full*`, `moving-to-paused` and any other `*-warning` → `degraded`.
/// - CUPS's bookkeeping reasons (`cups-waiting-for-job-completed`, `connecting-to-device`,
///   `cups-ipp-conformance-failure-report`, `cups-ipp-missing-job-history`, other `*-report`)
///   → ignored.
/// - otherwise `ok` "ready".
public enum CertificatePrinterHealth {
    /// What the driver last learnt.
    public struct Inputs: Sendable, Equatable {
        /// Why cupsd could not be asked; nil when it answered.
        public var serverUnreachable: String?
        /// The queue does not exist in cupsd.
        public var queueMissing: Bool
        /// The queue's status when cupsd answered.
        public var printer: CUPSPrinterStatus?
        /// Why the device URI did not answer a TCP connection; nil when it did or was not probed.
        public var deviceUnreachable: String?
        public var queue: String

        public init(
            queue: String, serverUnreachable: String? = nil, queueMissing: Bool = false,
            printer: CUPSPrinterStatus? = nil, deviceUnreachable: String? = nil
        ) {
            self.queue = queue
            self.serverUnreachable = serverUnreachable
            self.queueMissing = queueMissing
            self.printer = printer
            self.deviceUnreachable = deviceUnreachable
        }
    }

    /// How one `printer-state-reasons` keyword counts.
    public enum Severity: Sendable, Equatable {
        case fault(String)
        case warning(String)
        case offline
        case ignored
    }

    public static func assess(_ i: Inputs) -> (DeviceHealth.State, String) {
        if let reason = i.serverUnreachable { return (.fault, "CUPS not reachable (\(reason))") }
        if i.queueMissing { return (.absent, "no CUPS queue \"\(i.queue)\"") }
        guard let p = i.printer else { return (.absent, "not asked yet") }

        var absent: [String] = []
        var faults: [String] = []
        var warnings: [String] = []
        func add(_ list: inout [String], _ words: String) { if !list.contains(words) { list.append(words) } }

        let uri = p.deviceURI.map { " at \($0)" } ?? ""
        if let why = i.deviceUnreachable {
            add(&absent, "printer not reachable\(uri) (\(why))")
        } else if messageSaysUnreachable(p.message) {
            add(&absent, "printer not reachable\(uri) (\(p.message))")
        }
        for reason in p.reasons {
            switch severity(of: reason) {
            case .fault(let words): add(&faults, words)
            case .warning(let words): add(&warnings, words)
            case .offline: if absent.isEmpty { add(&absent, "printer offline\(uri)") }
            case .ignored: break
            }
        }
        if p.state == .stopped || p.reasons.contains("paused") {
            let message = p.message.trimmingCharacters(in: .whitespaces)
            faults.removeAll { $0 == "queue stopped" }
            add(&faults, "queue stopped" + (message.isEmpty || message == "Paused" ? "" : ": \(message)"))
        }
        if !p.isAcceptingJobs { add(&faults, "queue not accepting jobs") }

        if !absent.isEmpty { return (.absent, (absent + faults).joined(separator: ", ")) }
        if !faults.isEmpty { return (.fault, faults.joined(separator: ", ")) }
        if !warnings.isEmpty { return (.degraded, warnings.joined(separator: ", ")) }
        return (.ok, "ready")
    }

    /// The severity of one reason keyword, by its base (suffix `-error`, `-warning`, `-report`
    /// removed) first, then by its suffix.
    public static func severity(of reason: String) -> Severity {
        var base = reason
        var suffix = ""
        for s in ["-error", "-warning", "-report"] where reason.hasSuffix(s) {
            base = String(reason.dropLast(s.count))
            suffix = s
        }
        switch base {
        case "none", "cups-waiting-for-job-completed", "connecting-to-device", "cups-ipp-conformance-failure",
            "cups-ipp-missing-job-history", "cups-ipp-missing-cancel-job", "cups-ipp-missing-get-job-attributes",
            "cups-ipp-missing-send-document", "cups-insecure-filter", "com.apple.print.recoverable",
            "printer-restarted", "identify-printer-requested", "paused":
            return .ignored
        case "media-empty", "media-needed": return .fault("out of paper")
        case "media-jam": return .fault("paper jam")
        case "door-open": return .fault("door open")
        case "cover-open", "interlock-open": return .fault("cover open")
        case "input-tray-missing": return .fault("paper tray missing")
        case "output-area-full", "output-tray-missing": return .fault("output tray full or missing")
        case "toner-empty": return .fault("out of toner")
        case "marker-supply-empty": return .fault("out of ink or toner")
        case "marker-waste-full": return .fault("waste toner container full")
        case "spool-area-full": return .fault("printer memory full")
        case "cups-missing-filter": return .fault("CUPS has no filter for the document")
        case "media-low": return .warning("paper low")
        case "toner-low": return .warning("toner low")
        case "marker-supply-low": return .warning("ink or toner low")
        case "marker-waste-almost-full": return .warning("waste toner container almost full")
        case "output-area-almost-full": return .warning("output tray almost full")
        case "moving-to-paused": return .warning("queue stopping")
        case "offline", "shutdown": return .offline
        default:
            switch suffix {
            case "-error": return .fault(base == "other" ? "printer error" : "printer error: \(base)")
            case "-warning": return .warning(base == "other" ? "printer warning" : base)
            default: return .ignored
            }
        }
    }

    /// The IPP backend's English messages for a printer it cannot reach (cupsd localizes them
    /// under another `LANG`: the TCP probe is the language-independent check).
    static func messageSaysUnreachable(_ message: String) -> Bool {
        let m = message.lowercased()
        return [
            "may not exist or is unavailable", "not responding", "unable to connect", "unable to locate printer",
            "waiting for printer to become available", "connection refused", "network host", "no route to host",
        ].contains { m.contains($0) }
    }
}
