import Foundation
import Testing

@testable import KioskCore

@Suite("Hall calendar: hall-days start at day_starts_at in the hall's time zone")
struct HallCalendarTests {
    let midnight = HallCalendar(timeZone: shanghai, dayStartsAtMinutes: 0)
    let fourAM = HallCalendar(timeZone: shanghai, dayStartsAtMinutes: 4 * 60)

    // MARK: day(for:)

    @Test func withMidnightStartTheDayChangesAtLocalMidnight() {
        #expect(midnight.day(for: local(2026, 11, 20, 23, 59, 59)) == HallDay("2026-11-20"))
        #expect(midnight.day(for: local(2026, 11, 21, 0, 0, 0)) == HallDay("2026-11-21"))
    }

    @Test func localMidnightIsNotUTCMidnight() {
        // 2026-11-21 07:00 local is 2026-11-20 23:00 UTC: still the 21st in the hall.
        #expect(midnight.day(for: local(2026, 11, 21, 7, 0)) == HallDay("2026-11-21"))
        // 2026-11-21 08:30 local is 00:30 UTC on the 21st.
        #expect(midnight.day(for: local(2026, 11, 21, 8, 30)) == HallDay("2026-11-21"))
    }

    /// The calendar remembers the last day's span; a remembered answer must equal a fresh one,
    /// also across daylight-saving changes and with a day start inside the changed hour.
    @Test(arguments: [("Asia/Shanghai", 0), ("America/New_York", 150), ("America/Havana", 0), ("Europe/Berlin", 120)])
    func aRememberedDayEqualsAFreshlyComputedOne(zone: String, startsAt: Int) {
        let calendar = HallCalendar(timeZone: TimeZone(identifier: zone)!, dayStartsAtMinutes: startsAt)
        var date = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01
        let end = date.addingTimeInterval(366 * 86_400)
        var mismatches = 0
        while date < end {
            if calendar.day(for: date) != calendar.computeDay(for: date) { mismatches += 1 }
            date.addTimeInterval(1_201)  // ~20 min, never in step with an hour
        }
        #expect(mismatches == 0)
    }

    @Test func withFourAMStartTheSmallHoursBelongToThePreviousDay() {
        #expect(fourAM.day(for: local(2026, 11, 21, 0, 0, 0)) == HallDay("2026-11-20"))
        #expect(fourAM.day(for: local(2026, 11, 20, 23, 59, 59)) == HallDay("2026-11-20"))
        #expect(fourAM.day(for: local(2026, 11, 21, 3, 59, 59)) == HallDay("2026-11-20"))
        #expect(fourAM.day(for: local(2026, 11, 21, 4, 0, 0)) == HallDay("2026-11-21"))
    }

    @Test func dayChangesAcrossMonthAndYearEnds() {
        #expect(midnight.day(for: local(2026, 12, 31, 23, 59, 59)) == HallDay("2026-12-31"))
        #expect(midnight.day(for: local(2027, 1, 1, 0, 0, 0)) == HallDay("2027-01-01"))
        #expect(fourAM.day(for: local(2027, 1, 1, 3, 0)) == HallDay("2026-12-31"))
        #expect(midnight.day(for: local(2028, 2, 29, 12, 0)) == HallDay("2028-02-29"))
    }

    // MARK: start(of:) and nextDayStart(after:)

    @Test func aDayStartsAtDayStartsAtLocal() {
        #expect(midnight.start(of: HallDay("2026-11-21")) == local(2026, 11, 21, 0, 0))
        #expect(fourAM.start(of: HallDay("2026-11-21")) == local(2026, 11, 21, 4, 0))
    }

    @Test func nextDayStartIsTheComingLocalMidnight() {
        #expect(midnight.nextDayStart(after: local(2026, 11, 20, 23, 59, 59)) == local(2026, 11, 21, 0, 0))
        #expect(midnight.nextDayStart(after: local(2026, 11, 21, 0, 0, 0)) == local(2026, 11, 22, 0, 0))
        #expect(midnight.nextDayStart(after: local(2026, 12, 31, 12, 0)) == local(2027, 1, 1, 0, 0))
    }

    @Test func nextDayStartWithFourAMStart() {
        #expect(fourAM.nextDayStart(after: local(2026, 11, 21, 0, 0, 0)) == local(2026, 11, 21, 4, 0))
        #expect(fourAM.nextDayStart(after: local(2026, 11, 21, 3, 59, 59)) == local(2026, 11, 21, 4, 0))
        #expect(fourAM.nextDayStart(after: local(2026, 11, 21, 4, 0, 0)) == local(2026, 11, 22, 4, 0))
        #expect(fourAM.nextDayStart(after: local(2026, 11, 21, 23, 59, 59)) == local(2026, 11, 22, 4, 0))
    }

    @Test func nextDayStartIsAlwaysLaterAndStartsTheNextDay() {
        var date = local(2026, 2, 27, 0, 0)
        for _ in 0..<(4 * 24 * 6) {  // four days in 10-minute steps, across Feb 28 → Mar 1
            for cal in [midnight, fourAM] {
                let next = cal.nextDayStart(after: date)
                #expect(next > date)
                #expect(next.timeIntervalSince(date) <= 86_400)
                #expect(cal.day(for: next) != cal.day(for: date))
                #expect(cal.day(for: next.addingTimeInterval(-1)) == cal.day(for: date))
            }
            date.addTimeInterval(600)
        }
    }

    // MARK: previous(_:)

    @Test func previousDayCrossesMonthYearAndLeapDay() {
        for cal in [midnight, fourAM] {
            #expect(cal.previous(HallDay("2026-11-21")) == HallDay("2026-11-20"))
            #expect(cal.previous(HallDay("2026-03-01")) == HallDay("2026-02-28"))
            #expect(cal.previous(HallDay("2028-03-01")) == HallDay("2028-02-29"))
            #expect(cal.previous(HallDay("2027-01-01")) == HallDay("2026-12-31"))
        }
    }

    // MARK: minuteOfDay

    @Test func minuteOfDayIsLocalWallClockTime() {
        #expect(midnight.minuteOfDay(local(2026, 11, 21, 0, 0, 0)) == 0)
        #expect(midnight.minuteOfDay(local(2026, 11, 21, 8, 30, 59)) == 510)
        #expect(midnight.minuteOfDay(local(2026, 11, 21, 23, 59, 59)) == 1439)
    }

    @Test func minuteOfDayDoesNotDependOnTheDayStart() {
        #expect(fourAM.minuteOfDay(local(2026, 11, 21, 2, 15)) == 135)
        #expect(fourAM.minuteOfDay(local(2026, 11, 21, 17, 30)) == 1050)
    }

    @Test func anotherTimeZoneGivesItsOwnWallClock() {
        let utc = HallCalendar(timeZone: TimeZone(identifier: "UTC")!)
        #expect(utc.minuteOfDay(local(2026, 11, 21, 9, 0)) == 60)
        #expect(utc.day(for: local(2026, 11, 21, 7, 0)) == HallDay("2026-11-20"))
    }

    // MARK: HallDay

    @Test(arguments: ["2026-11-21", "2028-02-29", "2026-12-31", "2026-01-01"])
    func validDaysParse(text: String) {
        #expect(HallDay(validating: text)?.rawValue == text)
    }

    @Test(arguments: [
        "2026-02-30", "2026-02-29", "2026-04-31", "2026-13-01", "2026-00-10", "2026-11-00", "2026-11-32",
        "2026-1-21", "26-11-21", "2026/11/21", "2026-11-21T00:00", "", "today", "2026-11",
        "2026-+1-21", "2026-11-+1", "+026-11-21", "2026-11-21-01", "2026--11-21", "-2026-11-21", "2026-11-21-", "２０２６-11-21",
    ])
    func impossibleOrMalformedDaysAreRejected(text: String) {
        #expect(HallDay(validating: text) == nil)
    }

    @Test func hallDaysOrderByDate() {
        #expect(HallDay("2026-11-20") < HallDay("2026-11-21"))
        #expect(HallDay("2026-12-31") < HallDay("2027-01-01"))
    }

    @Test func hallDayEncodesAsItsDateString() throws {
        let data = try JSONEncoder().encode([HallDay("2026-11-21")])
        #expect(String(decoding: data, as: UTF8.self) == #"["2026-11-21"]"#)
        #expect(try JSONDecoder().decode([HallDay].self, from: data) == [HallDay("2026-11-21")])
    }
}
