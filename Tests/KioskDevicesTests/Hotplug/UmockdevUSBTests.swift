import Foundation
import Testing

extension HotplugTests {
    /// The real libudev and libusb code under umockdev: `kiosk-devtool` runs inside `umockdev-run`
    /// (its LD_PRELOAD fakes sysfs, udev and usbdevfs), and we check what it printed. The ioctl
    /// scripts hold the exact bytes the printer must receive; a different byte makes libusb fail.
    @Suite(.enabled(if: RepoPaths.haveUmockdev, "umockdev is not installed (scripts/setup installs it)"))
    struct UmockdevUSBTests {
        static let fixtures = RepoPaths.repo("Devices/umockdev")
        static let printer = fixtures + "/printer-58mm.umockdev"
        static let reader = fixtures + "/reader-ch340.umockdev"
        /// ESC @, ESC a 1, GS ! 0x11, "A001\n", GS ! 0, GB18030 "请稍候\n", ESC d 5, GS V 1.
        static let ticket = "1b401b61011d2111413030310a1d2100c7ebc9d4baf20a1b64051d5601"

        func devtool(devices: [String], ioctl: String? = nil, _ args: [String]) throws -> ProcessResult {
            #expect(RepoPaths.executable(RepoPaths.devtool), "kiosk-devtool not built at \(RepoPaths.devtool)")
            var umockdev: [String] = []
            for d in devices { umockdev += ["-d", d] }
            if let ioctl { umockdev += ["-i", "/dev/bus/usb/001/002=\(Self.fixtures)/\(ioctl)"] }
            return try ProcessRunner.run("/usr/bin/umockdev-run", umockdev + ["--", RepoPaths.devtool] + args)
        }

        @Test func enumerationSeesThePrinterAndTheReaderTTY() throws {
            let r = try devtool(devices: [Self.printer, Self.reader], ["list"])
            #expect(r.status == 0, "\(r.stderr)")
            let nodes = r.events("added").compactMap { $0["node"] as? [String: any Sendable] }
            let printer = try #require(nodes.first { $0["subsystem"] as? String == "usb" && $0["vendorID"] as? String == "0416" })
            #expect(printer["productID"] as? String == "5011")
            #expect(printer["serial"] as? String == "KP58A0001")
            #expect(printer["devnode"] as? String == "/dev/bus/usb/001/002")
            #expect(printer["busnum"] as? Int == 1 && printer["devnum"] as? Int == 2)
            // The reader's tty carries its USB parent's IDs, so `match = "usb:1a86:7523"` finds it.
            let tty = try #require(nodes.first { $0["subsystem"] as? String == "tty" })
            #expect(tty["devnode"] as? String == "/dev/ttyUSB0")
            #expect(tty["vendorID"] as? String == "1a86" && tty["productID"] as? String == "7523")
            // USB interfaces are not reported; the scan ends with "ready".
            #expect(nodes.count == 3)
            #expect(r.objects.last?["event"] as? String == "ready")
        }

        @Test func writesTheExactTicketAndReadsTheStatusReply() throws {
            let r = try devtool(
                devices: [Self.printer], ioctl: "printer-ticket.ioctl",
                ["usb", "usb:0416:5011", "w:\(Self.ticket)", "w:100401", "r:1"])
            #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
            let opened = try #require(r.events("opened").first)
            #expect(opened["interface"] as? Int == 0 && opened["out"] as? Int == 0x01 && opened["in"] as? Int == 0x81)
            #expect(r.events("written").compactMap { $0["count"] as? Int } == [29, 3])
            #expect(r.events("read").first?["hex"] as? String == "16")
            #expect(r.events("error").isEmpty)
        }

        @Test func matchingBySerialNumber() throws {
            let r = try devtool(
                devices: [Self.printer], ioctl: "printer-ticket.ioctl",
                ["usb", "usb:0416:5011:KP58A0001", "w:\(Self.ticket)"])
            #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
            let other = try devtool(devices: [Self.printer], ["usb", "usb:0416:5011:SOMEONE-ELSE"])
            #expect(other.events("error").first?["kind"] as? String == "notFound")
        }

        @Test func aWrongByteFailsWithIOError() throws {
            let wrong = Self.ticket.replacingOccurrences(of: "413030310a", with: "413030320a")  // A002
            let r = try devtool(
                devices: [Self.printer], ioctl: "printer-ticket.ioctl", ["usb", "usb:0416:5011", "w:\(wrong)"])
            let error = try #require(r.events("error").first)
            #expect(error["kind"] as? String == "io")
            #expect((error["message"] as? String)?.contains("LIBUSB_ERROR_IO") == true)
            #expect(r.status == 1)
        }

        @Test func aStallIsReportedAndClearedSoTheRetryGoesThrough() throws {
            let bytes = "1b40413030310a1d5601"
            let r = try devtool(
                devices: [Self.printer], ioctl: "printer-stall.ioctl", ["usb", "usb:0416:5011", "w:\(bytes)", "w:\(bytes)"])
            let error = try #require(r.events("error").first)
            #expect(error["kind"] as? String == "io" && error["message"] as? String == "stall")
            #expect(r.events("written").compactMap { $0["count"] as? Int } == [10])
        }

        @Test func anAbsentModelIsNotFound() throws {
            let r = try devtool(devices: [Self.printer], ["usb", "usb:04b8:0202"])
            let error = try #require(r.events("error").first)
            #expect(error["kind"] as? String == "notFound")
            #expect(r.events("opened").isEmpty)
        }
    }
}
