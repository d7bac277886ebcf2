import Foundation
import Testing

@testable import kioskctl

@Suite("kioskctl prints hall time with its offset")
struct TimeTextTests {
    let now = Format.parseISO("2026-11-22T10:00:00.000+08:00")!

    @Test func aTimeKeepsTheHallsOffset() {
        #expect(Format.clock("2026-11-22T04:37:05.112+08:00") == "04:37:05 +08:00")
        // Never re-read in this machine's zone, never shown without its zone.
        #expect(Format.clock("2026-11-21T20:37:05.112Z") == "20:37:05 +00:00")
        #expect(Format.clock("2026-11-22T04:37:05+0800") == "04:37:05 +08:00")
        #expect(Format.clock("2026-11-22T04:37:05-03:30") == "04:37:05 -03:30")
    }

    @Test func aDateIsShownUnlessItIsToday() {
        #expect(Format.dateTime("2026-11-22T04:37:05.112+08:00", now: now) == "04:37:05 +08:00")
        #expect(Format.dateTime("2026-11-21T23:59:00.000+08:00", now: now) == "2026-11-21 23:59:00 +08:00")
        // 02:00 UTC on the 22nd is the 22nd in the hall, but "today" is judged at the time's own offset.
        #expect(Format.dateTime("2026-11-21T20:00:00.000Z", now: now) == "2026-11-21 20:00:00 +00:00")
        #expect(Format.dateTime("2026-11-20T09:00:00.000+08:00", sameDayAs: "2026-11-20") == "09:00:00 +08:00")
    }

    @Test func deviceFieldsRecogniseTimestamps() {
        #expect(DeviceText.isTimestamp("2026-11-22T04:37:05.112+08:00"))
        #expect(!DeviceText.isTimestamp("paper out"))
        #expect(!DeviceText.isTimestamp("2026-11-22"))
    }
}
