import Foundation
import KioskClient
import KioskProtocol
import KioskTestSupport
import Testing

/// Certificates printed by the real daemon through a real private cupsd to ippeveprinter
/// "certificate printers" (`scripts/testbed/private-cups`): the PDF arrives at the printer;
/// paper out holds and resumes; a jam or an unreachable printer fails over to the next one;
/// a stopped queue is resumed; `kill -9` in the middle of a job never prints it twice.
@Suite(.serialized, .enabled(if: PrivateCUPS.isAvailable, "cups, cups-ipp-utils and dbus are not installed (scripts/setup)"))
struct CertificateCUPSTests {
    /// A daemon whose certificate pool is the bed's printers, in order.
    static func daemon(_ cups: PrivateCUPS, timeout: Int = 60, autoResume: Bool = true) throws -> DaemonHarness {
        let certs = CertificateFlowTests.repo.appendingPathComponent("Config/certificates").path
        let devices = cups.printers.map { name in
            """

            [[devices]]
            id = "\(name.lowercased())"
            kind = "certificate-printer"
            transport = "cups"
            queue = "\(name)"
            """
        }.joined()
        return try DaemonHarness(extraConfig: devices + """

            [certificates]
            templates = "\(certs)"
            printers = [\(cups.printers.map { "\"\($0.lowercased())\"" }.joined(separator: ", "))]
            require_release = false
            auto_resume = \(autoResume)
            printer_timeout_seconds = \(timeout)

            [[departments]]
            id = "health"
            name = "区卫生健康委员会"
            seal = "\(certs)/seals/health.png"
            types = ["public-health-license"]
            """)
    }

    static func start(_ daemon: DaemonHarness, _ cups: PrivateCUPS) throws {
        try daemon.start(environment: ["CUPS_SERVER": cups.socketPath])
    }

    static func submit(_ daemon: DaemonHarness, _ id: String = "SP-2026-0001") throws -> String {
        let r = try daemon.client(role: "approval").call("cert.submit", CertificateFlowTests.order(id))
        return try #require(r["serial"]?.stringValue)
    }

    /// Files of `printer` whose name holds `serial` (the job name is the attempt's).
    static func jobs(_ cups: PrivateCUPS, _ printer: String, _ serial: String) -> [String] {
        cups.printed(printer).filter { $0.contains(serial) }
    }

    @Test func aCertificateIsPrintedThroughCUPSAndArrivesAtThePrinter() throws {
        let cups = try PrivateCUPS(printers: ["P1"])
        defer { cups.stop() }
        let daemon = try Self.daemon(cups)
        try Self.start(daemon, cups)
        let serial = try Self.submit(daemon)
        let c = try CertificateFlowTests.wait(for: "ready", serial: serial, on: try daemon.client(), seconds: 30)
        #expect(c["printer"] == .string("p1"))
        let attempts = c["printAttempts"]?.arrayValue ?? []
        #expect(attempts.count == 1)
        #expect(attempts.first?["job"]?.intValue != nil)
        let files = Self.jobs(cups, "P1", serial)
        #expect(files.count == 1, "printed: \(cups.printed("P1"))")
        let pdf = cups.printerDir("P1") + "/printed/" + (files.first ?? "")
        #expect(try CertificateFlowTests.run("/usr/bin/pdftotext", [pdf, "-"]).contains("重庆星光大酒店有限公司"))
        #expect(try daemon.client().call("device.status", ["id": "p1"])["state"] == .string("ok"))
    }

    @Test func outOfPaperHoldsTheCertificateUntilPaperIsBack() throws {
        let cups = try PrivateCUPS(printers: ["P1"])
        defer { cups.stop() }
        let daemon = try Self.daemon(cups)
        try Self.start(daemon, cups)
        let watcher = try daemon.client(role: "display")
        try watcher.call("events.subscribe", ["topics": ["certificate.*"]])
        cups.setMode("P1", "media-empty")
        let serial = try Self.submit(daemon)
        let admin = try daemon.client()
        #expect(try eventually { try admin.call("cert.get", ["serial": .string(serial)])["state"] == .string("held") })
        #expect(try admin.call("device.status", ["id": "p1"])["state"] == .string("fault"))
        #expect(Self.jobs(cups, "P1", serial).isEmpty)
        cups.setMode("P1", "ok")
        let done = try CertificateFlowTests.wait(for: "ready", serial: serial, on: admin, seconds: 30)
        #expect(done["printAttempts"]?.arrayValue?.count == 1)  // the same job, resumed
        #expect(Self.jobs(cups, "P1", serial).count == 1)
        var topics: [String] = []
        while let e = try watcher.nextEvent(timeout: 0.5) { topics.append(e.topic) }
        #expect(topics.contains("certificate.held"))
        #expect(topics.last == "certificate.ready")
    }

    @Test func aJamFailsOverToTheNextPrinterOfThePool() throws {
        let cups = try PrivateCUPS(printers: ["P1", "P2"])
        defer { cups.stop() }
        let daemon = try Self.daemon(cups)
        try Self.start(daemon, cups)
        cups.setMode("P1", "jam")
        let serial = try Self.submit(daemon)
        let c = try CertificateFlowTests.wait(for: "ready", serial: serial, on: try daemon.client(), seconds: 90)
        #expect(c["printer"] == .string("p2"))
        let attempts = c["printAttempts"]?.arrayValue ?? []
        #expect(attempts.map { $0["printer"] } == [.string("p1"), .string("p2")])
        #expect(attempts.first?["state"] == .string("failed"))
        #expect(Self.jobs(cups, "P1", serial).isEmpty)
        #expect(Self.jobs(cups, "P2", serial).count == 1)
    }

    @Test func anUnreachablePrinterIsGivenUpAfterTheTimeoutAndItsJobCancelled() throws {
        let cups = try PrivateCUPS(printers: ["P1", "P2"])
        defer { cups.stop() }
        let daemon = try Self.daemon(cups, timeout: 2)
        try Self.start(daemon, cups)
        cups.setMode("P1", "slow 8")
        let serial = try Self.submit(daemon)
        let admin = try daemon.client()
        // The job is at P1; then P1 drops off the network.
        #expect(try eventually { try admin.call("cert.get", ["serial": .string(serial)])["printAttempts"]?.arrayValue?.first?["job"] != nil })
        cups.killPrinter("P1")
        let c = try CertificateFlowTests.wait(for: "ready", serial: serial, on: admin, seconds: 40)
        #expect(c["printer"] == .string("p2"))
        #expect(c["printAttempts"]?.arrayValue?.first?["reason"]?.stringValue?.contains("unreachable") == true)
        // P1 comes back: the cancelled job never prints there.
        try cups.startPrinter("P1")
        cups.setMode("P1", "ok")
        usleep(3_000_000)
        #expect(Self.jobs(cups, "P1", serial).isEmpty)
        #expect(Self.jobs(cups, "P2", serial).count == 1)
    }

    @Test func aStoppedQueueIsResumedWhenAutoResumeIsOn() throws {
        let cups = try PrivateCUPS(printers: ["P1"])
        defer { cups.stop() }
        let daemon = try Self.daemon(cups)
        try Self.start(daemon, cups)
        _ = try cups.run("cupsdisable", "-r", "maintenance", "P1")
        let serial = try Self.submit(daemon)
        let c = try CertificateFlowTests.wait(for: "ready", serial: serial, on: try daemon.client(), seconds: 30)
        #expect(c["printer"] == .string("p1"))
        #expect(Self.jobs(cups, "P1", serial).count == 1)
    }

    @Test func killMinus9DuringPrintingNeverPrintsTwice() throws {
        let cups = try PrivateCUPS(printers: ["P1"])
        defer { cups.stop() }
        let daemon = try Self.daemon(cups)
        try Self.start(daemon, cups)
        cups.setMode("P1", "slow 3")
        let serial = try Self.submit(daemon)
        let admin = try daemon.client()
        #expect(try eventually { try admin.call("cert.get", ["serial": .string(serial)])["printAttempts"]?.arrayValue?.first?["job"] != nil })
        daemon.kill9()
        try Self.start(daemon, cups)
        let c = try CertificateFlowTests.wait(for: "ready", serial: serial, on: try daemon.client(), seconds: 30)
        #expect(c["printAttempts"]?.arrayValue?.count == 1)  // reconciled, not resubmitted
        usleep(1_000_000)
        #expect(Self.jobs(cups, "P1", serial).count == 1, "\(cups.printed("P1"))")
        #expect(try daemon.client().call("audit.verify")["ok"] == .bool(true))
    }

    @Test func withCUPSDownTheCertificateWaitsHeldAndPrintsWhenCUPSIsBack() throws {
        let cups = try PrivateCUPS(printers: ["P1"])
        defer { cups.stop() }
        let daemon = try Self.daemon(cups)
        try Self.start(daemon, cups)
        cups.stopCupsd()
        let serial = try Self.submit(daemon)
        let admin = try daemon.client()
        let held = try CertificateFlowTests.wait(for: "held", serial: serial, on: admin, seconds: 30)
        let note = held["history"]?.arrayValue?.last?["note"]?.stringValue ?? ""
        #expect(note.contains("no printer available") && note.contains("p1"), "\(note)")
        #expect(held["printAttempts"]?.arrayValue?.isEmpty == true)  // nothing was sent
        #expect(try admin.call("device.status", ["id": "p1"])["state"] != .string("ok"))
        try cups.startCupsd()
        let done = try CertificateFlowTests.wait(for: "ready", serial: serial, on: admin, seconds: 40)
        #expect(done["printAttempts"]?.arrayValue?.count == 1)
        #expect(Self.jobs(cups, "P1", serial).count == 1)
    }
}
