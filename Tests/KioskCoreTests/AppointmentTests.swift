import Foundation
import Testing

@testable import KioskCore

@Suite("Appointments (预约): check-in inside the slot, by the person who booked")
struct AppointmentTests {
    let slotStart = local(2026, 11, 21, 10, 0)
    let slotEnd = local(2026, 11, 21, 10, 30)

    func booking(person: String? = "key-alice", ticketId: Int64? = nil) -> Appointment {
        Appointment(
            code: "Y7K2Q9", category: "A", slotStart: slotStart, slotEnd: slotEnd, personKey: person,
            personMasked: person == nil ? nil : "5001**********123X", ticketId: ticketId,
            createdAt: local(2026, 11, 20, 15, 0))
    }

    @Test func checkInInsideTheSlotIsAccepted() throws {
        try booking().checkIn(at: local(2026, 11, 21, 10, 15), personKey: "key-alice", timeZone: shanghai)
    }

    @Test func theSlotIncludesBothEnds() throws {
        try booking().checkIn(at: slotStart, personKey: "key-alice", timeZone: shanghai)
        try booking().checkIn(at: slotEnd, personKey: "key-alice", timeZone: shanghai)
    }

    @Test func beforeTheSlotIsOutsideSlot() {
        let error = expectRefusal(.outsideSlot) {
            try booking().checkIn(at: slotStart.addingTimeInterval(-1), personKey: "key-alice", timeZone: shanghai)
        }
        // The slot as the citizen booked it: hall time with its offset, not UTC.
        #expect(error?.details["slotStart"] == "2026-11-21T10:00:00.000+08:00")
        #expect(error?.details["slotEnd"] == "2026-11-21T10:30:00.000+08:00")
    }

    @Test func afterTheSlotIsOutsideSlot() {
        expectRefusal(.outsideSlot) { try booking().checkIn(at: slotEnd.addingTimeInterval(1), personKey: "key-alice", timeZone: shanghai) }
        expectRefusal(.outsideSlot) { try booking().checkIn(at: local(2026, 11, 22, 10, 15), personKey: "key-alice", timeZone: shanghai) }
    }

    @Test func anAlreadyUsedAppointmentIsInvalidState() {
        expectRefusal(.invalidState) {
            try booking(ticketId: 17).checkIn(at: local(2026, 11, 21, 10, 15), personKey: "key-alice", timeZone: shanghai)
        }
    }

    @Test func someoneElsesCardIsForbidden() {
        expectRefusal(.forbidden) { try booking().checkIn(at: local(2026, 11, 21, 10, 15), personKey: "key-bob", timeZone: shanghai) }
    }

    @Test func aBookingWithoutAPersonIsCheckedInByCodeAlone() throws {
        try booking(person: nil).checkIn(at: local(2026, 11, 21, 10, 15), personKey: "key-bob", timeZone: shanghai)
        try booking(person: nil).checkIn(at: local(2026, 11, 21, 10, 15), personKey: nil, timeZone: shanghai)
    }

    @Test func sameBookingSentTwiceIsTheSame() {
        var again = booking()
        again.createdAt = local(2026, 11, 20, 16, 0)  // when it was sent does not matter
        again.personMasked = nil
        #expect(booking().sameBooking(as: again))
    }

    @Test func aDifferentBookingUnderTheSameCodeIsNotTheSame() {
        let original = booking()
        var otherSlot = original
        otherSlot.slotStart = local(2026, 11, 21, 11, 0)
        var otherEnd = original
        otherEnd.slotEnd = local(2026, 11, 21, 11, 0)
        var otherCategory = original
        otherCategory.category = "B"
        var otherPerson = original
        otherPerson.personKey = "key-bob"
        var noPerson = original
        noPerson.personKey = nil
        var otherCode = original
        otherCode.code = "Z0Z0Z0"
        for other in [otherSlot, otherEnd, otherCategory, otherPerson, noPerson, otherCode] {
            #expect(!original.sameBooking(as: other))
        }
    }
}
