import Crypto
import Foundation
import KioskCertificates
import KioskCore
import KioskDevices
import KioskProtocol
import KioskStore
import Logging

/// The certificate pipeline's socket side (`cert.*`, `audit.*`): print orders in, state changes,
/// pickup at the kiosk, verification of scanned QR codes. Every change is one store transaction
/// holding the certificate, its history row, its audit entries and its event; rendering and
/// printing happen after the commit, in `CertificatePipeline`.
final class CertificateService: Sendable {
    let config: HallConfig
    let store: any Store
    let clock: any HallClock
    let persons: PersonKeys
    let logger: Logger
    let templates: [String: CertificateTemplate]
    let signer: PayloadSigner
    /// Rendered PDFs: `<state_dir>/certificates/<serial>.pdf`.
    let pdfDirectory: String
    /// Set once the pipeline runs; woken after each commit that gives it work.
    let pipeline: CertificatePipeline

    init(config: HallConfig, store: any Store, clock: any HallClock, persons: PersonKeys, registry: DeviceRegistry?,
        logger: Logger) throws {
        self.config = config
        self.store = store
        self.clock = clock
        self.persons = persons
        self.logger = logger
        let templates = try CertificateSetup.templates(for: config)
        self.templates = templates
        do {
            signer = try PayloadSigner.loadOrCreate(stateDir: config.daemon.stateDir)
        } catch {
            throw KioskError(.storageUnavailable, "certificate signing key: \(error)")
        }
        pdfDirectory = (config.daemon.stateDir as NSString).appendingPathComponent("certificates")
        try FileManager.default.createDirectory(atPath: pdfDirectory, withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o750])
        pipeline = CertificatePipeline(
            config: config, store: store, clock: clock, templates: templates, pdfDirectory: pdfDirectory,
            registry: registry, logger: logger)
    }

    var settings: CertificateSettings { config.certificates.settings }
    var timeZone: TimeZone { config.daemon.timeZone }

    // MARK: Shared steps (inside a write)

    /// Moves `c` to `state` if the lifecycle allows it: history row, event, updated row.
    static func move(
        _ w: any StoreWriter, _ c: inout Certificate, to state: CertificateState, actor: String, note: String? = nil,
        at: Date
    ) throws {
        let previous = c.state
        try CertificateLifecycle(printMode: c.printMode, delivery: c.delivery.mode)
            .checkMove(c.serial.description, from: previous, to: state)
        c.state = state
        c.updatedAt = at
        try w.update(c)
        try w.append(CertificateStep(serial: c.serial.description, at: at, state: state, actor: actor, note: note))
        try HallService.emit(w, state.eventTopic, CertificateView.Event(c, previous: previous, reason: note), at: at)
    }

    /// The next serial of `day` and the signed QR payload of what it will print, inside the write
    /// that creates the certificate (an order, or a reprint). `issuedAt` is in whole seconds, as
    /// the payload carries it.
    static func issue(
        _ w: any StoreWriter, hallCode: String, day: HallDay, type: String, fields: [String: String], issuedAt: Date,
        signer: PayloadSigner
    ) throws -> (serial: CertificateSerial, payload: String) {
        let sequence = try w.nextCertificateSequence(day: day)
        guard let serial = CertificateSerial(hallCode: hallCode, day: day, sequence: sequence) else {
            throw StoreError("certificate sequence \(sequence) of \(day) is out of range")
        }
        let claims = try QRClaims(serial: serial, type: type, issuedAt: issuedAt, fields: fields)
        return (serial, signer.payload(for: claims))
    }

    /// `now` cut to whole seconds: the issue time a certificate's QR payload can carry.
    static func issueTime(_ now: Date) -> Date { Date(timeIntervalSince1970: now.timeIntervalSince1970.rounded(.down)) }

    static func certificate(_ serial: String, in r: any StoreReader) throws -> Certificate {
        guard let c = try r.certificate(serial: serial) else {
            throw KioskError(.notFound, "no certificate \(serial)", details: ["serial": serial])
        }
        return c
    }

    static func person(_ p: PersonParams) -> PersonRef { PersonRef(id: p.id, name: p.name) }

    // MARK: Reads

    func get(_ q: CertLookupParams) async throws -> JSONValue {
        let tz = timeZone
        return try await store.read { r in
            let c: Certificate
            if let serial = q.serial {
                c = try Self.certificate(serial, in: r)
            } else if let order = q.orderId {
                // The order's current certificate: its latest reprint, or the original.
                guard let last = try r.certificates(orderId: order).last else {
                    throw KioskError(.notFound, "no certificate for order \(order)", details: ["orderId": order])
                }
                c = last
            } else {
                throw KioskError.invalidParams("give params.serial or params.orderId")
            }
            return CertificateView.json(c, timeZone: tz, history: try r.certificateHistory(serial: c.serial.description),
                attempts: try r.printAttempts(serial: c.serial.description))
        }
    }

    func list(_ q: CertListParams) async throws -> JSONValue {
        let state = try q.state.map { raw throws -> CertificateState in
            guard let s = CertificateState(rawValue: raw) else {
                throw KioskError.invalidParams(
                    "unknown state \(raw); states: \(CertificateState.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return s
        }
        let day = try q.date.map { text throws -> HallDay in
            guard let d = HallDay(validating: text) else { throw KioskError.invalidParams("date must be YYYY-MM-DD, got \(text)") }
            return d
        }
        let limit = q.limit ?? 200
        let tz = timeZone
        return try await store.read { r in
            .array(try r.certificates(state: state, day: day, limit: limit).map { CertificateView.json($0, timeZone: tz) })
        }
    }

    // MARK: Verification

    /// `cert.verify`: the signature first (offline, with the public key), then what only the
    /// hall knows: that the serial exists, is not voided, and printed these fields.
    func verify(_ payload: String) async throws -> JSONValue {
        let claims: QRClaims
        switch signer.verifier.verify(payload) {
        case .rejected(let r):
            return ["valid": false, "check": .string(r.check.rawValue), "detail": .string(r.detail)]
        case .valid(let c):
            claims = c
        }
        let tz = timeZone
        let serial = claims.serial.description
        return try await store.read { r in
            guard let c = try r.certificate(serial: serial) else {
                return ["valid": false, "check": .string(VerificationCheck.unknownSerial.rawValue),
                    "detail": .string("no certificate \(serial) was issued by this hall"), "serial": .string(serial)]
            }
            guard claims.matches(fields: c.fields), c.type == claims.type else {
                return ["valid": false, "check": .string(VerificationCheck.digestMismatch.rawValue),
                    "detail": .string("the printed fields are not those of certificate \(serial)"), "serial": .string(serial)]
            }
            if c.state == .voided {
                return ["valid": false, "check": .string(VerificationCheck.voided.rawValue),
                    "detail": .string("certificate \(serial) was voided" + (c.voidReason.map { ": \($0)" } ?? "")),
                    "serial": .string(serial)]
            }
            // The public details: what the paper says, so the reader can compare.
            return ["valid": true, "serial": .string(serial), "type": .string(c.type), "state": .string(c.state.rawValue),
                "department": .string(c.department), "holder": .string(c.holderName),
                "issuedAt": .string(ISO8601.string(c.issuedAt, timeZone: tz)), "fields": .object(c.fields.mapValues(JSONValue.string))]
        }
    }

    func publicKey() -> JSONValue {
        ["pem": .string(signer.publicKey.pem), "fingerprint": .string(signer.publicKey.fingerprint), "algorithm": "Ed25519"]
    }

    // MARK: Audit

    func auditVerify(anchors: [AuditVerifyParams.Head] = []) async throws -> JSONValue {
        let heads = anchors.map { AuditHead(seq: $0.seq, hash: $0.hash) }
        let v = try await store.read { r in try AuditTrail.verify(r, anchors: heads) }
        var o: [String: JSONValue] = ["ok": .bool(v.ok), "entries": .int(Int64(v.entries)),
            "head": ["seq": .int(v.head.seq), "hash": .string(v.head.hash)]]
        if let bad = v.firstBad { o["firstBad"] = ["seq": .int(bad.seq), "problem": .string(bad.problem.rawValue)] }
        return .object(o)
    }

    func auditTail(_ n: Int?) async throws -> JSONValue {
        let n = n ?? 20
        let tz = timeZone
        return try await store.read { r in
            let last = try r.lastAuditEntry()?.seq ?? 0
            return .array(try r.auditEntries(after: max(0, last - Int64(n)), limit: n).map { e in
                ["seq": .int(e.seq), "at": .string(ISO8601.string(Date(timeIntervalSince1970: Double(e.atMilliseconds) / 1000), timeZone: tz)),
                    "action": .string(e.action), "subject": .string(e.subject), "actor": .string(e.actor),
                    "details": .string(e.details), "hash": .string(e.hash)]
            })
        }
    }
}
