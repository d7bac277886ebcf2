import KioskCore
import Testing

@testable import KioskDevices

/// Two `[[devices]]` entries reaching one device by different names.
@Suite struct DeviceConflictsTests {
    /// A printer on USB 1-5: the USB device and its usblp node.
    let printerUSB = DeviceNode(
        syspath: "/sys/devices/pci0000:00/usb1/1-5", devnode: "/dev/bus/usb/001/005", subsystem: "usb",
        vendorID: "0416", productID: "5011", busnum: 1, devnum: 5)
    let printerLP = DeviceNode(
        syspath: "/sys/devices/pci0000:00/usb1/1-5/1-5:1.0/usbmisc/lp0", devnode: "/dev/usb/lp0", subsystem: "usbmisc",
        vendorID: "0416", productID: "5011", busnum: 1, devnum: 5, devlinks: ["/dev/kiosk/printer0"])
    /// A composite kiosk module on USB 1-7: a CDC-ACM card reader and a printer function.
    let compositeTTY = DeviceNode(
        syspath: "/sys/devices/pci0000:00/usb1/1-7/1-7:1.0/tty/ttyACM0", devnode: "/dev/ttyACM0", subsystem: "tty",
        vendorID: "1a86", productID: "7523", busnum: 1, devnum: 7)
    let compositeLP = DeviceNode(
        syspath: "/sys/devices/pci0000:00/usb1/1-7/1-7:1.2/usbmisc/lp1", devnode: "/dev/usb/lp1", subsystem: "usbmisc",
        vendorID: "1a86", productID: "7523", busnum: 1, devnum: 7)

    func links(_ map: [String: String]) -> (String) -> String? { { map[$0] ?? ($0.hasPrefix("/dev/") ? $0 : nil) } }

    @Test func aPathAndItsSymlinkAreOneDevice() {
        let configs = [
            DeviceConfig(id: "reader0", kind: .idcardReader, transport: .serial, path: "/dev/ttyUSB0"),
            DeviceConfig(id: "reader1", kind: .idcardReader, transport: .serial, path: "/dev/kiosk/idreader"),
        ]
        let refused = DeviceConflicts.find(
            configs: configs, nodes: [], resolve: links(["/dev/kiosk/idreader": "/dev/ttyUSB0"]))
        #expect(refused.keys.sorted() == ["reader1"])
        #expect(refused["reader1"]?.contains("same device as reader0 (/dev/ttyUSB0)") == true)
    }

    @Test func aUSBMatchAndTheUsblpNodeOfTheSamePrinterClash() {
        let configs = [
            DeviceConfig(id: "bulk", kind: .receiptPrinter, transport: .usb, match: "usb:0416:5011"),
            DeviceConfig(id: "lp", kind: .receiptPrinter, transport: .file, path: "/dev/kiosk/printer0"),
        ]
        let refused = DeviceConflicts.find(
            configs: configs, nodes: [printerUSB, printerLP], resolve: links(["/dev/kiosk/printer0": "/dev/usb/lp0"]))
        #expect(refused.keys.sorted() == ["lp"])
        #expect(refused["lp"]?.contains("bulk") == true)
    }

    @Test func twoFunctionsOfOneCompositeDeviceAreNotAClash() {
        let configs = [
            DeviceConfig(id: "reader0", kind: .idcardReader, transport: .serial, path: "/dev/ttyACM0"),
            DeviceConfig(id: "printer0", kind: .receiptPrinter, transport: .file, path: "/dev/usb/lp1"),
        ]
        #expect(DeviceConflicts.find(configs: configs, nodes: [compositeTTY, compositeLP], resolve: links([:])).isEmpty)
        // …but claiming the whole composite device over libusb takes both functions away.
        let whole = configs + [DeviceConfig(id: "raw", kind: .receiptPrinter, transport: .usb, match: "usb:1a86:7523")]
        let refused = DeviceConflicts.find(configs: whole, nodes: [compositeTTY, compositeLP, Self.usbDevice(of: compositeTTY)], resolve: links([:]))
        #expect(refused.keys.sorted() == ["raw"])
    }

    @Test func differentDevicesMissingPathsAndSimulatedOnesNeverClash() {
        let configs = [
            DeviceConfig(id: "a", kind: .idcardReader, transport: .serial, path: "/dev/ttyUSB0"),
            DeviceConfig(id: "b", kind: .idcardReader, transport: .serial, path: "/dev/ttyUSB1"),
            DeviceConfig(id: "gone1", kind: .receiptPrinter, transport: .file, path: "/nonexistent/lp"),
            DeviceConfig(id: "gone2", kind: .receiptPrinter, transport: .file, path: "/nonexistent/lp2"),
            DeviceConfig(id: "sim1", kind: .receiptPrinter, transport: .simulated),
            DeviceConfig(id: "sim2", kind: .receiptPrinter, transport: .simulated),
        ]
        #expect(DeviceConflicts.find(configs: configs, nodes: [], resolve: { $0.hasPrefix("/dev/") ? $0 : nil }).isEmpty)
    }

    @Test func theRegistryRegistersTheSecondEntryAsAFaultWithoutADriver() throws {
        let configs = [
            DeviceConfig(id: "lp0", kind: .receiptPrinter, transport: .file, path: "/dev/null"),
            DeviceConfig(id: "lp1", kind: .receiptPrinter, transport: .file, path: "/dev/../dev/null"),
        ]
        let registry = try DeviceRegistry(configs: configs, stateDir: "/tmp")
        #expect(registry.conflicts.keys.sorted() == ["lp1"])
        #expect(registry.device("lp0") is ESCPOSPrinter)
        let second = try #require(registry.device("lp1"))
        #expect(second.health.state == .fault)
        #expect(second.health.lastError?.contains("same device as lp0 (/dev/null)") == true)
        #expect(throws: DeviceError.self) { try registry.receiptPrinter("lp1") }
    }

    static func usbDevice(of node: DeviceNode) -> DeviceNode {
        DeviceNode(
            syspath: "/sys/devices/pci0000:00/usb1/1-7", devnode: "/dev/bus/usb/001/007", subsystem: "usb",
            vendorID: node.vendorID, productID: node.productID, busnum: node.busnum, devnum: node.devnum)
    }
}
