import KioskDevices
import Testing

@Suite struct BackoffTests {
    @Test func waitsDoubleUpToTheMaximumAndResetOnSuccess() {
        var b = Backoff(initial: .milliseconds(500), maximum: .seconds(10), jitter: 0)
        let waits = (0..<8).map { _ in b.failed() }
        #expect(waits == [.milliseconds(500), .seconds(1), .seconds(2), .seconds(4), .seconds(8), .seconds(10), .seconds(10), .seconds(10)])
        b.succeeded()
        #expect(b.failures == 0)
        #expect(b.failed() == .milliseconds(500))
    }

    @Test func jitterStaysWithinItsShareAndTheMaximum() {
        var b = Backoff(initial: .seconds(1), maximum: .seconds(60), jitter: 0.2)
        for n in 0..<40 {
            let wait = b.failed()
            let base = min(Duration.seconds(1) * (1 << min(n, 30)), .seconds(60))
            #expect(wait >= base)
            #expect(wait <= min(base * 1.2, .seconds(60)))
        }
    }
}
