import Foundation
import KioskCore
import Testing

@testable import KioskDevices

@Suite struct DeviceRegistryTests {
    let configs = [
        DeviceConfig(id: "idreader0", kind: .idcardReader, transport: .serial, path: "/dev/ttyUSB0", baud: 115200),
        DeviceConfig(id: "printer0", kind: .receiptPrinter, transport: .simulated),
        DeviceConfig(id: "reader-sim", kind: .idcardReader, transport: .simulated),
        DeviceConfig(id: "usbprinter", kind: .receiptPrinter, transport: .usb, match: "usb:0416:5011"),
        DeviceConfig(id: "led3", kind: .windowDisplay, transport: .simulated),
        DeviceConfig(id: "certs", kind: .certificatePrinter, transport: .cups, queue: "Certs"),
    ]

    func registry(_ dir: String) throws -> DeviceRegistry {
        try DeviceRegistry(
            configs: configs, stateDir: dir, hallName: "九龙坡区行政服务中心", timeZone: Fixtures.shanghai,
            clock: ManualClock(Fixtures.issuedAt))
    }

    @Test func simulatedTransportsGetSimulatedDrivers() throws {
        let r = try registry(Fixtures.tempDir())
        #expect(r.devices.map(\.id) == configs.map(\.id))
        #expect(r.device("printer0") is SimulatedReceiptPrinter)
        #expect(r.device("reader-sim") is SimulatedIDCardReader)
        #expect(r.receiptPrinter?.id == "printer0")
        #expect(r.idCardReader?.id == "idreader0")  // the first configured reader is the terminal's
        #expect(r.device("nope") == nil)
    }

    @Test func realTransportsGetRealDriversThatOpenOnFirstUse() throws {
        let r = try registry(Fixtures.tempDir())
        let serial = try #require(r.device("idreader0"))
        #expect(serial is SAMIDCardReader)
        #expect(serial.health.state == .absent)  // nothing opened yet
        #expect(serial.endpoint == "/dev/ttyUSB0")
        let usb = try #require(r.device("usbprinter"))
        #expect(usb is ESCPOSPrinter)
        #expect(usb.endpoint == "usb:0416:5011")
        // Without the profile folder, the shipped protocol's built-in values serve.
        #expect((r.device("led3") as? SimulatedWindowDisplay)?.profile.called.text == "请{number}号")
        let certs = try #require(r.device("certs") as? CertificatePrinter)
        #expect(certs.endpoint == "cups:Certs")
        #expect(certs.health.state == .absent)  // not asked yet
    }

    @Test func aKnownModelsProfileShapesItsPrinter() throws {
        let profile = DeviceProfile(name: "58 mm", vendorID: "0416", productID: "5011", kind: .receiptPrinter,
            transport: .usb, textEncoding: .utf8, nativeQR: false, paperWidthDots: 384, chineseMode: false,
            bidirectional: false, quirks: ["no-cutter"], source: "test")
        let printer = try #require(DeviceRegistry.makeDevice(configs[3], stateDir: "/tmp", clock: SystemClock(),
            timeZone: Fixtures.shanghai, profiles: [profile]) as? ESCPOSPrinter)
        #expect(printer.profile.paperWidthDots == 384)
        #expect(printer.profile.textEncoding == .utf8)
        #expect(!printer.profile.nativeQR)
        #expect(printer.profile.quirks == ["no-cutter"])
        let unknown = try #require(DeviceRegistry.makeDevice(configs[3], stateDir: "/tmp", clock: SystemClock(),
            timeZone: Fixtures.shanghai, profiles: []) as? ESCPOSPrinter)
        #expect(unknown.profile == .default)
    }

    @Test func typedLookupsSayWhyTheyFail() throws {
        let r = try registry(Fixtures.tempDir())
        #expect(try r.receiptPrinter("printer0").id == "printer0")
        #expect(throws: DeviceError.notFound(id: "x")) { try r.receiptPrinter("x") }
        #expect(throws: DeviceError.wrongKind(id: "printer0", expected: .idcardReader, actual: .receiptPrinter)) {
            try r.idCardReader("printer0")
        }
        #expect(try r.receiptPrinter("usbprinter").id == "usbprinter")
        #expect(throws: DeviceError.wrongKind(id: "certs", expected: .receiptPrinter, actual: .certificatePrinter)) {
            try r.receiptPrinter("certs")
        }
    }

    @Test func duplicateIdsAreAConfigurationError() {
        let twice = [configs[1], configs[1]]
        #expect(throws: DeviceError.invalidConfig(id: "printer0", message: "two [[devices]] entries have the id printer0")) {
            try DeviceRegistry(configs: twice, stateDir: "/tmp")
        }
    }

    @Test func testingAPrinterPrintsATestSlipWithItsStatus() async throws {
        let dir = Fixtures.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try registry(dir)
        let printer = try #require(r.device("printer0") as? SimulatedReceiptPrinter)
        printer.setPaper(.nearEnd)
        let result = try await r.test("printer0")
        #expect(result.passed)
        #expect(result.kind == .receiptPrinter)
        #expect(result.health.state == .degraded)
        #expect(result.message == "printed a test slip; degraded: paper near end")
        let text = try String(contentsOfFile: "\(dir)/devices/printer0.txt", encoding: .utf8)
        #expect(text.contains("状态: degraded: paper near end"))
        #expect(text.contains("九龙坡区行政服务中心"))
    }

    @Test func aPrinterWithoutPaperFailsItsTest() async throws {
        let r = try registry(Fixtures.tempDir())
        (r.device("printer0") as? SimulatedReceiptPrinter)?.setPaper(.out)
        let result = try await r.test("printer0")
        #expect(!result.passed)
        #expect(result.health.state == .fault)
        #expect(result.message == "device printer0 failed: paper out")
    }

    @Test func testingAReaderReportsItsStatus() async throws {
        let r = try registry(Fixtures.tempDir())
        let result = try await r.test("reader-sim")
        #expect(result.passed)
        #expect(result.message == "ok: ready; no card on the reader")
        // A CUPS printer is asked afresh; with no cupsd at this address it cannot pass.
        let unreachable = try await r.test("certs")
        #expect(!unreachable.passed)
        #expect(unreachable.message.contains("CUPS") || unreachable.message.contains("Certs"), "\(unreachable.message)")
        await #expect(throws: DeviceError.notFound(id: "ghost")) { try await r.test("ghost") }
    }

    @Test func healthChangesBecomeOneEventEach() async throws {
        let r = try registry(Fixtures.tempDir())
        let printer = try #require(r.device("printer0") as? SimulatedReceiptPrinter)
        let reader = try #require(r.device("reader-sim") as? SimulatedIDCardReader)
        printer.setPaper(.out)
        printer.setPaper(.out)
        reader.setConnected(false)
        reader.setConnected(false)
        printer.setPaper(.ok)
        reader.setConnected(true)
        r.shutdown()
        var seen: [String] = []
        for await event in r.events {
            guard case .statusChanged(let id, let health) = event else { continue }
            #expect(event.topic == "device.status")
            seen.append("\(id) \(health.state.rawValue)")
        }
        #expect(seen == ["printer0 fault", "reader-sim absent", "printer0 ok", "reader-sim ok"])
    }

    @Test func listShowsEveryDevice() throws {
        let list = try registry(Fixtures.tempDir()).list()
        #expect(list.map(\.id) == configs.map(\.id))
        #expect(list[1].kind == "receipt-printer")
        #expect(list[1].endpoint == "simulated")
        #expect(list[0].health.state == .absent)
    }

    @Test func deviceErrorsMapToProtocolReasons() {
        #expect(DeviceError.notFound(id: "x").kioskError.reason == .notFound)
        #expect(DeviceError.fault(id: "p", message: "paper out").kioskError.reason == .deviceUnavailable)
        #expect(DeviceError.timeout(id: "r", seconds: 30).kioskError.reason == .deviceUnavailable)
        #expect(DeviceError.timeout(id: "r", seconds: 30).kioskError.details["deviceError"] == "timeout")
        #expect(DeviceError.wrongKind(id: "p", expected: .idcardReader, actual: .receiptPrinter).kioskError.reason == .invalidState)
    }
}
