/// The certificate state machine: which moves are legal for a certificate's print mode and
/// delivery. Every state change of the daemon goes through `checkMove`, which throws
/// `invalid_state` (and changes nothing) for an illegal one.
///
/// `printMode = now` — printed as soon as it is rendered, released (`cert.release` by a third
/// person, or by the daemon itself when `require_release = false`), then collected or mailed:
///
///     received ─render─▶ rendered ─print─▶ printing ─done─▶ printed ─release─▶ ready ─┬─pickup─▶ picked_up  (delivery pickup)
///                                                                                     └─ship───▶ shipped    (delivery mail)
///
/// `printMode = on_pickup` (delivery pickup only) — released once rendered, printed only when
/// the holder identifies themself at the kiosk, so no certificate waits unattended in a tray:
///
///     received ─render─▶ rendered ─release─▶ ready ─holder at kiosk─▶ printing ─done─▶ printed ─taken─▶ picked_up
///
/// Faults, both modes:
///
///     received ──────────▶ failed        rendering failed (template, font, seal image)
///     printing ──────────▶ failed        jam, job cancelled, printer_timeout_seconds passed
///     printing ──────────▶ held          printer paused: paper out, queue stopped
///     held ──────────────▶ printing      resumed (auto_resume or an operator), same job
///     held ──────────────▶ failed        given up (timeout, job cancelled)
///     failed ────────────▶ rendered      rendered again after the cause was fixed
///     now:       rendered ─▶ held          no printer accepts jobs; printed when one does
///                failed ───▶ printing      print retried
///     on_pickup: failed, held ─▶ ready     re-armed: the holder prints it at their next visit,
///                                          never in their absence
///
/// And from every state but `voided` itself: `─▶ voided` (a reprint voids the old serial; a
/// collected certificate can still be revoked, so that its QR code stops verifying). A job still
/// `printing` must be cancelled at the printer before the daemon records the void.
public struct CertificateLifecycle: Sendable, Equatable {
    public var printMode: PrintMode
    public var delivery: CertificateDelivery.Mode

    public init(printMode: PrintMode, delivery: CertificateDelivery.Mode) {
        self.printMode = printMode
        self.delivery = delivery
    }

    /// The states `state` may move to.
    public func successors(of state: CertificateState) -> Set<CertificateState> {
        var next: Set<CertificateState>
        let now = printMode == .now
        switch state {
        case .received: next = [.rendered, .failed]
        case .rendered: next = now ? [.printing, .held] : [.ready]
        case .printing: next = [.printed, .held, .failed]
        case .held: next = now ? [.printing, .failed] : [.printing, .failed, .ready]
        case .failed: next = now ? [.rendered, .printing] : [.rendered, .ready]
        case .printed: next = now ? [.ready] : [.pickedUp]
        case .ready:
            if !now {
                next = [.printing]
            } else {
                next = delivery == .mail ? [.shipped] : [.pickedUp]
            }
        case .pickedUp, .shipped: next = []
        case .voided: return []
        }
        next.insert(.voided)
        return next
    }

    public func canMove(from state: CertificateState, to next: CertificateState) -> Bool {
        successors(of: state).contains(next)
    }

    /// Throws `invalid_state` naming the certificate and both states unless the move is legal.
    public func checkMove(_ serial: String, from state: CertificateState, to next: CertificateState) throws {
        guard canMove(from: state, to: next) else {
            throw KioskError(
                .invalidState, "certificate \(serial) is \(state.rawValue) and cannot become \(next.rawValue)\(hint(from: state, to: next))",
                details: ["state": state.rawValue, "serial": serial])
        }
    }

    /// The usual reasons a client tries an illegal move, said in the refusal.
    private func hint(from state: CertificateState, to next: CertificateState) -> String {
        switch (state, next) {
        case (.ready, .shipped) where delivery == .pickup: " (it is for pickup, not mail)"
        case (.ready, .pickedUp) where delivery == .mail: " (it is to be mailed)"
        case (.ready, .pickedUp) where printMode == .onPickup: " (it is printed at pickup first)"
        case (.printed, .pickedUp) where printMode == .now: " (it must be released first)"
        default: ""
        }
    }
}
