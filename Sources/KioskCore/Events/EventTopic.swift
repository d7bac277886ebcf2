/// Event topics (contract). A subscription pattern ending in `*` matches a prefix:
/// `ticket.*` matches `ticket.called`; `*` matches everything.
public enum EventTopic {
    public static let ticketIssued = "ticket.issued"
    public static let ticketCalled = "ticket.called"
    public static let ticketRecalled = "ticket.recalled"
    public static let ticketStarted = "ticket.started"
    public static let ticketFinished = "ticket.finished"
    public static let ticketNoShow = "ticket.no_show"
    public static let ticketRequeued = "ticket.requeued"
    public static let ticketTransferred = "ticket.transferred"
    public static let ticketCancelled = "ticket.cancelled"
    public static let windowOpened = "window.opened"
    public static let windowPaused = "window.paused"
    public static let windowClosed = "window.closed"
    public static let queueAlert = "queue.alert"
    public static let evaluationSubmitted = "evaluation.submitted"
    public static let deviceStatus = "device.status"
    public static let deviceAdded = "device.added"
    public static let deviceRemoved = "device.removed"
    public static let idcardPresented = "idcard.presented"
    public static let dayRolledOver = "day.rolled_over"
    public static let configReloaded = "config.reloaded"
    /// The database became unusable (`fault`) or usable again (`ok`).
    public static let storageStatus = "storage.status"
    // Certificates: one topic per `CertificateState` (entering it), plus refusals at the kiosk.
    public static let certificateReceived = "certificate.received"
    public static let certificateRendered = "certificate.rendered"
    public static let certificatePrinting = "certificate.printing"
    public static let certificatePrinted = "certificate.printed"
    public static let certificateReady = "certificate.ready"
    public static let certificatePickedUp = "certificate.picked_up"
    public static let certificateShipped = "certificate.shipped"
    public static let certificateHeld = "certificate.held"
    public static let certificateFailed = "certificate.failed"
    public static let certificateVoided = "certificate.voided"
    /// Someone at a kiosk asked for a certificate that is not theirs or not ready; no state changes.
    public static let certificatePickupRefused = "certificate.pickup_refused"

    /// Every topic above: what a client that describes events (`kioskctl watch`) must know.
    public static let all: [String] = [
        ticketIssued, ticketCalled, ticketRecalled, ticketStarted, ticketFinished, ticketNoShow, ticketRequeued,
        ticketTransferred, ticketCancelled, windowOpened, windowPaused, windowClosed, queueAlert, evaluationSubmitted,
        deviceStatus, deviceAdded, deviceRemoved, idcardPresented, dayRolledOver, configReloaded, storageStatus,
        certificateReceived, certificateRendered, certificatePrinting, certificatePrinted, certificateReady,
        certificatePickedUp, certificateShipped, certificateHeld, certificateFailed, certificateVoided,
        certificatePickupRefused,
    ]

    public static func matches(_ pattern: String, _ topic: String) -> Bool {
        if pattern.hasSuffix("*") { return topic.hasPrefix(pattern.dropLast()) }
        return pattern == topic
    }

    public static func matches(any patterns: [String], _ topic: String) -> Bool {
        patterns.contains { matches($0, topic) }
    }
}
