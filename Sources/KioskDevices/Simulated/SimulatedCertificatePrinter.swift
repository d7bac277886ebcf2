import Foundation
import KioskCore

/// A certificate printer that exists only in software, for the demo and kiosk-shell developers:
/// each job's PDF is copied to `<output>/<job name>.pdf` at once, so a demo hall "prints"
/// certificates one can open. `setPaper(.out)` holds jobs until paper is back, as a real printer
/// does; `setJamNext()` fails the next job.
public final class SimulatedCertificatePrinter: CertificatePrinting {
    struct State: Sendable {
        var paper = PaperLevel.ok
        var connected = true
        var jamNext = false
        var nextJob = 1
        /// Jobs not yet written (held for paper): id → (name, source).
        var held: [Int: (name: String, source: String)] = [:]
        var failed: [Int: (name: String, reason: String)] = [:]
        var completed: [Int: String] = [:]
    }

    public let id: String
    public let kind = DeviceConfig.Kind.certificatePrinter
    public let transport = DeviceConfig.Transport.simulated
    public let endpoint = "simulated"
    /// Where printed PDFs go.
    public let outputDirectory: String

    private let box: DeviceStateBox<State>

    public init(id: String, outputDirectory: String, clock: any HallClock = SystemClock()) {
        self.id = id
        self.outputDirectory = outputDirectory
        box = DeviceStateBox(State(), health: .ready(since: clock.now()), clock: clock)
    }

    /// The printer a `[[devices]]` entry describes: `output`, or `<stateDir>/devices/<id>/`.
    public convenience init(config: DeviceConfig, stateDir: String, clock: any HallClock = SystemClock()) {
        self.init(
            id: config.id, outputDirectory: config.output ?? (stateDir as NSString).appendingPathComponent("devices/\(config.id)"),
            clock: clock)
    }

    public var health: DeviceHealth { box.health }

    public func observeHealth(_ observer: @escaping @Sendable (DeviceHealth) -> Void) { box.observe(observer) }

    // MARK: Simulation controls

    /// Out of paper holds jobs; paper back prints them.
    public func setPaper(_ level: PaperLevel) {
        box.mutate(assess: Self.assess) { s, _ in s.paper = level }
        flushHeld()
    }

    public func setConnected(_ connected: Bool) {
        box.mutate(assess: Self.assess) { s, _ in s.connected = connected }
        flushHeld()
    }

    /// The next job jams (fails at this printer).
    public func setJamNext() { box.mutate(assess: Self.assess) { s, _ in s.jamNext = true } }

    /// The PDFs printed so far, by job name.
    public func printedJobNames() -> [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: outputDirectory)) ?? []
        return files.filter { $0.hasSuffix(".pdf") }.map { String($0.dropLast(4)) }.sorted()
    }

    // MARK: CertificatePrinting

    public func submit(documentPath: String, jobName: String) async throws(DeviceError) -> Int {
        let id = self.id
        let (job, print) = try box.mutate(assess: Self.assess) { (s, _) throws(DeviceError) -> (Int, Bool) in
            guard s.connected else { throw .unavailable(id: id, reason: "disconnected") }
            let job = s.nextJob
            s.nextJob += 1
            if s.jamNext {
                s.jamNext = false
                s.failed[job] = (jobName, "paper jam")
                return (job, false)
            }
            if s.paper == .out {
                s.held[job] = (jobName, documentPath)
                return (job, false)
            }
            s.completed[job] = jobName
            return (job, true)
        }
        if print { try write(documentPath, as: jobName) }
        return job
    }

    public func job(_ job: Int) async throws(DeviceError) -> CertificateJob {
        let found = box.read { s, _ -> CertificateJob? in
            if let name = s.completed[job] { return CertificateJob(id: job, name: name, state: .completed) }
            if let h = s.held[job] { return CertificateJob(id: job, name: h.name, state: .held(reason: "out of paper")) }
            if let f = s.failed[job] { return CertificateJob(id: job, name: f.name, state: .failed(reason: f.reason)) }
            return nil
        }
        guard let found else { throw .fault(id: id, message: "no job \(job)") }
        return found
    }

    public func job(named name: String) async throws(DeviceError) -> CertificateJob? {
        let known = box.read { s, _ -> CertificateJob? in
            if let (job, _) = s.completed.first(where: { $0.value == name }) { return CertificateJob(id: job, name: name, state: .completed) }
            if let (job, _) = s.held.first(where: { $0.value.name == name }) {
                return CertificateJob(id: job, name: name, state: .held(reason: "out of paper"))
            }
            if let (job, f) = s.failed.first(where: { $0.value.name == name }) {
                return CertificateJob(id: job, name: name, state: .failed(reason: f.reason))
            }
            return nil
        }
        if let known { return known }
        // Printed before a restart of the daemon: the file is the printer's memory.
        return printedJobNames().contains(name) ? CertificateJob(id: 0, name: name, state: .completed) : nil
    }

    public func cancel(_ job: Int) async throws(DeviceError) {
        box.mutate(assess: Self.assess) { s, _ in
            if let h = s.held.removeValue(forKey: job) { s.failed[job] = (h.name, "cancelled") }
        }
    }

    public func refreshHealth() async -> DeviceHealth { health }

    public func resumeIfStopped() async -> Bool { false }

    // MARK: Internals

    static func assess(_ s: State) -> (DeviceHealth.State, String) {
        if !s.connected { return (.absent, "disconnected") }
        switch s.paper {
        case .out: return (.fault, "out of paper")
        case .nearEnd: return (.degraded, "paper near end")
        case .ok: return (.ok, "ready")
        }
    }

    private func flushHeld() {
        let ready = box.mutate(assess: Self.assess) { s, _ -> [(Int, String, String)] in
            guard s.connected, s.paper != .out else { return [] }
            let jobs = s.held.sorted { $0.key < $1.key }.map { ($0.key, $0.value.name, $0.value.source) }
            for (job, name, _) in jobs { s.completed[job] = name }
            s.held = [:]
            return jobs
        }
        for (_, name, source) in ready { try? write(source, as: name) }
    }

    private func write(_ source: String, as name: String) throws(DeviceError) {
        do {
            try FileManager.default.createDirectory(atPath: outputDirectory, withIntermediateDirectories: true)
            let target = (outputDirectory as NSString).appendingPathComponent(name + ".pdf")
            try? FileManager.default.removeItem(atPath: target)
            try FileManager.default.copyItem(atPath: source, toPath: target)
        } catch {
            throw .fault(id: id, message: "cannot write \(name).pdf to \(outputDirectory): \(error.localizedDescription)")
        }
    }
}
