import Foundation
import KioskCore
import Testing

@testable import KioskDevices

@Suite struct SimulatedReceiptPrinterTests {
    func printer(_ dir: String? = nil) -> SimulatedReceiptPrinter {
        SimulatedReceiptPrinter(
            id: "printer0", outputPath: dir.map { "\($0)/devices/printer0.txt" },
            clock: ManualClock(Fixtures.issuedAt))
    }

    @Test func keepsEveryByteOfEveryJob() async throws {
        let p = printer()
        try await p.printTicket(Fixtures.slip(number: "A001"))
        try await p.printTicket(Fixtures.slip(number: "A002"))
        let one = ESCPOSEncoder().encode(try TicketLayout().commands(for: Fixtures.slip(number: "A001")))
        let two = ESCPOSEncoder().encode(try TicketLayout().commands(for: Fixtures.slip(number: "A002")))
        #expect(p.jobs() == [one, two])
        #expect(p.sentBytes() == one + two)
        #expect(p.health.state == .ok)
    }

    @Test func appendsAReadableRenderingToItsFile() async throws {
        let dir = Fixtures.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let p = printer(dir)
        try await p.printTicket(Fixtures.slip(number: "A001"))
        try await p.printTicket(Fixtures.slip(number: "A002"))
        let text = try String(contentsOfFile: "\(dir)/devices/printer0.txt", encoding: .utf8)
        #expect(text.contains("=== printer0 job 1: A001 at 2026-11-21T09:30:00.000+08:00 ==="))
        #expect(text.contains("[big 4x4] A001"))
        #expect(text.contains("[big 4x4] A002"))
        #expect(text.contains("[QR: \(Fixtures.payload)]"))
        #expect(text.components(separatedBy: "--- cut ---").count == 3)
    }

    @Test func paperOutThrowsFaultsAndRecoversWhenPaperReturns() async throws {
        let p = printer()
        p.setPaper(.out)
        #expect(p.health.state == .fault)
        #expect(p.health.reason == "paper out")
        await #expect(throws: DeviceError.fault(id: "printer0", message: "paper out")) {
            try await p.printTicket(Fixtures.slip())
        }
        #expect(p.sentBytes().isEmpty)
        #expect(p.health.lastError == "paper out")

        p.setPaper(.ok)
        #expect(p.health.state == .ok)
        try await p.printTicket(Fixtures.slip())
        #expect(p.jobs().count == 1)
        #expect(p.health.lastError == "paper out")  // kept for the technician
    }

    @Test func paperNearEndDegradesButPrints() async throws {
        let p = printer()
        p.setPaper(.nearEnd)
        #expect(p.health.state == .degraded)
        #expect(p.health.reason == "paper near end")
        try await p.printTicket(Fixtures.slip())
        #expect(p.jobs().count == 1)
        #expect(await p.status().paper == .nearEnd)
    }

    @Test func unpluggedIsAbsentAndRefusesJobs() async throws {
        let p = printer()
        p.setConnected(false)
        #expect(p.health.state == .absent)
        await #expect(throws: DeviceError.unavailable(id: "printer0", reason: "disconnected")) {
            try await p.printTicket(Fixtures.slip())
        }
        let status = await p.status()
        #expect(!status.connected)
        #expect(status.paper == nil)
        p.setConnected(true)
        #expect(p.health.state == .ok)
    }

    @Test func disconnectionOutranksPaperOut() {
        let p = printer()
        p.setPaper(.out)
        p.setConnected(false)
        #expect(p.health.state == .absent)
        p.setConnected(true)
        #expect(p.health.state == .fault)
    }

    @Test func healthChangesAreReportedOncePerChange() {
        let clock = ManualClock(Fixtures.issuedAt)
        let p = SimulatedReceiptPrinter(id: "printer0", clock: clock)
        let recorder = HealthRecorder()
        p.observeHealth { recorder.record($0) }
        p.setPaper(.nearEnd)
        p.setPaper(.nearEnd)
        clock.advance(by: 60)
        p.setPaper(.out)
        p.setPaper(.out)
        p.setPaper(.ok)
        p.setPaper(.ok)
        #expect(recorder.states == [.degraded, .fault, .ok])
        #expect(recorder.changes[1].since == Fixtures.issuedAt.addingTimeInterval(60))
    }

    @Test func aFailedJobDoesNotReportAChangeOfItsOwn() async {
        let p = printer()
        p.setPaper(.out)
        let recorder = HealthRecorder()
        p.observeHealth { recorder.record($0) }
        _ = try? await p.printTicket(Fixtures.slip())
        _ = try? await p.printTicket(Fixtures.slip())
        #expect(recorder.changes.isEmpty)
    }

    @Test func anUnwritableOutputIsAFaultThatClearsOnceWritingWorks() async throws {
        let dir = Fixtures.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // A plain file where the devices folder should be makes the write fail.
        _ = FileManager.default.createFile(atPath: "\(dir)/devices", contents: Data())
        let p = printer(dir)
        await #expect(throws: DeviceError.self) { try await p.printTicket(Fixtures.slip()) }
        #expect(p.health.state == .fault)
        #expect(p.sentBytes().isEmpty)
        try FileManager.default.removeItem(atPath: "\(dir)/devices")
        try await p.printTicket(Fixtures.slip())
        #expect(p.health.state == .ok)
    }

    @Test func theDefaultOutputIsInTheStateDir() {
        let config = DeviceConfig(id: "printer1", kind: .receiptPrinter, transport: .simulated, paperWidthDots: 576)
        let p = SimulatedReceiptPrinter(config: config, stateDir: "/var/lib/kioskd")
        #expect(p.outputPath == "/var/lib/kioskd/devices/printer1.txt")
        #expect(p.paperWidthDots == 576)
        var explicit = config
        explicit.output = "/tmp/tickets.txt"
        #expect(SimulatedReceiptPrinter(config: explicit, stateDir: "/x").outputPath == "/tmp/tickets.txt")
    }
}

@Suite struct SimulatedReceiptPrinterConcurrencyTests {
    @Test func concurrentJobsNeverInterleave() async throws {
        let p = SimulatedReceiptPrinter(id: "printer0")
        let numbers = (1...20).map { String(format: "A%03d", $0) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for n in numbers { group.addTask { try await p.printTicket(Fixtures.slip(number: n)) } }
            try await group.waitForAll()
        }
        let expected = try Set(numbers.map { ESCPOSEncoder().encode(try TicketLayout().commands(for: Fixtures.slip(number: $0))) })
        #expect(Set(p.jobs()) == expected)
        #expect(p.sentBytes() == p.jobs().flatMap { $0 })
    }
}
