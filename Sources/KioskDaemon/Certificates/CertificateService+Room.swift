import Foundation
import KioskCertificates
import KioskCore
import KioskProtocol
import KioskStore

/// The certificate room's steps: release (放行) by a third person, shipment, void, and the
/// authorized reprint under a new serial.
extension CertificateService {
    func release(_ p: CertReleaseParams) async throws -> JSONValue {
        let releasedBy = Self.person(p.operator)
        let required = settings.requireRelease
        let now = clock.now(), tz = timeZone
        let actor = AuditTrail.actor("operator", releasedBy)
        let c = try await store.write { w -> Certificate in
            var c = try Self.certificate(p.serial, in: w)
            try SeparationOfDuties.checkRelease(
                releasedBy: releasedBy, acceptedBy: c.acceptedBy, approvedBy: c.approvedBy, required: required)
            c.releasedBy = releasedBy
            try Self.move(w, &c, to: .ready, actor: actor, at: now)
            try AuditTrail.append(w, at: now, .release, subject: p.serial, actor: actor,
                details: ["acceptedBy": .string(c.acceptedBy.id), "approvedBy": .string(c.approvedBy.id)])
            return c
        }
        return CertificateView.json(c, timeZone: tz)
    }

    func ship(_ p: CertShipParams) async throws -> JSONValue {
        let now = clock.now(), tz = timeZone
        let actor = p.operator.map { AuditTrail.actor("operator", Self.person($0)) } ?? "operator"
        let c = try await store.write { w -> Certificate in
            var c = try Self.certificate(p.serial, in: w)
            c.carrier = p.carrier
            c.trackingNumber = p.trackingNumber
            try Self.move(w, &c, to: .shipped, actor: actor, note: "\(p.carrier) \(p.trackingNumber)", at: now)
            try AuditTrail.append(w, at: now, .ship, subject: p.serial, actor: actor,
                details: ["carrier": .string(p.carrier), "trackingNumber": .string(p.trackingNumber)])
            return c
        }
        return CertificateView.json(c, timeZone: tz)
    }

    func void(_ p: CertVoidParams) async throws -> JSONValue {
        let by = Self.person(p.authorizedBy)
        let now = clock.now(), tz = timeZone
        let actor = AuditTrail.actor("operator", by)
        let c = try await store.write { w -> Certificate in
            var c = try Self.certificate(p.serial, in: w)
            try SeparationOfDuties.checkReprint(authorizedBy: by, requestedBy: nil, acceptedBy: c.acceptedBy, approvedBy: c.approvedBy)
            c.voidReason = p.reason
            try Self.move(w, &c, to: .voided, actor: actor, note: p.reason, at: now)
            try AuditTrail.append(w, at: now, .void, subject: p.serial, actor: actor, details: ["reason": .string(p.reason)])
            return c
        }
        return CertificateView.json(c, timeZone: tz)
    }

    /// Voids `serial` and issues the same order under a new serial, with a new signed QR code;
    /// both in one transaction, so there is never a moment with two valid copies or none.
    func reprint(_ p: CertReprintParams) async throws -> JSONValue {
        let by = Self.person(p.authorizedBy)
        let requestedBy = p.requestedBy.map(Self.person)
        let now = clock.now(), tz = timeZone
        let issuedAt = Self.issueTime(now)
        let day = config.calendar.day(for: now)
        let hallCode = config.hall.code
        let signer = self.signer
        let actor = AuditTrail.actor("operator", by)
        let fresh = try await store.write { w -> Certificate in
            var old = try Self.certificate(p.serial, in: w)
            try SeparationOfDuties.checkReprint(
                authorizedBy: by, requestedBy: requestedBy, acceptedBy: old.acceptedBy, approvedBy: old.approvedBy)
            guard old.state != .voided else {
                throw KioskError(.invalidState, "certificate \(p.serial) is voided; reprint its current copy",
                    details: ["serial": p.serial, "state": old.state.rawValue])
            }
            let (serial, payload) = try Self.issue(
                w, hallCode: hallCode, day: day, type: old.type, fields: old.fields, issuedAt: issuedAt, signer: signer)
            old.voidReason = "reprinted as \(serial): \(p.reason)"
            try Self.move(w, &old, to: .voided, actor: actor, note: old.voidReason, at: now)
            var c = old
            c.serial = serial
            c.state = .received
            c.issuedAt = issuedAt
            c.qrPayload = payload
            c.printer = nil
            c.releasedBy = nil
            c.carrier = nil
            c.trackingNumber = nil
            c.reprintOf = p.serial
            c.voidReason = nil
            c.updatedAt = now
            try w.insert(c)
            try w.append(CertificateStep(serial: serial.description, at: now, state: .received, actor: actor,
                note: "reprint of \(p.serial): \(p.reason)"))
            try AuditTrail.append(w, at: now, .reprint, subject: serial.description, actor: actor, details: [
                "of": .string(p.serial), "reason": .string(p.reason), "authorizedBy": .string(by.id),
                "requestedBy": requestedBy.map { .string($0.id) } ?? .null,
            ])
            try AuditTrail.append(w, at: now, .void, subject: p.serial, actor: actor,
                details: ["reason": .string(old.voidReason ?? ""), "replacedBy": .string(serial.description)])
            try HallService.emit(w, CertificateState.received.eventTopic, CertificateView.Event(c, previous: nil, reason: "reprint"), at: now)
            return c
        }
        pipeline.wake(fresh.serial.description)
        return CertificateView.json(fresh, timeZone: tz)
    }
}
