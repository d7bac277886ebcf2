import Foundation
import KioskCore
import Testing
@testable import KioskDaemon

/// 预警: raised once when a wait crosses the threshold, cleared once when it recovers.
@Suite struct AlertTests {
    @Test func alertIsRaisedOncePerCrossingAndClearedOnRecovery() async throws {
        var q = QueueSettings()
        q.alertWaitSeconds = 1800
        let f = try HallFixture(queue: q)
        try await f.open("3")
        try await f.take("C")
        try await f.hall.checkAlerts()
        #expect(f.events("queue.alert").isEmpty)
        f.clock.advance(by: 1801)
        try await f.hall.checkAlerts()
        try await f.hall.checkAlerts()
        #expect(f.events("queue.alert").count == 1)
        #expect(f.events("queue.alert")[0].json.contains("\"state\":\"raised\""))
        _ = try await f.hall.call(window: "3", ticket: nil)
        try await f.hall.checkAlerts()
        #expect(f.events("queue.alert").count == 2)
        #expect(f.events("queue.alert")[1].json.contains("\"state\":\"cleared\""))
    }

    @Test func aLongEstimateRaisesTheAlertBeforeAnyoneHasWaited() async throws {
        var q = QueueSettings()
        q.alertWaitSeconds = 1800
        q.defaultServiceSeconds = 600
        let f = try HallFixture(queue: q)
        for _ in 0..<4 { try await f.take("C") }  // no window open: 4 × 600 s on one window
        try await f.hall.checkAlerts()
        #expect(f.events("queue.alert").count == 1)
    }
}
