/// A role on the socket (contract: DESIGN.md "roles"). Peer credentials map a connection to one;
/// `session.hello` may lower it for the rest of the connection, never raise it.
public enum Role: String, Sendable, Equatable, Hashable, CaseIterable, Codable {
    /// Hall screens: read and events.
    case display
    /// Self-service terminals: take tickets, read ID cards, pick up certificates.
    case kiosk
    /// Window staff: window operations, evaluations.
    case counter
    /// Approval units: submit print orders.
    case approval
    /// The certificate room.
    case `operator`
    /// Devices and diagnostics.
    case technician
    /// Everything.
    case admin

    /// Whether a connection holding `self` may switch to `other` with `session.hello`.
    public func mayBecome(_ other: Role) -> Bool {
        self == other || self == .admin || other == .display
    }
}
