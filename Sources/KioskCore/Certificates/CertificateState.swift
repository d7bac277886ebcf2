/// Where a certificate (证照) is in the centralized printing pipeline (集中制证). The raw values
/// are the wire names (`state` in results, the suffix of `certificate.*` topics); never rename one.
/// The legal moves between states are `CertificateLifecycle`'s.
public enum CertificateState: String, Sendable, Equatable, Hashable, Codable, CaseIterable {
    /// The print order (制证指令) is durably stored; nothing rendered yet.
    case received
    /// The document (template, fields, seal) is rendered and waiting for a printer or a release.
    case rendered
    /// A print job is at the printer.
    case printing
    /// The printer reported the job done.
    case printed
    /// Released for the holder: waiting for pickup, shipment or (on_pickup) printing at the kiosk.
    case ready
    /// The holder took it (24小时领证).
    case pickedUp = "picked_up"
    /// Handed to the courier (邮寄).
    case shipped
    /// Paused by the printer (paper out, queue stopped); resumes without a new job.
    case held
    /// Rendering or printing failed; needs a retry or a void.
    case failed
    /// Cancelled for good (a reprint's old serial, a revoked certificate). Its QR no longer verifies.
    case voided

    /// No move leaves this state.
    public var isTerminal: Bool { self == .voided }

    /// The certificate has left the hall; the only move left is revoking it (`voided`).
    public var isCollected: Bool { self == .pickedUp || self == .shipped }

    /// Still in the hall's hands: printing work or a pickup may follow.
    public var isInPipeline: Bool { !isTerminal && !isCollected }

    /// The event emitted when a certificate enters this state (`certificate.<raw value>`).
    public var eventTopic: String {
        switch self {
        case .received: EventTopic.certificateReceived
        case .rendered: EventTopic.certificateRendered
        case .printing: EventTopic.certificatePrinting
        case .printed: EventTopic.certificatePrinted
        case .ready: EventTopic.certificateReady
        case .pickedUp: EventTopic.certificatePickedUp
        case .shipped: EventTopic.certificateShipped
        case .held: EventTopic.certificateHeld
        case .failed: EventTopic.certificateFailed
        case .voided: EventTopic.certificateVoided
        }
    }
}
