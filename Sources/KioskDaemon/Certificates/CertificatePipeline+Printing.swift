import Foundation
import KioskCertificates
import KioskCore
import KioskDevices
import KioskStore

/// Printing on the pool of certificate printers, with failover and exactly-once jobs.
extension CertificatePipeline {
    enum Outcome {
        /// Printed; with a warning when a person should check the paper (see `CertificateJob`).
        case completed(warning: String?)
        case failed(String)
    }

    /// Prints `c` (a reconciled open attempt first, then the pool in order, `preferred` first)
    /// and returns it `printed`, or `failed` when no printer could print it.
    func print(_ start: Certificate, preferred: String?) async throws -> Certificate {
        var c = start
        let serial = c.serial.description
        var tried = Set<String>()
        var reasons: [String] = []
        let attempts = try await store.read { try $0.printAttempts(serial: serial) }
        if let open = attempts.last(where: \.isOpen) {
            guard isMine(open) else {
                // On another terminal's printer: only that daemon can tell whether it printed.
                logger.notice("certificate \(serial): its job \(open.jobName) is on terminal \(open.terminal ?? "?")'s printer; left to it")
                return c
            }
            switch await follow(open) {
            case .completed(let warning): return try await printed(serial, attempt: open, warning: warning)
            case .failed(let why):
                tried.insert(open.printer)
                reasons.append("\(open.printer): \(why)")
            }
        }
        // The least busy printers first (jobs still open on each), in configured order among
        // equals: a pool shares the work instead of queueing everything on its first printer.
        let busy = Dictionary(grouping: try await store.read { try $0.openPrintAttempts() }, by: \.printer).mapValues(\.count)
        var pool = settings.printers.enumerated().sorted { a, b in
            (busy[a.element] ?? 0, a.offset) < (busy[b.element] ?? 0, b.offset)
        }.map(\.element)
        if let preferred { pool = [preferred] + pool.filter { $0 != preferred } }
        var attempted = !tried.isEmpty
        for id in pool where !tried.contains(id) {
            tried.insert(id)
            guard let printer = try? registry?.certificatePrinter(id) else {
                reasons.append("\(id): no driver")
                continue
            }
            var health = await printer.refreshHealth()
            if !health.state.isUsable, settings.autoResume, await printer.resumeIfStopped() {
                health = await printer.refreshHealth()
            }
            guard health.state.isUsable else {
                reasons.append("\(id): \(health.state.rawValue), \(health.reason)")
                continue
            }
            attempted = true
            let attempt = try await record(serial, on: id)
            c = try await load(serial)
            switch await follow(attempt) {
            case .completed(let warning): return try await printed(serial, attempt: attempt, warning: warning)
            case .failed(let why): reasons.append("\(id): \(why)")
            }
        }
        let why = reasons.isEmpty ? "no certificate printer is configured" : reasons.joined(separator: "; ")
        c = try await load(serial)
        if !attempted {
            // No printer can take a job now (all out of paper, unreachable, CUPS down): the
            // certificate waits `held` and the pipeline tries again as printers come back.
            guard c.state != .held else { return c }
            logger.warning("certificate \(serial) waits for a printer: \(why)")
            return try await move(c, to: .held, actor: "kioskd", note: "no printer available: \(why)")
        }
        logger.error("certificate \(serial) could not be printed: \(why)")
        guard c.state != .failed else { return c }
        return try await markFailed(serial, why)
    }

    /// Commits a new attempt on `printer` (and the certificate as printing) before anything is
    /// sent, so a crash from here on is reconciled instead of printed again.
    private func record(_ serial: String, on printer: String) async throws -> PrintAttempt {
        let now = clock.now()
        return try await store.write { w in
            var c = try CertificateService.certificate(serial, in: w)
            let number = (try w.printAttempts(serial: serial).map(\.number).max() ?? 0) + 1
            var made = PrintAttempt(serial: serial, number: number, printer: printer, createdAt: now)
            made.terminal = self.terminal
            let attempt = try w.insert(made)
            c.printer = printer
            if c.state != .printing {
                try CertificateService.move(w, &c, to: .printing, actor: "kioskd", note: "on \(printer)", at: now)
            } else {
                try w.update(c)
            }
            try AuditTrail.append(w, at: now, .printAttempt, subject: serial, actor: "kioskd", details: [
                "printer": .string(printer), "job": .string(attempt.jobName), "attempt": .int(Int64(number)),
            ])
            return attempt
        }
    }

    /// Follows one attempt to its end at its printer: submits it if it never got there, then
    /// polls the job. Out of paper holds the certificate until the printer prints it; an
    /// unreachable printer fails over after `printer_timeout_seconds`, once its job is cancelled.
    func follow(_ start: PrintAttempt) async -> Outcome {
        var attempt = start
        let serial = attempt.serial
        guard let printer = try? registry?.certificatePrinter(attempt.printer) else {
            return await finish(attempt, .failed("printer \(attempt.printer) is not configured any more"))
        }
        // Reconcile: the job may have reached the printer before a crash.
        if attempt.job == nil {
            do {
                if let found = try await printer.job(named: attempt.jobName) {
                    attempt.job = found.id
                } else {
                    try await ensurePDF(serial)
                    attempt.job = try await printer.submit(documentPath: pdfPath(serial), jobName: attempt.jobName)
                }
                attempt.state = .submitted
                attempt.updatedAt = clock.now()
                let a = attempt
                try await store.write { w in try w.update(a) }
            } catch {
                return await finish(attempt, .failed("cannot submit: \(error)"))
            }
        }
        guard let job = attempt.job else { return await finish(attempt, .failed("no job id")) }
        var unreachableSince: ContinuousClock.Instant?
        let timeout = Duration.seconds(settings.printerTimeoutSeconds)
        while !Task.isCancelled {
            // The printer's state first: the job's state is read in its light (a job CUPS keeps
            // "processing" on a printer out of paper is held).
            let health = await printer.refreshHealth()
            let state: CertificateJob.State
            var warning: String?
            do {
                let j = try await printer.job(job)
                state = j.state
                warning = j.warning
            } catch {
                state = .held(reason: "printer unreachable: \(error)")
            }
            switch state {
            case .completed:
                return await finish(attempt, .completed(warning: warning))
            case .failed(let why):
                return await finish(attempt, .failed(why))
            case .held(let why):
                if attempt.state != .held {
                    attempt.state = .held
                    attempt.reason = why
                    attempt.updatedAt = clock.now()
                    await hold(attempt, why)
                }
                if settings.autoResume { _ = await printer.resumeIfStopped() }
            case .active:
                if attempt.state == .held {
                    attempt.state = .submitted
                    attempt.reason = nil
                    attempt.updatedAt = clock.now()
                    await resume(attempt)
                }
            }
            // An unreachable printer (gone from the network, switched off) is given up on after
            // the timeout, but only once its job is cancelled: it must never print later. The
            // clock restarts whenever the printer is seen again.
            if health.state == .absent || health.state == .fault && health.reason.contains("unreachable") {
                let since = unreachableSince ?? ContinuousClock.now
                unreachableSince = since
                if ContinuousClock.now - since >= timeout {
                    do {
                        try await printer.cancel(job)
                        return await finish(attempt, .failed("printer unreachable for \(settings.printerTimeoutSeconds) s; job cancelled"))
                    } catch {
                        logger.warning("certificate \(serial): cannot cancel job \(job) on \(attempt.printer) (\(error)); waiting")
                    }
                }
            } else {
                unreachableSince = nil
            }
            try? await Task.sleep(for: jobPoll)
        }
        return .failed("shutting down")
    }

    /// Records the attempt's end; the certificate's own state is moved by the caller.
    private func finish(_ start: PrintAttempt, _ outcome: Outcome) async -> Outcome {
        var a = start
        let now = clock.now()
        switch outcome {
        case .completed(let warning):
            a.state = .completed
            a.reason = warning
        case .failed(let why):
            a.state = .failed
            a.reason = why
        }
        a.updatedAt = now
        let attempt = a
        do {
            try await store.write { w in
                if attempt.id != nil { try w.update(attempt) }
                var details: [String: CanonicalJSON] = [
                    "printer": .string(attempt.printer), "job": .string(attempt.jobName), "result": .string(attempt.state.rawValue),
                ]
                if let reason = attempt.reason { details["reason"] = .string(reason) }
                try AuditTrail.append(w, at: now, .printResult, subject: attempt.serial, actor: "kioskd", details: .object(details))
            }
        } catch {
            logger.failure(.error, "certificate \(attempt.serial): cannot record the end of \(attempt.jobName)", error)
        }
        return outcome
    }

    private func printed(_ serial: String, attempt: PrintAttempt, warning: String?) async throws -> Certificate {
        let now = clock.now()
        if let warning { logger.warning("certificate \(serial) on \(attempt.printer): \(warning)") }
        return try await store.write { w in
            var c = try CertificateService.certificate(serial, in: w)
            c.printer = attempt.printer
            if c.state == .held { try CertificateService.move(w, &c, to: .printing, actor: "kioskd", at: now) }
            let note = "on \(attempt.printer)" + (warning.map { "; \($0)" } ?? "")
            try CertificateService.move(w, &c, to: .printed, actor: "kioskd", note: note, at: now)
            return c
        }
    }

    private func markFailed(_ serial: String, _ why: String) async throws -> Certificate {
        let now = clock.now()
        return try await store.write { w in
            var c = try CertificateService.certificate(serial, in: w)
            try CertificateService.move(w, &c, to: .failed, actor: "kioskd", note: why, at: now)
            return c
        }
    }

    private func hold(_ attempt: PrintAttempt, _ why: String) async {
        let now = clock.now()
        do {
            try await store.write { w in
                try w.update(attempt)
                var c = try CertificateService.certificate(attempt.serial, in: w)
                if c.state == .printing { try CertificateService.move(w, &c, to: .held, actor: "kioskd", note: why, at: now) }
            }
        } catch {
            logger.failure(.error, "certificate \(attempt.serial): cannot record the hold", error)
        }
    }

    private func resume(_ attempt: PrintAttempt) async {
        let now = clock.now()
        do {
            try await store.write { w in
                try w.update(attempt)
                var c = try CertificateService.certificate(attempt.serial, in: w)
                if c.state == .held {
                    try CertificateService.move(w, &c, to: .printing, actor: "kioskd", note: "printer back", at: now)
                }
            }
        } catch {
            logger.failure(.error, "certificate \(attempt.serial): cannot record the resumption", error)
        }
    }
}
