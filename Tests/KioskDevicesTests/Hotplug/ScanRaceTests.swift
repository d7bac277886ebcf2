import Foundation
import Testing

extension HotplugTests {
    /// A device plugged in while the monitor starts — before, during or after its initial scan —
    /// is reported exactly once (Devices/umockdev/scan_race.py under umockdev-wrapper): the
    /// monitor is enabled before the scan, and a queued add for a scanned device is dropped.
    @Suite(.enabled(if: RepoPaths.haveUmockdev && RepoPaths.executable("/usr/bin/python3"), "umockdev or python3 missing"))
    struct ScanRaceTests {
        @Test func aDevicePluggedInDuringStartupIsReportedOnce() throws {
            #expect(RepoPaths.executable(RepoPaths.devtool), "kiosk-devtool not built at \(RepoPaths.devtool)")
            let r = try ProcessRunner.run(
                "/usr/bin/umockdev-wrapper",
                [
                    "/usr/bin/python3", RepoPaths.repo("Devices/umockdev/scan_race.py"), RepoPaths.devtool,
                    RepoPaths.repo("Devices/umockdev/printer-58mm.umockdev"), "0", "2", "5", "10",
                ])
            #expect(r.status == 0, "scan_race.py: \(r.stdout)\(r.stderr)")
            let attempts = r.objects.filter { $0["delayMs"] != nil }
            #expect(attempts.count == 4)
            for attempt in attempts {
                #expect(attempt["added"] as? Int == 1, "\(attempt)")
                #expect(attempt["removed"] as? Int == 1, "\(attempt)")
            }
        }
    }
}
