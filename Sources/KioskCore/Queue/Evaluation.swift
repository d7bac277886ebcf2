import Foundation

/// A citizen's rating of one finished case (好差评, 一事一评) on the window's evaluator.
public struct Evaluation: Sendable, Equatable {
    /// The five levels, 5 best.
    public enum Score: Int, Sendable, Equatable, CaseIterable {
        case veryDissatisfied = 1, dissatisfied, fair, satisfied, verySatisfied

        public var label: String {
            switch self {
            case .verySatisfied: "非常满意"
            case .satisfied: "满意"
            case .fair: "基本满意"
            case .dissatisfied: "不满意"
            case .veryDissatisfied: "非常不满意"
            }
        }
        /// 差评: must be called back within one working day.
        public var isBad: Bool { rawValue <= 2 }
    }

    public var ticketId: Int64
    public var day: HallDay
    public var number: String
    public var category: String
    public var window: String?
    public var staff: String?
    public var score: Score
    /// The business system's case number (办件编号), when the window knows it.
    public var caseNumber: String?
    public var comment: String?
    public var submittedAt: Date

    public init(
        ticketId: Int64, day: HallDay, number: String, category: String, window: String?,
        staff: String?, score: Score, caseNumber: String?, comment: String?, submittedAt: Date
    ) {
        self.ticketId = ticketId
        self.day = day
        self.number = number
        self.category = category
        self.window = window
        self.staff = staff
        self.score = score
        self.caseNumber = caseNumber
        self.comment = comment
        self.submittedAt = submittedAt
    }

    /// Only a finished case is rated, once.
    public static func checkRateable(_ ticket: Ticket, existing: Evaluation?) throws {
        guard ticket.state == .done else {
            throw KioskError(.invalidState, "only a finished case is rated; \(ticket.number) is \(ticket.state.rawValue)",
                details: ["state": ticket.state.rawValue])
        }
        if existing != nil {
            throw KioskError(.conflict, "\(ticket.number) has already been rated (一事一评)")
        }
    }
}
