/// What an audit entry records. An open set of names (a chain written by a later kioskd still
/// verifies here); these are the ones the certificate pipeline writes.
public struct AuditAction: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }

    /// A print order was accepted (`cert.submit`).
    public static let order = AuditAction("order")
    /// The document was rendered from its template.
    public static let render = AuditAction("render")
    /// A seal was applied: department, seal image digest, approver.
    public static let seal = AuditAction("seal")
    /// A job was sent to a printer.
    public static let printAttempt = AuditAction("print_attempt")
    /// The printer's answer: printed, held or failed.
    public static let printResult = AuditAction("print_result")
    /// A third person released a printed certificate.
    public static let release = AuditAction("release")
    /// The holder collected it.
    public static let pickup = AuditAction("pickup")
    /// A pickup was refused (wrong person, not ready).
    public static let pickupRefused = AuditAction("pickup_refused")
    /// Handed to the courier.
    public static let ship = AuditAction("ship")
    /// An authorized reprint: the old serial is voided and a new one issued.
    public static let reprint = AuditAction("reprint")
    /// A serial was voided.
    public static let void = AuditAction("void")
}
