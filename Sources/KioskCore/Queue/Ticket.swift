import Foundation

/// A queue ticket (排队号): a number in one category's daily sequence, and where it is in its life.
public struct Ticket: Sendable, Equatable, Identifiable {
    public enum State: String, Sendable, Equatable, Codable, CaseIterable {
        case waiting, called, serving, done
        case noShow = "no_show"
        case cancelled

        /// Still in the hall's hands: counts against "one active ticket per person".
        public var isActive: Bool { self == .waiting || self == .called || self == .serving }
    }

    /// Call order class. Green channel (绿色通道) and appointments (预约) go before normal tickets,
    /// limited by `priority_burst`.
    public enum Priority: String, Sendable, Equatable, Codable, CaseIterable {
        case normal, green, appointment
        public var isPriority: Bool { self != .normal }
    }

    public var id: Int64
    public var day: HallDay
    /// The category it is queued in now (a transfer may change it).
    public var category: String
    /// The category whose daily sequence issued its number; never changes.
    public var issueCategory: String
    /// Position in the category's daily sequence (1 = A001).
    public var sequence: Int
    public var number: String
    public var state: State
    public var priority: Priority
    public var issuedAt: Date
    /// Place in line: smaller is earlier. Issue order normally; a transfer to the front or a
    /// requeue moves it.
    public var orderKey: Int64
    /// Set by a transfer "to the front": goes before every other ticket of its lane.
    public var front: Bool
    /// Set by a transfer to a window: only that window calls it.
    public var assignedWindow: String?
    public var window: String?
    public var staff: String?
    public var calledAt: Date?
    /// The first call, kept across transfers and requeues: the citizen's wait ends there.
    public var firstCalledAt: Date?
    public var startedAt: Date?
    public var finishedAt: Date?
    public var recalls: Int
    public var requeues: Int
    public var transfers: Int
    /// Keyed hash of the holder's ID number or card, for "one active ticket per person".
    public var personKey: String?
    /// The holder's ID number masked for display (`5001**********123X`).
    public var personMasked: String?
    public var appointmentCode: String?
    public var cancelReason: String?

    public init(
        id: Int64 = 0, day: HallDay, category: String, sequence: Int, number: String,
        state: State = .waiting, priority: Priority = .normal, issuedAt: Date, orderKey: Int64 = 0,
        front: Bool = false, assignedWindow: String? = nil, window: String? = nil,
        staff: String? = nil, calledAt: Date? = nil, firstCalledAt: Date? = nil,
        startedAt: Date? = nil, finishedAt: Date? = nil, recalls: Int = 0, requeues: Int = 0,
        transfers: Int = 0, personKey: String? = nil, personMasked: String? = nil,
        appointmentCode: String? = nil, cancelReason: String? = nil, issueCategory: String? = nil
    ) {
        self.id = id
        self.day = day
        self.category = category
        self.issueCategory = issueCategory ?? category
        self.sequence = sequence
        self.number = number
        self.state = state
        self.priority = priority
        self.issuedAt = issuedAt
        self.orderKey = orderKey
        self.front = front
        self.assignedWindow = assignedWindow
        self.window = window
        self.staff = staff
        self.calledAt = calledAt
        self.firstCalledAt = firstCalledAt
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.recalls = recalls
        self.requeues = requeues
        self.transfers = transfers
        self.personKey = personKey
        self.personMasked = personMasked
        self.appointmentCode = appointmentCode
        self.cancelReason = cancelReason
    }
}
