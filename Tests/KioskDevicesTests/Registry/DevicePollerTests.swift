import Dispatch
import Foundation
import Synchronization
import Testing

@testable import KioskDevices

/// The poll that doubles as every device's reconnection loop.
@Suite struct DevicePollerTests {
    final class Log: Sendable {
        let calls = Mutex<[ContinuousClock.Instant]>([])
        var times: [ContinuousClock.Instant] { calls.withLock { $0 } }
    }

    @Test func failingChecksBackOffAndASuccessRestoresTheInterval() async throws {
        let log = Log()
        let poller = DevicePoller()
        let queue = DispatchQueue(label: "test.poller")
        // Fails four times, then reaches the device.
        poller.start(
            every: .milliseconds(10), backoff: Backoff(initial: .milliseconds(40), maximum: .seconds(1), jitter: 0),
            on: queue
        ) {
            let n = log.calls.withLock { c in
                c.append(.now)
                return c.count
            }
            return n > 4
        }
        defer { poller.stop() }
        let end = ContinuousClock.now + .seconds(5)
        while ContinuousClock.now < end, log.times.count < 8 { try await Task.sleep(for: .milliseconds(10)) }
        let t = log.times
        try #require(t.count >= 8)
        let gaps = zip(t.dropFirst(), t).map { $0 - $1 }
        // After failures 1…4 the waits are at least 40, 80, 160, 320 ms (timers never fire early).
        for (i, least) in [40, 80, 160, 320].enumerated() {
            #expect(gaps[i] >= .milliseconds(least), "gap \(i) was \(gaps[i])")
        }
        #expect(poller.failures == 0)
        // Then back to the plain interval: three quick checks take far less than one backoff step.
        #expect(t[7] - t[4] < .milliseconds(300))
    }

    @Test func stopEndsTheChecks() async throws {
        let log = Log()
        let poller = DevicePoller()
        poller.start(every: .milliseconds(5), on: DispatchQueue(label: "test.poller.stop")) {
            log.calls.withLock { $0.append(.now) }
            return true
        }
        try await Task.sleep(for: .milliseconds(100))
        poller.stop()
        #expect(!poller.isRunning)
        try await Task.sleep(for: .milliseconds(30))
        let count = log.times.count
        #expect(count > 0)
        try await Task.sleep(for: .milliseconds(100))
        #expect(log.times.count == count)
    }
}
