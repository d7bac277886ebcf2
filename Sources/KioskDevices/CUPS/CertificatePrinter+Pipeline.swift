import KioskCore

/// The CUPS printer as the certificate pipeline sees it: CUPS job states folded into
/// active / held / completed / failed, with the printer's own trouble (out of paper, a stopped
/// queue, the printer unreachable) shown as a held job, since CUPS keeps such jobs and prints
/// them when the printer is back.
extension CertificatePrinter: CertificatePrinting {
    public func submit(documentPath: String, jobName: String) async throws(DeviceError) -> Int {
        do {
            return try await submit(documentPath: documentPath, jobName: jobName, copies: 1)
        } catch {
            throw error.deviceError(id: id)
        }
    }

    public func job(_ id: Int) async throws(DeviceError) -> CertificateJob {
        let job: CUPSJob
        do {
            job = try await self.job(id)
        } catch {
            throw error.deviceError(id: self.id)
        }
        return await fold(job)
    }

    /// The job named `name`. A job CUPS holds without its document (`job-incoming`: the daemon
    /// died between Create-Job and Send-Document) cannot print: it is cancelled and reported as
    /// absent, so the attempt is sent again under the same name.
    public func job(named name: String) async throws(DeviceError) -> CertificateJob? {
        let found: [CUPSJob]
        do {
            found = try await jobs(named: name, which: .all)
        } catch {
            throw error.deviceError(id: id)
        }
        for job in found where job.isIncomplete {
            try? await cancel(jobID: job.id)
        }
        guard let job = found.filter({ !$0.isIncomplete }).max(by: { $0.id < $1.id }) else { return nil }
        return await fold(job)
    }

    public func cancel(_ job: Int) async throws(DeviceError) {
        do {
            try await cancel(jobID: job)
        } catch {
            throw error.deviceError(id: id)
        }
    }

    public func refreshHealth() async -> DeviceHealth { await status().health }

    public func resumeIfStopped() async -> Bool {
        guard let printer = await status().printer, printer.state == .stopped || !printer.isAcceptingJobs else {
            return false
        }
        return (try? await resume()) != nil
    }

    /// A CUPS job in the pipeline's terms.
    private func fold(_ job: CUPSJob) async -> CertificateJob {
        let state: CertificateJob.State
        var warning: String?
        switch job.state {
        case .completed where job.printerJammed:
            state = .failed(reason: "the printer jammed during the job (CUPS reported it completed)")
        case .completed:
            state = .completed
            if job.printerForgotJob {
                warning = "the printer was restarted during the job and may not have printed it: check before releasing"
            }
        case .canceled, .aborted:
            state = .failed(reason: job.printerStateMessage.map { "\(job.state.rawValue): \($0)" } ?? job.state.rawValue)
        case .stopped:
            // The document itself failed (job-completed-with-errors): no printer will print it
            // differently, but the pipeline tries the next; this job is taken off the queue.
            try? await cancel(jobID: job.id)
            state = .failed(reason: "the printer stopped the job: \(job.stateReasons.joined(separator: ", "))")
        case .pending, .processing, .held:
            // The printer's last known state: the pipeline refreshes it before asking for the job,
            // so one poll costs one status request, not two.
            if health.state == .fault || health.state == .absent {
                state = .held(reason: health.reason)
            } else {
                state = .active
            }
        }
        return CertificateJob(id: job.id, name: job.name, state: state, warning: warning)
    }
}
