/// A ticket as it appears in every result and event (contract: at least id, number, category,
/// state, priority, issuedAt, window when called, ahead and estimatedWaitSeconds when waiting).
/// The holder appears only masked.
public struct TicketView: Codable, Sendable, Equatable {
    public var id: Int64
    public var number: String
    public var category: String
    public var categoryName: String?
    public var state: String
    public var priority: String
    public var issuedAt: String
    public var day: String
    public var window: String?
    public var staff: String?
    public var assignedWindow: String?
    public var ahead: Int?
    public var estimatedWaitSeconds: Int?
    public var calledAt: String?
    public var startedAt: String?
    public var finishedAt: String?
    public var recalls: Int
    public var requeues: Int
    public var transfers: Int
    public var holder: String?
    public var appointmentCode: String?
    public var cancelReason: String?
    /// Only in `queue.take` / `queue.printTicket` results with `print: true`.
    public var printed: Bool?
    public var printError: String?
    /// Only in `queue.transfer` results: why the ticket may wait longer than usual (its window
    /// is paused, no window of its new category is open), for the counter to tell the citizen.
    public var warnings: [String]?

    public init(id: Int64, number: String, category: String, categoryName: String?, state: String, priority: String,
        issuedAt: String, day: String, window: String? = nil, staff: String? = nil, assignedWindow: String? = nil,
        ahead: Int? = nil, estimatedWaitSeconds: Int? = nil, calledAt: String? = nil, startedAt: String? = nil,
        finishedAt: String? = nil, recalls: Int = 0, requeues: Int = 0, transfers: Int = 0, holder: String? = nil,
        appointmentCode: String? = nil, cancelReason: String? = nil, printed: Bool? = nil, printError: String? = nil) {
        self.id = id
        self.number = number
        self.category = category
        self.categoryName = categoryName
        self.state = state
        self.priority = priority
        self.issuedAt = issuedAt
        self.day = day
        self.window = window
        self.staff = staff
        self.assignedWindow = assignedWindow
        self.ahead = ahead
        self.estimatedWaitSeconds = estimatedWaitSeconds
        self.calledAt = calledAt
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.recalls = recalls
        self.requeues = requeues
        self.transfers = transfers
        self.holder = holder
        self.appointmentCode = appointmentCode
        self.cancelReason = cancelReason
        self.printed = printed
        self.printError = printError
    }
}
