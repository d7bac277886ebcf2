import Crypto
import Foundation
import KioskCertificates
import KioskCore
import KioskDevices
import KioskStore
import Logging
import ServiceLifecycle
import Synchronization

/// Renders and prints certificates after their order is committed, and picks up where it left
/// off after a restart.
///
/// Exactly once: before a job goes to a printer, a `PrintAttempt` is committed and the job is
/// named after it. After a crash, an open attempt is looked up at its printer by that name: a
/// job found is followed, not resubmitted; only an attempt whose job never reached the printer
/// is submitted (under the same name).
final class CertificatePipeline: Service, Sendable {
    let config: HallConfig
    let store: any Store
    let clock: any HallClock
    let templates: [String: CertificateTemplate]
    let pdfDirectory: String
    let registry: DeviceRegistry?
    let logger: Logger
    /// How often a job at a printer is asked about.
    let jobPoll: Duration
    /// How often certificates waiting for a printer are tried again.
    let retryInterval: Duration

    private let work: AsyncStream<String>
    private let workIn: AsyncStream<String>.Continuation
    /// Serialises work on one certificate (the background loop and a kiosk pickup).
    private let busy = Mutex<Set<String>>([])
    /// This machine's name: its print jobs carry it (`PrintAttempt.terminal`).
    let terminal: String
    /// Holds the hall's certificate-pipeline lease (a shared database; see `+Ownership`).
    let owner = Atomic<Bool>(false)

    init(
        config: HallConfig, store: any Store, clock: any HallClock, templates: [String: CertificateTemplate],
        pdfDirectory: String, registry: DeviceRegistry?, logger: Logger, jobPoll: Duration = .milliseconds(250),
        retryInterval: Duration = .seconds(3)
    ) {
        self.config = config
        self.store = store
        self.clock = clock
        self.templates = templates
        self.pdfDirectory = pdfDirectory
        self.registry = registry
        self.logger = logger
        self.jobPoll = jobPoll
        self.retryInterval = retryInterval
        self.terminal = config.daemon.terminal
        (work, workIn) = AsyncStream.makeStream(of: String.self, bufferingPolicy: .unbounded)
    }

    var settings: CertificateSettings { config.certificates.settings }

    /// Something to do for `serial` (called after the commit that made it so).
    func wake(_ serial: String) { workIn.yield(serial) }

    func run() async throws {
        // Unfinished business of a previous run: open print attempts first, then certificates
        // that were received or rendered but not yet printed.
        await renewLease()
        do {
            for serial in try await unfinishedWork() { wake(serial) }
        } catch {
            logger.failure(.error, "certificate pipeline: cannot read unfinished work", error)
        }
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    // Each certificate on its own task: a long job on one printer never holds
                    // up the others (claims keep two tasks off one certificate).
                    await withTaskGroup(of: Void.self) { jobs in
                        for await serial in self.work {
                            jobs.addTask { await self.advance(serial) }
                        }
                    }
                }
                group.addTask { await self.retryWaiting() }
                await group.waitForAll()
            }
        }
    }

    /// Certificates `held` with no job at a printer (no printer could take them) are tried
    /// again every `retryInterval`, so they print as soon as a printer is back.
    private func retryWaiting() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: retryInterval)
            // On a shared database: keep (or take over) the lease, and as its holder pick up what
            // other daemons received.
            if await renewLease() || (store.isShared && ownsNewWork) {
                for serial in (try? await unfinishedWork()) ?? [] { wake(serial) }
                continue
            }
            guard ownsNewWork, let waiting = try? await store.read({ r -> [String] in
                let open = Set(try r.openPrintAttempts().map(\.serial))
                return try r.certificates(state: .held, day: nil, limit: 1_000)
                    .filter { $0.printMode == .now && !open.contains($0.serial.description) }.map(\.serial.description)
            }) else { continue }
            for serial in waiting { wake(serial) }
        }
    }

    // MARK: One certificate

    /// Takes `serial` as far as it can go without a person: render, then print (for `now`),
    /// then release when no release is required.
    func advance(_ serial: String) async {
        guard claim(serial) else { return }
        defer { unclaim(serial) }
        guard await mayAdvance(serial) else { return }
        do {
            var c = try await load(serial)
            if c.state == .received { c = try await render(c) }
            if c.printMode == .now, [.rendered, .printing, .held].contains(c.state) { c = try await print(c, preferred: nil) }
            if c.printMode == .onPickup, c.state == .rendered, !settings.requireRelease {
                c = try await move(c, to: .ready, actor: "kioskd", note: "no release required")
            }
            if c.state == .printed, !settings.requireRelease {
                c = try await move(c, to: .ready, actor: "kioskd", note: "no release required")
            }
        } catch {
            logger.failure(.error, "certificate \(serial)", error)
        }
    }

    /// Prints an `on_pickup` certificate for the holder at the kiosk; returns it printed, or
    /// in whatever state printing left it (held, failed).
    func printForPickup(serial: String, printer: String?, actor: String) async throws -> Certificate {
        while !claim(serial) { try await Task.sleep(for: .milliseconds(50)) }
        defer { unclaim(serial) }
        var c = try await load(serial)
        if c.state == .ready { c = try await move(c, to: .printing, actor: actor, note: "holder at the kiosk") }
        return try await print(c, preferred: printer)
    }

    private func claim(_ serial: String) -> Bool { busy.withLock { $0.insert(serial).inserted } }
    private func unclaim(_ serial: String) { _ = busy.withLock { $0.remove(serial) } }

    func load(_ serial: String) async throws -> Certificate {
        try await store.read { r in try CertificateService.certificate(serial, in: r) }
    }

    func move(_ c: Certificate, to state: CertificateState, actor: String, note: String? = nil) async throws -> Certificate {
        let now = clock.now()
        return try await store.write { w in
            var c = try CertificateService.certificate(c.serial.description, in: w)
            guard c.state != state else { return c }
            try CertificateService.move(w, &c, to: state, actor: actor, note: note, at: now)
            return c
        }
    }

    // MARK: Rendering

    func pdfPath(_ serial: String) -> String { (pdfDirectory as NSString).appendingPathComponent(serial + ".pdf") }

    /// Renders the PDF with the department's seal and the signed QR code, then records it
    /// (render and seal application in the audit trail).
    private func render(_ c: Certificate) async throws -> Certificate {
        let serial = c.serial.description
        guard let template = templates[c.type], let department = config.certificates.department(c.department),
            let payload = c.qrPayload
        else {
            return try await move(c, to: .failed, actor: "kioskd", note: "template \(c.type) or department \(c.department) is no longer configured")
        }
        let path = pdfPath(serial)
        let layout: CertificateLayout
        do {
            layout = try await renderFile(c, template: template, seal: department.seal, qrPayload: payload)
        } catch {
            logger.error("certificate \(serial) cannot be rendered: \(error)")
            return try await move(c, to: .failed, actor: "kioskd", note: "rendering failed: \(error)")
        }
        let pdfDigest = Self.sha256(file: path)
        let sealDigest = Self.sha256(file: department.seal)
        let now = clock.now()
        let overflowing = layout.overflowing
        return try await store.write { w in
            var c = try CertificateService.certificate(serial, in: w)
            guard c.state == .received else { return c }
            try CertificateService.move(w, &c, to: .rendered, actor: "kioskd", at: now)
            try AuditTrail.append(w, at: now, .render, subject: serial, actor: "kioskd", details: [
                "template": .string(template.id), "pdf": .string(pdfDigest),
                "overflowing": .array(overflowing.map { .string($0.key) }),
            ])
            try AuditTrail.append(w, at: now, .seal, subject: serial, actor: AuditTrail.actor("approval", c.approvedBy), details: [
                "department": .string(department.id), "sealImage": .string(sealDigest), "approvedBy": .string(c.approvedBy.id),
            ])
            return c
        }
    }

    /// Rendering takes tens of ms of CPU: it runs in the cooperative pool, never on the event
    /// loop of the connection that asked for a pickup (connections run on their loops).
    private func renderFile(_ c: Certificate, template: CertificateTemplate, seal: String, qrPayload: String) async throws -> CertificateLayout {
        let path = pdfPath(c.serial.description)
        return try await withTaskExecutorPreference(globalConcurrentExecutor) {
            try CertificateRenderer.shared.render(template: template, fields: c.fields, sealImage: seal, qrPayload: qrPayload, to: path)
        }
    }

    /// The certificate's PDF on this machine, rendered again from what is stored when it was
    /// rendered on another terminal (a shared hall database: printed at a kiosk for pickup).
    /// The same template, fields, seal and signed QR give the same certificate; the audit
    /// records the render and the terminal.
    func ensurePDF(_ serial: String) async throws {
        guard !FileManager.default.fileExists(atPath: pdfPath(serial)) else { return }
        let c = try await load(serial)
        guard let template = templates[c.type], let department = config.certificates.department(c.department),
            let payload = c.qrPayload
        else { throw KioskError(.invalidState, "certificate \(serial) cannot be rendered here: its template or department is not configured") }
        _ = try await renderFile(c, template: template, seal: department.seal, qrPayload: payload)
        let digest = Self.sha256(file: pdfPath(serial)), now = clock.now(), me = terminal
        try await store.write { w in
            try AuditTrail.append(w, at: now, .render, subject: serial, actor: "kioskd", details: [
                "template": .string(template.id), "pdf": .string(digest), "terminal": .string(me),
            ])
        }
    }

    static func sha256(file: String) -> String {
        guard let data = FileManager.default.contents(atPath: file) else { return "" }
        return Hex.encode(SHA256.hash(data: data))
    }
}
