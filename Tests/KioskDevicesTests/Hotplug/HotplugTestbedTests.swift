import Foundation
import Testing

extension HotplugTests {
    /// Hotplug through the umockdev Testbed: Devices/umockdev/hotplug.py (Debian's python3 with gi,
    /// under umockdev-wrapper) runs `kiosk-devtool monitor`, plugs the fake printer in, pulls it
    /// out with a "remove" uevent, and plugs it in again; the monitor must report each, in order,
    /// and USBTransport must have the device open ("usable") well within the 500 ms the issue
    /// allows from udev event to usable device.
    @Suite(.enabled(if: RepoPaths.haveUmockdev && RepoPaths.executable("/usr/bin/python3"), "umockdev or python3 missing"))
    struct HotplugTestbedTests {
        @Test func addRemoveReAddIsReportedInOrderAndFast() throws {
            #expect(RepoPaths.executable(RepoPaths.devtool), "kiosk-devtool not built at \(RepoPaths.devtool)")
            let r = try ProcessRunner.run(
                "/usr/bin/umockdev-wrapper",
                [
                    "/usr/bin/python3", RepoPaths.repo("Devices/umockdev/hotplug.py"), RepoPaths.devtool,
                    RepoPaths.repo("Devices/umockdev/printer-58mm.umockdev"), "2",
                    RepoPaths.repo("Devices/umockdev/printer-ticket.ioctl"), "usb:0416:5011",
                ])
            #expect(r.status == 0, "hotplug.py failed: \(r.stdout)\(r.stderr)")

            let events = r.objects.compactMap { $0["event"] as? String }.filter { $0 != "ready" }
            #expect(events == ["added", "opened", "removed", "added", "opened", "removed"])
            for object in r.objects where object["event"] as? String == "added" || object["event"] as? String == "removed" {
                let node = try #require(object["node"] as? [String: any Sendable])
                #expect(node["vendorID"] as? String == "0416" && node["productID"] as? String == "5011")
                #expect(node["serial"] as? String == "KP58A0001")
            }

            let steps = r.objects.filter { $0["step"] != nil }
            #expect(steps.compactMap { $0["step"] as? String } == ["add", "usable", "remove", "add", "usable", "remove"])
            var latencies: [String] = []
            for step in steps {
                let latency = try #require(step["latencyMs"] as? Double, "no report for \(step)")
                // The 500 ms target is a benchmark figure (docs/benchmarks.md), not asserted here.
                latencies.append("\(step["step"]!)#\(step["round"]!) \(latency) ms")
            }
            print("hotplug latency (uevent → report / open): \(latencies.joined(separator: ", "))")
            #expect(r.objects.last?["ok"] as? Bool == true)
        }
    }
}
