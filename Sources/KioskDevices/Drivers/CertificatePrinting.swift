import KioskCore

/// What the certificate pipeline needs from a certificate printer (证照打印机), whatever it is:
/// a CUPS queue in a hall, a simulated printer in the demo.
///
/// Jobs are named by the caller (the print attempt's name), so that after a crash the pipeline
/// asks the printer for the job by name instead of submitting the certificate again.
public protocol CertificatePrinting: Device {
    /// Hands a PDF to the printer; returns the printer's job id.
    func submit(documentPath: String, jobName: String) async throws(DeviceError) -> Int
    /// Where job `id` is now.
    func job(_ id: Int) async throws(DeviceError) -> CertificateJob
    /// The job named `name`, nil when the printer never had it.
    func job(named name: String) async throws(DeviceError) -> CertificateJob?
    /// Cancels job `id` (before failing over to another printer, so it can never print twice).
    func cancel(_ id: Int) async throws(DeviceError)
    /// Asks the printer for its state, refreshing `health`.
    func refreshHealth() async -> DeviceHealth
    /// Puts a queue that stopped on an error back into service (`auto_resume`); false when there
    /// was nothing to resume or it could not be done.
    func resumeIfStopped() async -> Bool
}

/// A certificate print job as the pipeline follows it.
public struct CertificateJob: Sendable, Equatable {
    public enum State: Sendable, Equatable {
        /// Waiting or printing.
        case active
        /// Stopped at the printer (out of paper, queue stopped): not lost, it continues when
        /// the printer is back.
        case held(reason: String)
        case completed
        /// Jammed, cancelled or aborted: this printer will not print it.
        case failed(reason: String)
    }

    public var id: Int
    public var name: String?
    public var state: State
    /// Something a person should check although the printer reports the job done (a printer
    /// restarted mid-job may not have printed it): the release step is where it is checked.
    public var warning: String?

    public init(id: Int, name: String?, state: State, warning: String? = nil) {
        self.id = id
        self.name = name
        self.state = state
        self.warning = warning
    }
}
