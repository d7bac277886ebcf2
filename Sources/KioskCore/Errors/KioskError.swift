/// A refusal with a stable reason (contract: `error.data.reason` on the wire, code 1000+).
/// Every rule that says "no" throws one of these; nothing has changed when it is thrown.
public struct KioskError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Reason: String, Sendable, Equatable, CaseIterable {
        case forbidden
        case notFound = "not_found"
        case invalidState = "invalid_state"
        case dailyLimit = "daily_limit"
        case duplicateTicket = "duplicate_ticket"
        case closed
        case prereviewRequired = "prereview_required"
        case conflict
        case deviceUnavailable = "device_unavailable"
        case separationOfDuties = "separation_of_duties"
        case storageUnavailable = "storage_unavailable"
        /// An ID number with a wrong length, date or check digit.
        case invalidIdNumber = "invalid_id_number"
        /// An appointment checked in before or after its slot.
        case outsideSlot = "outside_slot"
        /// The daemon is stopping and takes no new work.
        case shuttingDown = "shutting_down"
        /// A card token that is unknown, expired or belongs to another connection.
        case invalidCardToken = "invalid_card_token"
        /// The daemon serves as many connections as it may (`max_connections`); the new one is closed.
        case tooManyConnections = "too_many_connections"
        /// All connections together hold as much unfinished input as the daemon allows.
        case overloaded
        /// A line was not finished within `idle_line_seconds` of its first byte.
        case lineTimeout = "line_timeout"
        /// A parameter is missing, mistyped or outside its documented values. Its code is JSON-RPC's
        /// own "invalid params" (-32602), which the wire used before services threw only
        /// `KioskError`; over HTTP it is a 400.
        case invalidParams = "invalid_params"

        /// The JSON-RPC error code for this reason (1000 + a fixed offset; never renumbered).
        public var code: Int {
            switch self {
            case .forbidden: 1001
            case .notFound: 1002
            case .invalidState: 1003
            case .dailyLimit: 1004
            case .duplicateTicket: 1005
            case .closed: 1006
            case .prereviewRequired: 1007
            case .conflict: 1008
            case .deviceUnavailable: 1009
            case .separationOfDuties: 1010
            case .storageUnavailable: 1011
            case .invalidIdNumber: 1012
            case .outsideSlot: 1013
            case .shuttingDown: 1014
            case .invalidCardToken: 1015
            case .tooManyConnections: 1016
            case .overloaded: 1017
            case .lineTimeout: 1018
            case .invalidParams: -32602
            }
        }
    }

    public let reason: Reason
    public let message: String
    /// Extra machine-readable details (e.g. the current state), merged into `error.data`.
    public let details: [String: String]

    public init(_ reason: Reason, _ message: String, details: [String: String] = [:]) {
        self.reason = reason
        self.message = message
        self.details = details
    }

    public var description: String { "\(reason.rawValue): \(message)" }

    /// A parameter the caller must fix (see `Reason.invalidParams`).
    public static func invalidParams(_ message: String) -> KioskError { KioskError(.invalidParams, message) }
}
