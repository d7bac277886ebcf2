import Testing

@testable import KioskDevices

extension HotplugTests {
    /// The rules that keep the initial scan and the queued udev events consistent.
    @Suite struct HotplugDeduplicatorTests {
        static func node(_ n: Int, devnode: String? = "/dev/bus/usb/001/00\(1)") -> DeviceNode {
            DeviceNode(
                syspath: "/sys/devices/usb1/1-\(n)", devnode: devnode, subsystem: "usb", vendorID: "0416",
                productID: "5011")
        }

        @Test func scanReportsEachOnceThenCompletes() {
            var d = HotplugDeduplicator()
            let a = Self.node(1)
            #expect(d.scanned([a, a]) == [.added(a), .initialScanComplete])
        }

        @Test func queuedAddForAScannedDeviceIsDropped() {
            // Plugged in while the scan ran: the scan saw it, and its add is still queued.
            var d = HotplugDeduplicator()
            let a = Self.node(1)
            _ = d.scanned([a])
            #expect(d.received(action: "add", syspath: a.syspath, node: a) == nil)
        }

        @Test func addDuringTheScanThatTheScanMissedIsReported() {
            var d = HotplugDeduplicator()
            let b = Self.node(2)
            _ = d.scanned([])
            #expect(d.received(action: "add", syspath: b.syspath, node: b) == .added(b))
        }

        @Test func removeOfANeverReportedDeviceIsDropped() {
            var d = HotplugDeduplicator()
            _ = d.scanned([])
            #expect(d.received(action: "remove", syspath: "/sys/devices/usb1/1-9", node: nil) == nil)
        }

        @Test func removeReportsTheNodeAsAddedAndReAddWorks() {
            var d = HotplugDeduplicator()
            let a = Self.node(1)
            _ = d.scanned([a])
            var gone = a
            gone.vendorID = nil  // sysfs is gone at removal
            #expect(d.received(action: "remove", syspath: a.syspath, node: gone) == .removed(a))
            #expect(d.received(action: "remove", syspath: a.syspath, node: gone) == nil)
            #expect(d.received(action: "add", syspath: a.syspath, node: a) == .added(a))
            #expect(d.present.keys.sorted() == [a.syspath])
        }

        @Test func unreportedKindsAndLateDevnodes() {
            var d = HotplugDeduplicator()
            _ = d.scanned([])
            #expect(d.received(action: "add", syspath: "/sys/devices/usb1/1-1/1-1:1.0", node: nil) == nil)
            let late = Self.node(3)
            #expect(d.received(action: "change", syspath: late.syspath, node: Self.node(3, devnode: nil)) == nil)
            #expect(d.received(action: "bind", syspath: late.syspath, node: late) == .added(late))
            #expect(d.received(action: "bind", syspath: late.syspath, node: late) == nil)
        }
    }
}
