import Foundation
import KioskCore
import KioskTestSupport
import Testing

@testable import KioskDevices

/// Certificate printing through a real private cupsd to real IPP Everywhere printers
/// (ippeveprinter), each test on a bed of its own (`PrivateCUPS`). What CUPS 2.4 reports for
/// each fault is written down in `docs`-style comments at each test: the pipeline is built on it.
@Suite("CUPS certificate printing (CUPSPrintingTests)", .serialized, .enabled(if: PrivateCUPS.isAvailable))
struct CUPSPrintingTests {
    typealias T = CUPSTestSupport

    // MARK: Printing and reconciliation

    @Test func aPDFNamedAfterItsAttemptArrivesInTheSpoolAndCompletes() async throws {
        let cups = try PrivateCUPS(printers: ["P1"])
        defer { cups.stop() }
        let connection = CUPSConnection(server: cups.socketPath)
        let attempt = T.attemptID()
        let path = try T.pdfFile("kioskd certificate \(attempt)", in: cups.dir)

        let id = try await connection.submit(queue: "P1", documentPath: path, jobName: attempt)
        #expect(id > 0)
        let job = try #require(await T.job(id, on: connection))
        #expect(job.state == .completed)
        #expect(job.name == attempt && job.queue == "P1" && job.id == id)

        // Exactly one document reached the printer and came out, under the attempt's name, and it
        // is our PDF (CUPS's pdftopdf rewrites the bytes, so compare the text).
        #expect(cups.received("P1") == ["001-\(attempt).pdf"])
        #expect(cups.printed("P1") == ["001-\(attempt).pdf"])
        #expect(T.pdfText(cups.printerDir("P1") + "/printed/001-\(attempt).pdf").contains("kioskd certificate \(attempt)"))
        #expect(cups.spool("P1").contains("1-\(attempt).pdf"))
    }

    /// After a crash the daemon opens a new connection and asks by name instead of printing again.
    @Test func aNewConnectionFindsTheJobByItsAttemptName() async throws {
        let cups = try PrivateCUPS(printers: ["P1"])
        defer { cups.stop() }
        // Out of paper holds the job at the printer for as long as the test needs (a timed
        // "slow" job may already be done on a loaded machine).
        cups.setMode("P1", "media-empty")
        let attempt = T.attemptID()
        var first: CUPSConnection? = CUPSConnection(server: cups.socketPath)
        let id = try await first!.submit(queue: "P1", data: T.pdf("reconcile \(attempt)"), jobName: attempt)
        _ = try await first!.submit(queue: "P1", data: T.pdf("other"), jobName: "attempt-other")
        first = nil  // the daemon "crashed": its connection is gone

        let second = CUPSConnection(server: CUPSServer(cups.socketPath)!)
        let found = try await second.jobs(queue: "P1", named: attempt)
        #expect(found.map(\.id) == [id])
        #expect(found.first.map { !$0.state.isFinal } == true)  // still printing: wait, do not resubmit
        #expect(try await second.jobs(named: attempt).map(\.id) == [id])  // across all queues too

        cups.setMode("P1", "ok")
        // CUPS retries the held job on its own schedule: under a loaded full run that took
        // longer than the default 15 s once.
        let done = try #require(await T.job(id, on: second, timeout: .seconds(60)))
        #expect(done.state == .completed)
        // Finished jobs stay findable (which-jobs=all), and only there.
        #expect(try await second.jobs(queue: "P1", named: attempt, which: .all).map(\.state) == [.completed])
        #expect(try await second.jobs(queue: "P1", named: attempt, which: .notCompleted).isEmpty)
        #expect(try await second.jobs(queue: "P1", named: "attempt-never-submitted").isEmpty)
        // No duplicate reached the printer.
        #expect(cups.received("P1").filter { $0.hasSuffix("-\(attempt).pdf") }.count == 1)
    }

    /// A daemon that died between Create-Job and Send-Document leaves a job CUPS holds for its
    /// document (`pending-held`, `job-incoming`): reconciliation sees it as incomplete and cancels it.
    @Test func aJobWithoutItsDocumentIsFoundIncompleteAndCanBeCancelled() async throws {
        let cups = try PrivateCUPS(printers: ["P1"])
        defer { cups.stop() }
        let connection = CUPSConnection(server: cups.socketPath)
        let attempt = T.attemptID()
        let created = await connection.run { s in Result { () throws(CUPSError) in
            try s.createJob(queue: "P1", jobName: attempt, copies: 1)
        } }
        let id = try created.get()
        let held = try #require(try await connection.jobs(queue: "P1", named: attempt).first)
        #expect(held.id == id && held.state == .held && held.isIncomplete)

        try await connection.cancel(jobID: id)
        #expect(try await connection.job(id).state == .canceled)
        try await connection.cancel(jobID: id)  // cancelling a finished job is not an error
        #expect(cups.received("P1").isEmpty)
    }

    // MARK: Faults

    /// Out of paper: the printer says `media-empty-warning` while the job waits (ippeveprinter's
    /// suffix for a processing printer), CUPS copies it to the queue (printer-state processing,
    /// `cups-waiting-for-job-completed`), the job stays `processing` — and completes by itself
    /// once paper is back.
    @Test func paperOutFaultsThePrinterAndTheJobCompletesWhenPaperIsBack() async throws {
        let cups = try PrivateCUPS(printers: ["P1"])
        defer { cups.stop() }
        let printer = CertificatePrinter(id: "cert0", queue: "P1", server: CUPSServer(cups.socketPath))
        let recorder = HealthRecorder()
        printer.observeHealth(recorder.record)
        #expect(await printer.status().health.state == .ok)

        cups.setMode("P1", "media-empty")
        let attempt = T.attemptID()
        let id = try await printer.submit(data: T.pdf(attempt), jobName: attempt)
        let faulted = await T.eventually {
            let s = await printer.status()
            return s.health.state == .fault ? s : nil
        }
        let status = try #require(faulted)
        #expect(status.health.reason == "out of paper")
        #expect(status.printer?.reasons.contains { $0.hasPrefix("media-empty") } == true)
        #expect(status.printer?.state == .processing && status.printer?.isAcceptingJobs == true)
        #expect(try await printer.job(id).state == .processing)
        #expect(cups.printed("P1").isEmpty)

        cups.setMode("P1", "ok")
        let done = try #require(await T.job(id, on: printer.connection))
        #expect(done.state == .completed)
        #expect(cups.printed("P1") == ["001-\(attempt).pdf"])
        let healthy = await T.eventually {
            let s = await printer.status()
            return s.health.state == .ok ? s : nil
        }
        #expect(healthy != nil)
        #expect(recorder.states == [.ok, .fault, .ok])
    }

    /// A jam (the printer aborts the job): CUPS cancels the job ("Print job canceled at
    /// printer.") — or, when the IPP backend's own poll sees the abort before its monitor thread
    /// does, reports it completed — with `media-jam-report` on the job either way; the pipeline
    /// sees a failed job in both cases. The queue stays idle and accepting (not stopped), and
    /// keeps `media-jam-report` until the next job or until the reasons are cleared.
    @Test func aJamCancelsTheJobAndTheReasonStaysUntilCleared() async throws {
        let cups = try PrivateCUPS(printers: ["P1"])
        defer { cups.stop() }
        let printer = CertificatePrinter(id: "cert0", queue: "P1", server: CUPSServer(cups.socketPath))
        cups.setMode("P1", "jam")
        let attempt = T.attemptID()
        let id = try await printer.submit(data: T.pdf(attempt), jobName: attempt)
        let job = try #require(await T.job(id, on: printer.connection, timeout: .seconds(60)))  // the jam holds the job 8 s
        #expect(job.state == .canceled || job.state == .completed)
        if job.state == .canceled { #expect(job.printerStateMessage?.contains("canceled at printer") == true) }
        #expect(job.printerStateReasons.contains { $0.hasPrefix("media-jam") })
        guard case .failed = try await printer.job(id).state as CertificateJob.State else {
            Issue.record("the pipeline must see a jammed job as failed, CUPS said \(job.state)")
            return
        }
        #expect(cups.received("P1").count == 1 && cups.printed("P1").isEmpty)

        let status = await printer.status()
        #expect(status.health.state == .fault && status.health.reason == "paper jam")
        #expect(status.printer?.state == .idle && status.printer?.isAcceptingJobs == true)

        // A technician cleared the jam.
        cups.setMode("P1", "ok")
        #expect(try await printer.clearReasons().health.state == .ok)
        let next = try await printer.submit(data: T.pdf("after the jam"), jobName: T.attemptID())
        #expect(try #require(await T.job(next, on: printer.connection)).state == .completed)
        #expect(await printer.status().health.state == .ok)
    }

    /// `cupsdisable`: printer-state stopped, reason `paused`, message the given reason; new jobs
    /// are accepted and wait `pending`. Resume-Printer lets them print.
    @Test func aStoppedQueueFaultsAndResumingPrintsThePendingJob() async throws {
        let cups = try PrivateCUPS(printers: ["P1"])
        defer { cups.stop() }
        let printer = CertificatePrinter(id: "cert0", queue: "P1", server: CUPSServer(cups.socketPath))
        let recorder = HealthRecorder()
        printer.observeHealth(recorder.record)
        _ = await printer.status()
        printer.startPolling(every: .milliseconds(100))
        defer { printer.stopPolling() }

        try cups.run("cupsdisable", "-r", "maintenance", "P1")
        // Polling notices without anyone asking.
        let stopped = await T.eventually { printer.health.state == .fault ? printer.health : nil }
        #expect(stopped?.reason == "queue stopped: maintenance")
        #expect(printer.lastStatus?.state == .stopped && printer.lastStatus?.reasons == ["paused"])

        let attempt = T.attemptID()
        let id = try await printer.submit(data: T.pdf(attempt), jobName: attempt)
        try await Task.sleep(for: .milliseconds(700))
        #expect(try await printer.job(id).state == .pending)
        #expect(cups.received("P1").isEmpty)

        let resumed = try await printer.resume()
        #expect(resumed.health.state == .ok && resumed.printer?.state != .stopped)
        #expect(try #require(await T.job(id, on: printer.connection)).state == .completed)
        #expect(cups.printed("P1") == ["001-\(attempt).pdf"])
        #expect(recorder.states.first == .ok && recorder.states.contains(.fault) && recorder.states.last == .ok)
    }

    /// `cupsreject`: Create-Job is refused with server-error-not-accepting-jobs.
    @Test func aRejectingQueueRefusesJobsUntilAccepted() async throws {
        let cups = try PrivateCUPS(printers: ["P1"])
        defer { cups.stop() }
        let printer = CertificatePrinter(id: "cert0", queue: "P1", server: CUPSServer(cups.socketPath))
        try cups.run("cupsreject", "-r", "out of order", "P1")
        await #expect {
            _ = try await printer.submit(data: T.pdf("x"), jobName: T.attemptID())
        } throws: { error in
            guard case CUPSError.notAccepting(let queue, _) = error else { return false }
            return queue == "P1" && "\(error)".contains("cupsaccept P1")
        }
        #expect(printer.health.state == .fault && printer.health.reason == "queue not accepting jobs")
        try await printer.resume()
        #expect(printer.health.state == .ok)
        let id = try await printer.submit(data: T.pdf("y"), jobName: T.attemptID())
        #expect(try #require(await T.job(id, on: printer.connection)).state == .completed)
    }

    /// A printer that does not answer: CUPS takes the job and keeps it `processing` with the
    /// message "The printer may not exist or is unavailable at this time." (no reason keyword);
    /// the probe of the device URI makes the printer `absent`. When the printer is back the job
    /// prints by itself.
    @Test func anUnreachablePrinterKeepsTheJobProcessingUntilItIsBack() async throws {
        let cups = try PrivateCUPS(printers: ["P1"])
        defer { cups.stop() }
        let printer = CertificatePrinter(
            id: "cert0", queue: "P1", server: CUPSServer(cups.socketPath),
            options: .init(probeTimeout: .milliseconds(500)))
        cups.killPrinter("P1")
        let status = await printer.status()
        #expect(status.health.state == .absent)
        #expect(status.health.reason.hasPrefix("printer not reachable at \(cups.printerURI("P1"))"))

        let attempt = T.attemptID()
        let id = try await printer.submit(data: T.pdf(attempt), jobName: attempt)
        let waiting = await T.job(id, on: printer.connection, timeout: .seconds(5)) {
            $0.printerStateMessage?.contains("unavailable") == true
        }
        #expect(waiting?.state == .processing)

        try cups.startPrinter("P1")
        let done = try #require(await T.job(id, on: printer.connection))
        #expect(done.state == .completed)
        #expect(cups.printed("P1") == ["001-\(attempt).pdf"])
        #expect(await printer.status().health.state == .ok)
    }

    /// The hazard under exactly-once: a printer killed (power-cycled) while printing forgets the
    /// job; after it is back, CUPS's backend finds no such job there and reports the CUPS job
    /// `completed` although nothing came out — marked only by `cups-ipp-missing-job-history`.
    @Test func aPrinterRestartedMidJobIsReportedCompletedButForgotTheJob() async throws {
        let cups = try PrivateCUPS(printers: ["P1"])
        defer { cups.stop() }
        let connection = CUPSConnection(server: cups.socketPath)
        cups.setMode("P1", "slow 30")
        let attempt = T.attemptID()
        let id = try await connection.submit(queue: "P1", data: T.pdf(attempt), jobName: attempt)
        let started = await T.eventually { cups.received("P1").isEmpty ? nil : true }
        #expect(started == true)
        cups.killPrinter("P1")
        cups.setMode("P1", "ok")
        try cups.startPrinter("P1")

        let job = try #require(await T.job(id, on: connection, timeout: .seconds(20)))
        #expect(job.state == .completed)
        #expect(job.printerForgotJob)
        #expect(cups.printed("P1").isEmpty)
        #expect(cups.received("P1").count == 1)
    }

    /// What failing over relies on: a job cancelled while its printer is unreachable, out of
    /// paper or its queue stopped never comes out later, when the printer is back — as long as
    /// the printer honours Cancel-Job for a job it holds (P4 does not, like ippeveprinter itself:
    /// CUPS still reports the job canceled, and it prints when paper is back).
    @Test func aCancelledJobNeverPrintsWhenItsPrinterComesBack() async throws {
        let cups = try PrivateCUPS(printers: ["P1", "P2", "P3", "P4"])
        defer { cups.stop() }
        let connection = CUPSConnection(server: cups.socketPath)
        cups.killPrinter("P1")
        cups.setMode("P2", "media-empty")
        try cups.run("cupsdisable", "P3")
        cups.setMode("P4", "media-empty")
        cups.setIgnoresCancel("P4")
        let queues = ["P1", "P2", "P3", "P4"]
        var ids: [String: Int] = [:]
        for queue in queues {
            ids[queue] = try await connection.submit(queue: queue, data: T.pdf(queue), jobName: "stuck-\(queue)")
        }
        // P2's and P4's jobs are at their printers, waiting for paper; P1's backend keeps
        // retrying; P3's job waits in the stopped queue.
        #expect(await T.eventually { cups.received("P2").isEmpty || cups.received("P4").isEmpty ? nil : true } == true)
        #expect(try await connection.job(ids["P3"]!).state == .pending)
        for queue in queues {
            try await connection.cancel(jobID: ids[queue]!)
            let job = try #require(await T.job(ids[queue]!, on: connection))
            #expect(job.state == .canceled, "\(queue): \(job)")
        }

        // The pipeline moves on; a little later everything is back: paper, printer, queue.
        // One more job each flushes the queues.
        try await Task.sleep(for: .milliseconds(500))
        try cups.startPrinter("P1")
        cups.setMode("P2", "ok")
        try cups.run("cupsenable", "P3")
        cups.setMode("P4", "ok")
        for queue in queues {
            let id = try await connection.submit(queue: queue, data: T.pdf("after"), jobName: "after-\(queue)")
            #expect(try #require(await T.job(id, on: connection)).state == .completed)
        }
        for queue in ["P1", "P2", "P3"] {
            #expect(cups.printed(queue).map { $0.dropFirst(4) } == ["after-\(queue).pdf"], "\(queue)")
        }
        #expect(cups.printed("P4").map { $0.dropFirst(4) } == ["stuck-P4.pdf", "after-P4.pdf"])
    }

    /// A document CUPS's filters cannot read: the job stops (`processing-stopped`,
    /// `job-completed-with-errors`, message "Filter failed") and stays in CUPS until cancelled;
    /// the queue itself stays idle and enabled (ErrorPolicy is about backends, not filters).
    @Test func aBrokenDocumentStopsItsJobNotTheQueue() async throws {
        let cups = try PrivateCUPS(printers: ["P1"])
        defer { cups.stop() }
        let printer = CertificatePrinter(id: "cert0", queue: "P1", server: CUPSServer(cups.socketPath))
        let id = try await printer.submit(data: Data("%PDF-1.4\nnot a pdf\n".utf8), jobName: T.attemptID())
        let job = try #require(await T.job(id, on: printer.connection) { $0.state == .stopped || $0.state.isFinal })
        #expect(job.state == .stopped && job.stateReasons.contains("job-completed-with-errors"))
        // The message goes from the filter's own complaint to "Filter failed": for people only.
        #expect(job.printerStateMessage?.isEmpty == false)
        let status = await printer.status()
        #expect(status.health.state == .ok && status.printer?.state == .idle)
        #expect(cups.received("P1").isEmpty)
        try await printer.cancel(jobID: id)
        #expect(try await printer.job(id).state == .canceled)
    }

    // MARK: Errors

    @Test func cupsdNotRunningIsAClearErrorAndTheHealthRecovers() async throws {
        let cups = try PrivateCUPS(printers: ["P1"])
        defer { cups.stop() }
        let printer = CertificatePrinter(id: "cert0", queue: "P1", server: CUPSServer(cups.socketPath))
        #expect(await printer.status().health.state == .ok)  // connected once: the http_t is open
        cups.stopCupsd()

        await #expect {
            _ = try await printer.connection.printer("P1")
        } throws: { error in
            guard case CUPSError.serverUnreachable(let server, _) = error else { return false }
            return server == cups.socketPath && "\(error)".contains("is cupsd running?")
        }
        await #expect {
            _ = try await printer.submit(data: T.pdf("x"), jobName: T.attemptID())
        } throws: { error in
            if case CUPSError.serverUnreachable = error { true } else { false }
        }
        let down = await printer.status()
        #expect(down.health.state == .fault && down.health.reason.hasPrefix("CUPS not reachable"))
        #expect(down.printer == nil && down.error?.code == "cups_unreachable")

        try cups.startCupsd()
        #expect(await printer.status().health.state == .ok)  // reconnected by itself
        let id = try await printer.submit(data: T.pdf("after restart"), jobName: T.attemptID())
        #expect(try #require(await T.job(id, on: printer.connection)).state == .completed)

        // A restart between two jobs: the kept connection is dead, yet Create-Job (never
        // repeated) goes through, on a new one.
        cups.stopCupsd()
        try cups.startCupsd()
        let again = try await printer.submit(data: T.pdf("after a second restart"), jobName: T.attemptID())
        #expect(try #require(await T.job(again, on: printer.connection)).state == .completed)
    }

    @Test func unknownQueuesJobsAndFilesAreClearErrors() async throws {
        let cups = try PrivateCUPS(printers: ["P1"])
        defer { cups.stop() }
        let connection = CUPSConnection(server: cups.socketPath)
        await #expect(throws: CUPSError.queueNotFound(queue: "Nope", server: cups.socketPath)) {
            _ = try await connection.printer("Nope")
        }
        await #expect(throws: CUPSError.queueNotFound(queue: "Nope", server: cups.socketPath)) {
            _ = try await connection.submit(queue: "Nope", data: T.pdf("x"), jobName: "a")
        }
        await #expect(throws: CUPSError.jobNotFound(id: 987_654)) {
            _ = try await connection.job(987_654)
        }
        await #expect(throws: CUPSError.documentUnreadable(path: "/nonexistent.pdf", reason: "no such file")) {
            _ = try await connection.submit(queue: "P1", documentPath: "/nonexistent.pdf", jobName: "a")
        }
        // No server given: CUPS_SERVER decides, as for lpstat. (Given as an environment, not set in
        // this process: setenv races with every test thread that reads the environment.)
        let chosen = CUPSServer.chosen(environment: ["CUPS_SERVER": cups.socketPath])
        #expect(chosen.host == cups.socketPath)
        let byDefault = CUPSConnection(server: chosen)
        #expect(try await byDefault.printer("P1").state == .idle)

        let nope = CertificatePrinter(id: "cert9", queue: "Nope", connection: connection)
        let status = await nope.status()
        #expect(status.health.state == .absent && status.health.reason == "no CUPS queue \"Nope\"")
        #expect(CUPSError.queueNotFound(queue: "Nope", server: cups.socketPath).description.contains("lpadmin -p Nope"))
        #expect(try await connection.printer("P1").deviceURI == cups.printerURI("P1"))
    }
}
