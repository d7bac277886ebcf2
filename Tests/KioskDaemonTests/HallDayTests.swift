import Foundation
import KioskCore
import KioskProtocol
import Testing
@testable import KioskDaemon

/// A whole hall-day through the injected clock: morning to midnight, the daily reset done by
/// the daemon, and the day's statistics.
@Suite struct HallDayTests {
    @Test func aWholeDayRunsAndRollsOverAtMidnight() async throws {
        let f = try HallFixture(start: HallFixture.beijing(23, 8, 0))
        try await f.hall.rollOverIfNeeded()
        // 08:00: category A opens at 08:30.
        #expect(await reason { try await f.take("A") } == "closed")
        f.clock.set(HallFixture.beijing(23, 8, 30))
        try await f.open("1")
        try await f.open("2", staff: "李强")
        var served = 0
        // Ten citizens arrive two minutes apart; windows take each for 6 minutes.
        for i in 0..<10 {
            let t = try await f.take("A")
            #expect(t.number == TicketNumber.format(prefix: "A", sequence: i + 1))
            f.clock.advance(by: 120)
            for w in ["1", "2"] {
                if let current = try await f.hall.windows().first(where: { $0.id == w })?.current {
                    if current.state == "called" { _ = try await f.hall.step(.start, window: w, ticket: nil) }
                    else if current.state == "serving" {
                        _ = try await f.hall.step(.finish, window: w, ticket: nil)
                        served += 1
                    }
                }
                if try await f.hall.windows().first(where: { $0.id == w })?.current == nil {
                    _ = try await f.hall.call(window: w, ticket: nil)
                }
            }
        }
        // One is left waiting at the end of the day, one called but absent.
        let lastCalled = try #require(try await f.hall.windows().compactMap(\.current).first { $0.state == "called" })
        let statsBefore = try await f.hall.stats(date: nil)
        #expect(statsBefore.date == "2026-11-23")
        #expect(statsBefore.categories.first { $0.key == "A" }?.issued == 10)
        #expect(statsBefore.total.served == served)
        #expect(statsBefore.total.averageWaitSeconds != nil)
        #expect(statsBefore.total.averageServiceSeconds != nil)

        // 23:59:59 is still the same day; 00:00 is the next.
        f.clock.set(HallFixture.beijing(23, 23, 59).addingTimeInterval(59))
        #expect(try await f.hall.rollOverIfNeeded() == false)
        f.clock.set(HallFixture.beijing(24, 0, 0))
        #expect(try await f.hall.rollOverIfNeeded() == true)
        #expect(try await f.hall.rollOverIfNeeded() == false)  // once per day

        let rolled = try #require(f.events("day.rolled_over").last)
        #expect(rolled.json.contains("\"from\":\"2026-11-23\""))
        #expect(rolled.json.contains("\"to\":\"2026-11-24\""))
        // The called ticket from yesterday is cancelled, so its window is free again.
        let expired = try await f.hall.ticket(id: lastCalled.id, number: nil, date: nil)
        #expect(expired.state == "cancelled")
        #expect(expired.cancelReason == "day_ended")
        // Numbers start again at 001 in the 24-hour category, today.
        let first = try await f.take("C")
        #expect(first.number == "C001")
        #expect(first.day == "2026-11-24")
        // Yesterday's figures are kept.
        let yesterday = try await f.hall.stats(date: "2026-11-23")
        #expect(yesterday.categories.first { $0.key == "A" }?.issued == 10)
        #expect(try await f.hall.stats(date: nil).categories.first { $0.key == "A" }?.issued == 0)
    }

    @Test func dayStartsAtConfiguredTimeNotMidnight() throws {
        let cal = HallCalendar(timeZone: TimeZone(identifier: "Asia/Shanghai")!, dayStartsAtMinutes: 4 * 60)
        #expect(cal.day(for: HallFixture.beijing(24, 3, 59)).rawValue == "2026-11-23")
        #expect(cal.day(for: HallFixture.beijing(24, 4, 0)).rawValue == "2026-11-24")
    }

    @Test func numbersAreNeverReusedWithinADayAndRestartTheNext() async throws {
        let f = try HallFixture(start: HallFixture.beijing(23, 10))
        var numbers = Set<String>()
        for _ in 0..<20 { numbers.insert(try await f.take("C").number) }
        #expect(numbers.count == 20)
        #expect(numbers.contains("C020"))
        f.clock.set(HallFixture.beijing(24, 10))
        #expect(try await f.take("C").number == "C001")
    }
}
