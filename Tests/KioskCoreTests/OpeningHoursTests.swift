import Testing

@testable import KioskCore

@Suite("Opening hours: \"HH:MM-HH:MM[,HH:MM-HH:MM…]\"")
struct OpeningHoursTests {
    @Test func singleRangeParsesToMinutes() throws {
        let hours = try #require(OpeningHours(parsing: "08:30-17:30"))
        #expect(hours.ranges == [510..<1050])
    }

    @Test func splitHoursParseToTwoRanges() throws {
        let hours = try #require(OpeningHours(parsing: "08:30-12:00,13:30-17:30"))
        #expect(hours.ranges == [510..<720, 810..<1050])
    }

    @Test func twentyFourHourZoneEndsAt2400() throws {
        let hours = try #require(OpeningHours(parsing: "00:00-24:00"))
        #expect(hours.ranges == [0..<1440])
        #expect(hours == .allDay)
    }

    @Test func spacesAroundRangesAreAllowed() throws {
        let hours = try #require(OpeningHours(parsing: " 08:30-12:00 , 13:30-17:30 "))
        #expect(hours.ranges == [510..<720, 810..<1050])
    }

    @Test func rangesAreHalfOpen() throws {
        let hours = try #require(OpeningHours(parsing: "08:30-12:00,13:30-17:30"))
        #expect(!hours.isOpen(atMinute: 509))
        #expect(hours.isOpen(atMinute: 510))
        #expect(hours.isOpen(atMinute: 719))
        #expect(!hours.isOpen(atMinute: 720))
        #expect(!hours.isOpen(atMinute: 809))
        #expect(hours.isOpen(atMinute: 810))
        #expect(!hours.isOpen(atMinute: 1050))
        #expect(OpeningHours.allDay.isOpen(atMinute: 0))
        #expect(OpeningHours.allDay.isOpen(atMinute: 1439))
    }

    @Test(arguments: [
        "", " ", ",", "08:30", "08:30-", "-17:30", "8:30-17:30", "08:3-17:30", "0830-1730",
        "17:30-08:30", "08:30-08:30", "24:00-24:00", "00:00-24:01", "24:30-24:45", "25:00-26:00",
        "08:60-09:00", "ab:cd-ef:gh", "08:30-12:00-13:00", "08:30--17:30", "-08:30-17:30",
        "08:30-17:30,", ",08:30-17:30", "08:30-12:00,,13:30-17:30", "+8:30-17:30", "08:+5-17:30",
        "08:30-17:30;", "08:30 - 17:30", "08::30-17:30", ":08:30-17:30", "08:30:-17:30",
    ])
    func malformedHoursAreRejected(text: String) {
        #expect(OpeningHours(parsing: text) == nil)
    }

    @Test(arguments: ["08:30-17:30", "08:30-12:00,13:30-17:30", "00:00-24:00", "00:00-00:01", "09:05-09:55,23:00-24:00"])
    func descriptionRoundTrips(text: String) throws {
        let hours = try #require(OpeningHours(parsing: text))
        #expect(hours.description == text)
        #expect(OpeningHours(parsing: hours.description) == hours)
    }

    @Test func descriptionIsCanonical() throws {
        let hours = try #require(OpeningHours(parsing: " 08:30-12:00 ,13:30-17:30"))
        #expect(hours.description == "08:30-12:00,13:30-17:30")
        #expect(OpeningHours(ranges: [0..<5, 600..<1440]).description == "00:00-00:05,10:00-24:00")
    }

    @Test func minutesReadsHoursAndMinutes() {
        #expect(OpeningHours.minutes("00:00") == 0)
        #expect(OpeningHours.minutes("08:30") == 510)
        #expect(OpeningHours.minutes("23:59") == 1439)
        #expect(OpeningHours.minutes("24:00") == 1440)
        #expect(OpeningHours.minutes("24:01") == nil)
        #expect(OpeningHours.minutes("12:60") == nil)
        #expect(OpeningHours.minutes("-1:30") == nil)
    }
}
