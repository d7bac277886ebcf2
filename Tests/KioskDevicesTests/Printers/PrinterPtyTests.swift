import Foundation
import KioskCore
import Synchronization
import KioskTestSupport
import Testing

@testable import KioskDevices

/// `ESCPOSPrinter` over `FileTransport` on the slave side of a real pty, with the test playing
/// the printer on the master side (`FakePtyPrinter`).
@Suite("ESCPOSPrinter on a pty (PrinterPtyTests)", .serialized)
struct PrinterPtyTests {
    /// Status is asked before every job (no caching) so each test sees the printer's answer.
    static let eager = ESCPOSPrinter.Options(
        writeTimeout: .milliseconds(300), statusTimeout: .milliseconds(200), statusMaxAge: .zero,
        faultAfterMissedAnswers: 3)

    static func printer(
        _ fake: FakePtyPrinter, profile: PrinterProfile = .default58mm, options: ESCPOSPrinter.Options = eager
    )
        -> ESCPOSPrinter
    {
        let path = fake.slavePath
        return ESCPOSPrinter(
            id: "printer0", transport: .file, endpoint: path, profile: profile, options: options,
            open: { () throws(TransportError) -> any ByteTransport in try FileTransport(path: path) })
    }

    @Test func knownTicketArrivesByteForByte() async throws {
        let fake = try FakePtyPrinter()
        let printer = Self.printer(fake)
        let slip = Fixtures.slip()
        try await printer.printTicket(slip)
        let expectedJob = ESCPOSEncoder().encode(try TicketLayout(paperWidthDots: 384).commands(for: slip))
        let got = fake.waitForBytes(statusRound.count + expectedJob.count)
        #expect(got == statusRound + expectedJob)
        let job = Array(got.dropFirst(statusRound.count))
        // Landmarks written down from the ESC/POS reference and GB 18030, not from our encoder:
        // ESC @, FS &, ESC a 1, ESC E 1, "九龙坡区行政服务中心" in GB 18030, LF.
        let head: [UInt8] =
            [0x1B, 0x40, 0x1C, 0x26, 0x1B, 0x61, 0x01, 0x1B, 0x45, 0x01]
            + [
                0xBE, 0xC5, 0xC1, 0xFA, 0xC6, 0xC2, 0xC7, 0xF8, 0xD0, 0xD0, 0xD5, 0xFE, 0xB7, 0xFE, 0xCE, 0xF1, 0xD6,
                0xD0, 0xD0, 0xC4, 0x0A,
            ]
        #expect(Array(job.prefix(head.count)) == head)
        // GS ! 0x33 (4×4) before the number, "A001"; then GS ( k store of the payload;
        // ESC d 2 and GS V 66 0 at the end.
        #expect(job.contains(run: [0x1D, 0x21, 0x33, 0x1B, 0x45, 0x01, 0x41, 0x30, 0x30, 0x31, 0x0A]))
        let payload = Array(Fixtures.payload.utf8)
        let storeLength = payload.count + 3
        #expect(job.contains(run: [0x1D, 0x28, 0x6B, UInt8(storeLength), 0x00, 0x31, 0x50, 0x30] + payload))
        #expect(Array(job.suffix(7)) == [0x1B, 0x64, 0x02, 0x1D, 0x56, 0x42, 0x00])
        #expect(printer.health.state == .ok)
        printer.close()
    }

    /// With polling keeping the status fresh, a ticket goes out without a status round first:
    /// the 20 ms from commit to last byte are spent writing, not waiting for `DLE EOT`.
    /// (Asserted by the bytes on the wire — only the connect-time status round precedes the job —
    /// not by a timing, which belongs in the benchmarks.)
    @Test func aFreshStatusIsNotAskedAgainBeforeTheTicket() async throws {
        let fake = try FakePtyPrinter()
        let printer = Self.printer(fake, options: .init(statusMaxAge: .seconds(30)))
        await printer.connect()
        let slip = Fixtures.slip()
        let job = try printer.bytes(for: slip)
        try await printer.printTicket(slip)
        #expect(fake.waitForCut() == statusRound + job)
        printer.close()
    }

    @Test func statusAnswersDriveHealth() async throws {
        let fake = try FakePtyPrinter()
        let printer = Self.printer(fake)
        let recorder = HealthRecorder()
        printer.observeHealth(recorder.record)

        var status = await printer.status()
        #expect(status.connected && status.paper == .ok && status.coverOpen == false && status.health.state == .ok)

        fake.setStatus(.nearEnd)
        status = await printer.status()
        #expect(status.paper == .nearEnd)
        #expect(status.health.state == .degraded && status.health.reason == "paper near end")
        try await printer.printTicket(Fixtures.slip())  // near end still prints
        #expect(fake.waitForCut().suffix(4).elementsEqual([0x1D, 0x56, 0x42, 0x00]))

        fake.setStatus(.paperOut)
        fake.clearReceived()
        await #expect(throws: DeviceError.fault(id: "printer0", message: "paper out")) {
            try await printer.printTicket(Fixtures.slip())
        }
        // Only the status round went out: no ticket byte was sent into the fault.
        #expect(fake.waitForBytes(statusRound.count + 1, timeout: .milliseconds(200)) == statusRound)
        #expect(printer.health.state == .fault)

        fake.setStatus(.coverOpen)
        status = await printer.status()
        #expect(status.coverOpen == true && status.health.reason == "cover open")

        fake.setStatus(.cutterError)
        status = await printer.status()
        #expect(status.health.state == .fault && status.health.reason == "autocutter error")

        fake.setStatus(.ok)
        status = await printer.status()
        #expect(status.health.state == .ok)

        #expect(
            recorder.changes.map(\.reason) == [
                "ready", "paper near end", "paper out", "cover open", "autocutter error", "ready",
            ])
        #expect(recorder.states == [.ok, .degraded, .fault, .fault, .fault, .ok])
        printer.close()
    }

    @Test func silentPrinterDegradesThenFaults() async throws {
        let fake = try FakePtyPrinter()
        let printer = Self.printer(fake)
        _ = await printer.status()
        #expect(printer.health.state == .ok)
        fake.setAnswering(false)
        var status = await printer.status()
        #expect(status.health.state == .degraded && status.health.reason == "no status answer")
        #expect(status.paper == nil)
        // A degraded printer still prints (this job's own status round is miss number 2).
        try await printer.printTicket(Fixtures.slip())
        status = await printer.status()
        #expect(status.health.state == .fault)
        #expect(status.health.reason == "no status answer (3 requests in a row)")
        await #expect(throws: DeviceError.self) { try await printer.printTicket(Fixtures.slip()) }
        fake.setAnswering(true)
        status = await printer.status()
        #expect(status.health.state == .ok)
        printer.close()
    }

    @Test func pollingNoticesPaperNearEnd() async throws {
        let fake = try FakePtyPrinter()
        let printer = Self.printer(fake)
        await printer.connect()
        #expect(printer.health.state == .ok)
        fake.setStatus(.nearEnd)
        printer.startStatusPolling(every: .milliseconds(50))
        let deadline = ContinuousClock.now + .seconds(3)
        while printer.health.state != .degraded, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        printer.stopStatusPolling()
        #expect(printer.health.state == .degraded)
        printer.close()
    }

    @Test func printerThatStopsReadingIsAStallFault() async throws {
        let fake = try FakePtyPrinter()
        let oneWay = PrinterProfile(name: "one-way", paperWidthDots: 384, bidirectional: false)
        let printer = Self.printer(fake, profile: oneWay)
        fake.setDraining(false)
        var failure: DeviceError?
        for _ in 0..<2000 {
            do throws(DeviceError) {
                try await printer.printTicket(Fixtures.slip())
            } catch {
                failure = error
                break
            }
        }
        guard case .fault(_, let message)? = failure else {
            Issue.record("expected a fault, got \(String(describing: failure))")
            return
        }
        #expect(message.hasPrefix("write stalled"))
        #expect(message.contains("bytes written"))
        #expect(printer.health.state == .fault)
        #expect(printer.health.lastError?.contains("timed out") == true)
        // The printer takes bytes again: the next ticket goes out and the fault clears.
        fake.setDraining(true)
        try await printer.printTicket(Fixtures.slip())
        #expect(printer.health.state == .ok)
        #expect(printer.health.reason == "ready (status not reported)")
        printer.close()
    }

    @Test func hangUpMidTicketMakesThePrinterAbsent() async throws {
        let fake = try FakePtyPrinter()
        let oneWay = PrinterProfile(name: "one-way", paperWidthDots: 384, bidirectional: false)
        let printer = Self.printer(fake, profile: oneWay, options: .init(writeTimeout: .seconds(10)))
        fake.setDraining(false)
        // The cable is pulled from a plain thread: a task could wait behind tests that keep the
        // cooperative pool's few threads busy.
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.3) { fake.hangUp() }
        var failure: DeviceError?
        let started = ContinuousClock.now
        for _ in 0..<2000 {
            do throws(DeviceError) {
                try await printer.printTicket(Fixtures.slip())
            } catch {
                failure = error
                break
            }
        }
        #expect(ContinuousClock.now - started < .seconds(5))
        guard case .unavailable(_, let reason)? = failure else {
            Issue.record("expected unavailable, got \(String(describing: failure))")
            return
        }
        #expect(reason.contains("disconnected"))
        #expect(printer.health.state == .absent)
        let status = await printer.status()
        #expect(status.connected == false)
    }

    /// The registry's observer runs on the printer's own queue; closing from it must not deadlock.
    @Test func closingFromAHealthObserverDoesNotDeadlock() async throws {
        let fake = try FakePtyPrinter()
        fake.setStatus(.paperOut)
        let printer = Self.printer(fake)
        let closes = Mutex(0)
        printer.observeHealth { [weak printer] h in
            guard h.state == .fault, let printer else { return }
            printer.close()
            closes.withLock { $0 += 1 }
        }
        _ = await printer.status()
        #expect(closes.withLock { $0 } == 1)
        #expect(printer.health.state == .absent && printer.health.reason == "closed")
    }

    @Test func missingDeviceIsAbsent() async throws {
        let path = "/dev/kioskd-no-such-printer-\(UUID().uuidString)"
        let printer = ESCPOSPrinter(
            id: "printer0", transport: .file, endpoint: path,
            open: { () throws(TransportError) -> any ByteTransport in try FileTransport(path: path) })
        await #expect(throws: DeviceError.self) { try await printer.printTicket(Fixtures.slip()) }
        #expect(printer.health.state == .absent)
        #expect(printer.health.reason.hasPrefix("not found: \(path)"))
    }

    @Test func testSlipCarriesTheFreshStatus() async throws {
        let fake = try FakePtyPrinter()
        fake.setStatus(.nearEnd)
        let printer = Self.printer(fake)
        let slip = TestSlip(
            deviceID: "printer0", endpoint: fake.slavePath, printedAt: Fixtures.issuedAt, timeZone: Fixtures.shanghai,
            status: "unknown")
        try await printer.printTestSlip(slip)
        let text = ESCPOSRenderer(paperWidthDots: 384).render(fake.waitForCut())
        #expect(text.contains("状态: degraded: paper near end"))
        #expect(text.contains("--- cut ---"))
        printer.close()
    }
}
