import Foundation
import KioskCore
import Synchronization
import KioskTestSupport
import Testing

@testable import KioskDevices

/// A printer that goes away comes back by itself: the next job, status request or poll tick
/// opens its transport again.
@Suite("ESCPOSPrinter reconnects (PrinterRecoveryTests)", .serialized)
struct PrinterRecoveryTests {
    @Test func aReplugOnANewPtyIsPickedUpByTheNextStatusRequest() async throws {
        let first = try FakePtyPrinter()
        let path = Mutex(first.slavePath)
        let printer = ESCPOSPrinter(
            id: "printer0", transport: .file, endpoint: "/dev/usb/lp0", profile: .default58mm,
            options: PrinterPtyTests.eager,
            open: { () throws(TransportError) -> any ByteTransport in try FileTransport(path: path.withLock { $0 }) })
        let recorder = HealthRecorder()
        printer.observeHealth(recorder.record)
        try await printer.printTicket(Fixtures.slip())
        first.hangUp()
        var status = await printer.status()
        #expect(!status.connected && status.health.state == .absent)

        let second = try FakePtyPrinter()
        path.withLock { $0 = second.slavePath }
        status = await printer.status()
        #expect(status.connected && status.health.state == .ok)
        try await printer.printTicket(Fixtures.slip())
        #expect(second.waitForCut().count > statusRound.count)
        #expect(recorder.states == [.ok, .absent, .ok])
        printer.close()
    }

    @Test func pollingReopensAPrinterThatAppears() async throws {
        let dir = Fixtures.tempDir()
        let config = DeviceConfig(
            id: "printer2", kind: .receiptPrinter, transport: .file, path: dir + "/lp0", paperWidthDots: 384)
        let printer = try ESCPOSPrinter(
            config: config, profile: PrinterProfile(bidirectional: false))
        #expect(printer.paperWidthDots == 384 && printer.endpoint == dir + "/lp0")
        await printer.connect()
        #expect(printer.health.state == .absent)
        #expect(FileManager.default.createFile(atPath: dir + "/lp0", contents: nil))
        printer.startStatusPolling(every: .milliseconds(30))
        let deadline = ContinuousClock.now + .seconds(3)
        while printer.health.state != .ok, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        printer.stopStatusPolling()
        #expect(printer.health.state == .ok && printer.health.reason == "ready (status not reported)")
        try await printer.printTicket(Fixtures.slip())
        let written = Array(FileManager.default.contents(atPath: dir + "/lp0") ?? Data())
        #expect(written == (try printer.bytes(for: Fixtures.slip())))
        printer.close()
    }

    @Test func configWithoutAPathIsInvalid() {
        let config = DeviceConfig(id: "p", kind: .receiptPrinter, transport: .file)
        #expect(throws: DeviceError.invalidConfig(id: "p", message: "a file printer needs `path`")) {
            try ESCPOSPrinter(config: config)
        }
        #expect(
            ESCPOSPrinter.opener(
                for: DeviceConfig(id: "p", kind: .receiptPrinter, transport: .serial, path: "/dev/ttyS0")) == nil)
    }
}
