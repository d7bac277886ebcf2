import Testing

@testable import KioskCore

@Suite("Ticket numbers: prefix and at least three digits")
struct TicketNumberTests {
    @Test func firstTicketOfTheDayIsA001() {
        #expect(TicketNumber.format(prefix: "A", sequence: 1) == "A001")
    }

    @Test func numbersArePaddedToThreeDigits() {
        #expect(TicketNumber.format(prefix: "A", sequence: 9) == "A009")
        #expect(TicketNumber.format(prefix: "A", sequence: 42) == "A042")
        #expect(TicketNumber.format(prefix: "A", sequence: 100) == "A100")
    }

    @Test func nineHundredNinetyNineIsTheLastThreeDigitNumber() {
        #expect(TicketNumber.format(prefix: "A", sequence: 999) == "A999")
    }

    @Test func afterA999ComesA1000NotAWrapAround() {
        #expect(TicketNumber.format(prefix: "A", sequence: 1000) == "A1000")
        #expect(TicketNumber.format(prefix: "A", sequence: 12345) == "A12345")
    }

    @Test func multiLetterPrefixIsKeptWhole() {
        #expect(TicketNumber.format(prefix: "GJ", sequence: 7) == "GJ007")
        #expect(TicketNumber.format(prefix: "VIP", sequence: 1000) == "VIP1000")
    }

    @Test func differentSequencesNeverShareANumber() {
        let numbers = (1...2000).map { TicketNumber.format(prefix: "B", sequence: $0) }
        #expect(Set(numbers).count == numbers.count)
    }
}
