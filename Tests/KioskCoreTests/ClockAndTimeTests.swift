import Foundation
import Testing

@testable import KioskCore

@Suite("Clock and timestamps")
struct ClockAndTimeTests {
    @Test func manualClockMovesOnlyWhenTold() {
        let clock = ManualClock(t0)
        #expect(clock.now() == t0)
        #expect(clock.now() == t0)
        clock.advance(by: 90)
        #expect(clock.now() == t0.addingTimeInterval(90))
        clock.set(local(2026, 11, 22, 0, 0))
        #expect(clock.now() == local(2026, 11, 22, 0, 0))
    }

    @Test func timestampsCarryTheirOffset() throws {
        let text = ISO8601.string(local(2026, 11, 21, 9, 30), timeZone: shanghai)
        #expect(text.hasPrefix("2026-11-21T09:30:00"))
        #expect(text.hasSuffix("+08:00"))
        #expect(ISO8601.string(local(2026, 11, 21, 9, 30)).hasPrefix("2026-11-21T01:30:00"))
    }

    @Test func timestampsRoundTrip() throws {
        let at = local(2026, 11, 21, 9, 30, 15).addingTimeInterval(0.25)
        for zone in [shanghai, TimeZone(identifier: "UTC")!] {
            let parsed = try #require(ISO8601.date(ISO8601.string(at, timeZone: zone)))
            #expect(abs(parsed.timeIntervalSince(at)) < 0.001)
        }
        #expect(ISO8601.date("2026-11-21T09:30:00+08:00") == local(2026, 11, 21, 9, 30))
        #expect(ISO8601.date("yesterday") == nil)
    }
}
