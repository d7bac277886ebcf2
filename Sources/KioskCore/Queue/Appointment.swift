import Foundation

/// A booked appointment (预约): checked in at the kiosk inside its slot, it becomes a priority
/// ticket of its category.
public struct Appointment: Sendable, Equatable {
    public var code: String
    public var category: String
    public var slotStart: Date
    public var slotEnd: Date
    public var personKey: String?
    public var personMasked: String?
    /// The ticket it was checked in as; nil while unused.
    public var ticketId: Int64?
    public var createdAt: Date

    public init(
        code: String, category: String, slotStart: Date, slotEnd: Date, personKey: String? = nil,
        personMasked: String? = nil, ticketId: Int64? = nil, createdAt: Date
    ) {
        self.code = code
        self.category = category
        self.slotStart = slotStart
        self.slotEnd = slotEnd
        self.personKey = personKey
        self.personMasked = personMasked
        self.ticketId = ticketId
        self.createdAt = createdAt
    }

    /// Checks that this appointment may become a ticket now, for this person.
    /// `timeZone` is the hall's: the slot in the refusal reads as the citizen's booking does.
    public func checkIn(at now: Date, personKey presented: String?, timeZone: TimeZone) throws {
        if ticketId != nil {
            throw KioskError(.invalidState, "appointment \(code) has already been checked in",
                details: ["state": "checked_in"])
        }
        if let mine = personKey, let presented, mine != presented {
            throw KioskError(.forbidden, "appointment \(code) was booked for someone else")
        }
        guard now >= slotStart, now <= slotEnd else {
            throw KioskError(.outsideSlot, "appointment \(code) can be checked in during its slot only",
                details: ["slotStart": ISO8601.string(slotStart, timeZone: timeZone),
                    "slotEnd": ISO8601.string(slotEnd, timeZone: timeZone)])
        }
    }

    /// Same booking sent twice (idempotent) vs. a different booking under a used code (conflict).
    public func sameBooking(as other: Appointment) -> Bool {
        code == other.code && category == other.category && slotStart == other.slotStart
            && slotEnd == other.slotEnd && personKey == other.personKey
    }
}
