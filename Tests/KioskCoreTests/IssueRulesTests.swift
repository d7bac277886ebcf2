import Foundation
import Testing

@testable import KioskCore

@Suite("Issue rules (取号): hours, daily limit, pre-review, one ticket per person, priority")
struct IssueRulesTests {
    let calendar = HallCalendar(timeZone: shanghai)

    func category(hours: String = "00:00-24:00", dailyLimit: Int? = nil, prereview: Bool = false) -> Category {
        Category(
            id: "A", name: "企业开办", prefix: "A", dailyLimit: dailyLimit,
            hours: OpeningHours(parsing: hours)!, requiresPrereview: prereview)
    }

    func isOpen(_ c: Category, at date: Date) -> Bool {
        (try? IssueRules.checkOpen(c, minuteOfDay: calendar.minuteOfDay(date))) != nil
    }

    // MARK: hours

    @Test func closedBeforeOpeningAndFromClosingTime() {
        let c = category(hours: "08:30-17:30")
        #expect(!isOpen(c, at: local(2026, 11, 21, 8, 29, 59)))
        #expect(isOpen(c, at: local(2026, 11, 21, 8, 30)))
        #expect(isOpen(c, at: local(2026, 11, 21, 17, 29, 59)))
        #expect(!isOpen(c, at: local(2026, 11, 21, 17, 30)))
        #expect(!isOpen(c, at: local(2026, 11, 21, 23, 0)))
    }

    @Test func outsideHoursIsRefusedAsClosed() {
        let c = category(hours: "08:30-17:30")
        let error = expectRefusal(.closed) { try IssueRules.checkOpen(c, minuteOfDay: 7 * 60) }
        #expect(error?.details["hours"] == "08:30-17:30")
    }

    @Test func splitHoursAreClosedAtLunch() {
        let c = category(hours: "08:30-12:00,13:30-17:30")
        #expect(isOpen(c, at: local(2026, 11, 21, 11, 59)))
        #expect(!isOpen(c, at: local(2026, 11, 21, 12, 0)))
        #expect(!isOpen(c, at: local(2026, 11, 21, 13, 29)))
        #expect(isOpen(c, at: local(2026, 11, 21, 13, 30)))
        #expect(!isOpen(c, at: local(2026, 11, 21, 17, 30)))
        expectRefusal(.closed) { try IssueRules.checkOpen(c, minuteOfDay: 12 * 60 + 45) }
    }

    @Test func theTwentyFourHourZoneIsOpenEveryMinute() throws {
        let c = category(hours: "00:00-24:00")
        for minute in 0..<1440 { try IssueRules.checkOpen(c, minuteOfDay: minute) }
        #expect(isOpen(c, at: local(2026, 11, 21, 0, 0, 0)))
        #expect(isOpen(c, at: local(2026, 11, 21, 23, 59, 59)))
    }

    @Test func hoursAreReadInTheHallsTimeZoneNotUTC() {
        // 09:00 in Shanghai is 01:00 UTC: open at a 08:30-17:30 hall.
        #expect(isOpen(category(hours: "08:30-17:30"), at: local(2026, 11, 21, 9, 0)))
        // 20:00 in Shanghai is 12:00 UTC: closed.
        #expect(!isOpen(category(hours: "08:30-17:30"), at: local(2026, 11, 21, 20, 0)))
    }

    // MARK: daily limit (号源)

    @Test func theLastTicketUnderTheLimitIsIssued() throws {
        try IssueRules.checkDailyLimit(category(dailyLimit: 300), issuedToday: 299)
        try IssueRules.checkDailyLimit(category(dailyLimit: 300), issuedToday: 0)
    }

    @Test func atExactlyTheLimitTheNextIsRefused() {
        let error = expectRefusal(.dailyLimit) {
            try IssueRules.checkDailyLimit(category(dailyLimit: 300), issuedToday: 300)
        }
        #expect(error?.details["dailyLimit"] == "300")
        expectRefusal(.dailyLimit) { try IssueRules.checkDailyLimit(category(dailyLimit: 300), issuedToday: 301) }
        expectRefusal(.dailyLimit) { try IssueRules.checkDailyLimit(category(dailyLimit: 0), issuedToday: 0) }
    }

    @Test func noDailyLimitMeansUnlimited() throws {
        try IssueRules.checkDailyLimit(category(dailyLimit: nil), issuedToday: 1_000_000)
    }

    // MARK: pre-review (先预审、后排队)

    @Test func aKioskCannotIssueAPrereviewCategory() {
        expectRefusal(.prereviewRequired) { try IssueRules.checkPrereview(category(prereview: true), issuer: .kiosk) }
    }

    @Test func aCounterAtAnOrdinaryWindowCannotIssueAPrereviewCategory() {
        let ordinary = Window(id: "3", name: "3号窗口", serves: ["A"], prereview: false)
        expectRefusal(.prereviewRequired) {
            try IssueRules.checkPrereview(category(prereview: true), issuer: .counter(ordinary))
        }
    }

    @Test func aCounterAtAPrereviewWindowIssuesAPrereviewCategory() throws {
        let desk = Window(id: "P1", name: "预审台", serves: [], prereview: true)
        try IssueRules.checkPrereview(category(prereview: true), issuer: .counter(desk))
    }

    @Test func categoriesWithoutPrereviewAreIssuedAnywhere() throws {
        try IssueRules.checkPrereview(category(prereview: false), issuer: .kiosk)
        try IssueRules.checkPrereview(category(prereview: false), issuer: .counter(Window(id: "3", name: "3", serves: [])))
    }

    // MARK: one active ticket per person

    @Test func aPersonWithoutAnActiveTicketMayTakeOne() throws {
        try IssueRules.checkNoActiveTicket(nil)
    }

    @Test func aPersonWithAnActiveTicketIsRefusedAsDuplicate() {
        let held = ticket(17, id: 4242)
        let error = expectRefusal(.duplicateTicket) { try IssueRules.checkNoActiveTicket(held) }
        #expect(error?.details["number"] == "A017")
        #expect(error?.details["ticket"] == "4242")
    }

    // MARK: priority

    let settings = QueueSettings()

    @Test func defaultGreenChannelAgeIsSixty() {
        #expect(settings.greenChannelAge == 60)
        #expect(settings.priorityBurst == 3)
        #expect(settings.maxRecalls == 3)
        #expect(settings.requeueLimit == 1)
        #expect(settings.alertWaitSeconds == 1800)
        #expect(settings.defaultServiceSeconds == 600)
    }

    @Test func anAskedForGreenChannelIsGreen() {
        #expect(IssueRules.priority(requested: .green, appointment: false, age: nil, settings: settings) == .green)
        #expect(IssueRules.priority(requested: .green, appointment: false, age: 30, settings: settings) == .green)
    }

    @Test func withoutAskingOrAgeTheTicketIsNormal() {
        #expect(IssueRules.priority(requested: nil, appointment: false, age: nil, settings: settings) == .normal)
        #expect(IssueRules.priority(requested: .normal, appointment: false, age: 35, settings: settings) == .normal)
    }

    @Test func appointmentPriorityNeedsACheckedInAppointment() {
        #expect(IssueRules.priority(requested: .appointment, appointment: false, age: nil, settings: settings) == .normal)
        #expect(IssueRules.priority(requested: nil, appointment: true, age: nil, settings: settings) == .appointment)
        #expect(IssueRules.priority(requested: .green, appointment: true, age: 80, settings: settings) == .appointment)
    }

    @Test func greenChannelIsAutomaticFromTheSixtiethBirthday() throws {
        let id = try IDNumber(validating: idNumber(birth: "19661121"))
        let onBirthday = id.age(on: HallDay("2026-11-21"))
        let dayBefore = id.age(on: HallDay("2026-11-20"))
        #expect(onBirthday == 60)
        #expect(dayBefore == 59)
        #expect(IssueRules.priority(requested: nil, appointment: false, age: onBirthday, settings: settings) == .green)
        #expect(IssueRules.priority(requested: nil, appointment: false, age: dayBefore, settings: settings) == .normal)
        #expect(IssueRules.priority(requested: .normal, appointment: false, age: 75, settings: settings) == .green)
    }

    @Test func greenChannelAgeFollowsTheSetting() {
        var s = QueueSettings()
        s.greenChannelAge = 65
        #expect(IssueRules.priority(requested: nil, appointment: false, age: 64, settings: s) == .normal)
        #expect(IssueRules.priority(requested: nil, appointment: false, age: 65, settings: s) == .green)
    }
}
