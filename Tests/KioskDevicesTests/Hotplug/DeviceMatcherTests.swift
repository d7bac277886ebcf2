import KioskCore
import Synchronization
import Testing

@testable import KioskDevices

extension HotplugTests {
    /// Which `[[devices]]` entry a udev node satisfies, without udev: nodes are built by hand.
    @Suite struct DeviceMatcherTests {
        static let printerNode = DeviceNode(
            syspath: "/sys/devices/pci0000:00/0000:00:14.0/usb1/1-1", devnode: "/dev/bus/usb/001/002",
            subsystem: "usb", vendorID: "0416", productID: "5011", serial: "KP58A0001", busnum: 1, devnum: 2,
            devlinks: ["/dev/kiosk/printer-0416-5011-KP58A0001"])
        static let readerTTY = DeviceNode(
            syspath: "/sys/devices/pci0000:00/0000:00:14.0/usb1/1-2/1-2:1.0/ttyUSB0/tty/ttyUSB0",
            devnode: "/dev/ttyUSB0", subsystem: "tty", vendorID: "1a86", productID: "7523")
        static let readerUSB = DeviceNode(
            syspath: "/sys/devices/pci0000:00/0000:00:14.0/usb1/1-2", devnode: "/dev/bus/usb/001/003",
            subsystem: "usb", vendorID: "1a86", productID: "7523")

        func matcher(_ configs: [DeviceConfig], links: [String: String] = [:]) -> DeviceMatcher {
            DeviceMatcher(configs: configs, resolveLink: { links[$0] })
        }

        @Test func matchesUSBPrinterByIDs() {
            let m = matcher([DeviceConfig(id: "p", kind: .receiptPrinter, transport: .usb, match: "usb:0416:5011")])
            #expect(m.configs(for: Self.printerNode).map(\.id) == ["p"])
            #expect(m.configs(for: Self.readerUSB).isEmpty)
        }

        @Test func idsAreCaseInsensitive() {
            let m = matcher([DeviceConfig(id: "p", kind: .receiptPrinter, transport: .usb, match: "usb:04B8:0E28")])
            var node = Self.printerNode
            node.vendorID = "04b8"
            node.productID = "0e28"
            #expect(m.configs(for: node).map(\.id) == ["p"])
        }

        @Test func serialMustMatchWhenGiven() {
            let right = DeviceConfig(id: "a", kind: .receiptPrinter, transport: .usb, match: "usb:0416:5011:KP58A0001")
            let wrong = DeviceConfig(id: "b", kind: .receiptPrinter, transport: .usb, match: "usb:0416:5011:OTHER")
            #expect(matcher([right, wrong]).configs(for: Self.printerNode).map(\.id) == ["a"])
            var noSerial = Self.printerNode
            noSerial.serial = nil
            #expect(matcher([right]).configs(for: noSerial).isEmpty)
        }

        @Test func serialReaderMatchesItsTTYByTheParentUSBIDs() {
            let m = matcher([DeviceConfig(id: "r", kind: .idcardReader, transport: .serial, match: "usb:1a86:7523")])
            #expect(m.configs(for: Self.readerTTY).map(\.id) == ["r"])
            // The adapter's USB device itself is not what a serial transport opens.
            #expect(m.configs(for: Self.readerUSB).isEmpty)
        }

        @Test func fileTransportMatchesUsbmiscNodes() {
            let lp = DeviceNode(
                syspath: "/sys/devices/x/usbmisc/lp0", devnode: "/dev/usb/lp0", subsystem: "usbmisc",
                vendorID: "0416", productID: "5011")
            let m = matcher([DeviceConfig(id: "lp", kind: .receiptPrinter, transport: .file, match: "usb:0416:5011")])
            #expect(m.configs(for: lp).map(\.id) == ["lp"])
            #expect(m.configs(for: Self.printerNode).isEmpty)
        }

        @Test func matchesByDevnodePath() {
            let m = matcher([DeviceConfig(id: "r", kind: .idcardReader, transport: .serial, path: "/dev/ttyUSB0")])
            #expect(m.configs(for: Self.readerTTY).map(\.id) == ["r"])
            #expect(m.configs(for: Self.printerNode).isEmpty)
        }

        @Test func matchesByUdevSymlinkEvenAfterItIsGone() {
            // The resolver knows nothing (link removed with the device): udev's devlinks still match.
            let m = matcher([
                DeviceConfig(id: "p", kind: .receiptPrinter, transport: .usb, path: "/dev/kiosk/printer-0416-5011-KP58A0001")
            ])
            #expect(m.configs(for: Self.printerNode).map(\.id) == ["p"])
        }

        @Test func matchesBySymlinkResolvedNow() {
            let m = matcher(
                [DeviceConfig(id: "r", kind: .idcardReader, transport: .serial, path: "/dev/kiosk/idreader-front")],
                links: ["/dev/kiosk/idreader-front": "/dev/ttyUSB0"])
            #expect(m.configs(for: Self.readerTTY).map(\.id) == ["r"])
        }

        /// A serial entry's path is only compared with ttys, and a usb entry's with usb nodes: the
        /// adapter's USB node (announced with its tty) never costs a symlink lookup.
        @Test func aPathIsResolvedOnlyForNodesOfTheTransportsKind() {
            let looked = Mutex<[String]>([])
            let m = DeviceMatcher(
                configs: [DeviceConfig(id: "bus", kind: .windowDisplay, transport: .serial, path: "/dev/kiosk/rs485")],
                resolveLink: { path in
                    looked.withLock { $0.append(path) }
                    return "/dev/bus/usb/001/003"
                })
            #expect(m.configs(for: Self.readerUSB).isEmpty)
            #expect(looked.withLock { $0 }.isEmpty)
            #expect(m.configs(for: Self.readerTTY).isEmpty)
            #expect(looked.withLock { $0 } == ["/dev/kiosk/rs485"])
        }

        @Test func pathAndMatchMustBothHold() {
            let both = DeviceConfig(
                id: "r", kind: .idcardReader, transport: .serial, path: "/dev/ttyUSB1", match: "usb:1a86:7523")
            #expect(matcher([both]).configs(for: Self.readerTTY).isEmpty)
            var entry = both
            entry.path = "/dev/ttyUSB0"
            #expect(matcher([entry]).configs(for: Self.readerTTY).map(\.id) == ["r"])
        }

        @Test func neverMatchesEntriesWithoutPathOrMatchOrNetworkOnes() {
            let m = matcher([
                DeviceConfig(id: "sim", kind: .receiptPrinter, transport: .simulated),
                DeviceConfig(id: "tcp", kind: .receiptPrinter, transport: .tcp, match: "usb:0416:5011"),
                DeviceConfig(id: "bare", kind: .receiptPrinter, transport: .usb),
                DeviceConfig(id: "bad", kind: .receiptPrinter, transport: .usb, match: "0416:5011"),
            ])
            #expect(m.configs(for: Self.printerNode).isEmpty)
        }

        @Test func twoEntriesForOneDeviceAreBothReported() {
            let m = matcher([
                DeviceConfig(id: "a", kind: .receiptPrinter, transport: .usb, match: "usb:0416:5011"),
                DeviceConfig(id: "b", kind: .receiptPrinter, transport: .usb, path: "/dev/bus/usb/001/002"),
            ])
            #expect(m.configs(for: Self.printerNode).map(\.id) == ["a", "b"])
        }

        @Test func nodeWithoutDevnodeNeverMatchesAPath() {
            var node = Self.readerTTY
            node.devnode = nil
            let m = matcher([DeviceConfig(id: "r", kind: .idcardReader, transport: .serial, path: "/dev/ttyUSB0")])
            #expect(m.configs(for: node).isEmpty)
        }
    }
}
