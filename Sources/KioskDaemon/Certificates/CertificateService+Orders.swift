import Crypto
import Foundation
import KioskCertificates
import KioskCore
import KioskProtocol
import KioskStore

/// `cert.submit`: a print order becomes a certificate, exactly once per `orderId`.
extension CertificateService {
    func submit(_ p: CertSubmitParams, caller: Caller) async throws -> JSONValue {
        guard let mode = CertificateDelivery.Mode(rawValue: p.delivery?.mode ?? "pickup") else {
            throw KioskError.invalidParams("delivery.mode must be \"pickup\" or \"mail\", not \"\(p.delivery?.mode ?? "")\"")
        }
        guard let printMode = PrintMode(rawValue: p.printMode ?? "now") else {
            throw KioskError.invalidParams("printMode must be \"now\" or \"on_pickup\", not \"\(p.printMode ?? "")\"")
        }
        let order = CertificateOrder(
            orderId: p.orderId, type: p.type, holder: CertificateHolder(name: p.holder.name, idNumber: p.holder.idNumber),
            fields: p.fields, department: p.department, acceptedBy: Self.person(p.acceptedBy),
            approvedBy: Self.person(p.approvedBy), delivery: CertificateDelivery(mode: mode, address: p.delivery?.address),
            printMode: printMode)
        let problems = order.problems()
        if !problems.isEmpty { throw KioskError.invalidParams(problems.map(\.description).joined(separator: "; ")) }
        // Acceptance and approval by two different people (受理、审批分离).
        try SeparationOfDuties.checkOrder(acceptedBy: order.acceptedBy, approvedBy: order.approvedBy)
        guard let template = templates[order.type] else {
            throw KioskError(.notFound, "unknown certificate type \(order.type); known: \(templates.keys.sorted().joined(separator: ", "))",
                details: ["type": order.type])
        }
        guard let department = config.certificates.department(order.department) else {
            throw KioskError(.notFound, "unknown department \(order.department)", details: ["department": order.department])
        }
        guard department.maySeal(order.type) else {
            throw KioskError(.forbidden, "department \(department.id) (\(department.name)) may not seal \(order.type)",
                details: ["department": department.id, "type": order.type])
        }
        do {
            try template.validate(fields: order.fields)
        } catch {
            throw KioskError.invalidParams("fields: \(error)")
        }
        let id = try IDNumber(validating: order.holder.idNumber)
        let holderKey = persons.key(for: id)
        let digest = Self.orderDigest(order, holderKey: holderKey)
        let now = clock.now()
        let issuedAt = Self.issueTime(now)
        let day = config.calendar.day(for: now)
        let hallCode = config.hall.code
        let signer = self.signer
        let tz = timeZone
        let actor = AuditTrail.actor("approval", order.approvedBy)

        let (view, created) = try await store.write { w -> (JSONValue, String?) in
            let existing = try w.certificates(orderId: order.orderId)
            if let original = existing.first {
                // The approval system retried: the same certificate, never a second one.
                guard original.orderDigest == digest else {
                    throw KioskError(.conflict, "order \(order.orderId) was already submitted with other content (certificate \(original.serial))",
                        details: ["orderId": order.orderId, "serial": original.serial.description])
                }
                let current = existing.last!
                var v = CertificateView.json(current, timeZone: tz).objectValue ?? [:]
                v["resubmitted"] = true
                return (.object(v), nil)
            }
            let (serial, payload) = try Self.issue(
                w, hallCode: hallCode, day: day, type: order.type, fields: order.fields, issuedAt: issuedAt, signer: signer)
            let c = Certificate(
                serial: serial, orderId: order.orderId, type: order.type, department: department.id,
                holderName: order.holder.name, holderKey: holderKey, holderMasked: id.masked, fields: order.fields,
                acceptedBy: order.acceptedBy, approvedBy: order.approvedBy, delivery: order.delivery,
                printMode: order.printMode, state: .received, issuedAt: issuedAt, orderDigest: digest, qrPayload: payload,
                updatedAt: now)
            try w.insert(c)
            try w.append(CertificateStep(serial: serial.description, at: now, state: .received, actor: actor))
            try AuditTrail.append(w, at: now, .order, subject: serial.description, actor: actor, details: [
                "orderId": .string(order.orderId), "type": .string(order.type), "department": .string(department.id),
                "holder": .string(id.masked), "fields": .string(FieldDigest(fields: order.fields).hex),
                "acceptedBy": .string(order.acceptedBy.id), "approvedBy": .string(order.approvedBy.id),
                "delivery": .string(order.delivery.mode.rawValue), "printMode": .string(order.printMode.rawValue),
            ])
            try HallService.emit(w, CertificateState.received.eventTopic, CertificateView.Event(c, previous: nil, reason: nil), at: now)
            return (CertificateView.json(c, timeZone: tz), serial.description)
        }
        if let created { pipeline.wake(created) }
        guard order.delivery.mode == .pickup, var v = view.objectValue else { return view }
        // For the approval system to pass on to the holder (SMS): collecting without a card.
        v["pickupCode"] = .string(persons.pickupCode(order: order.orderId))
        return .object(v)
    }

    /// SHA-256 over the order's canonical form (the holder by key, not by number): equal for a
    /// retry of the same order, different for any changed byte.
    static func orderDigest(_ o: CertificateOrder, holderKey: String) -> String {
        let canonical: CanonicalJSON = [
            "type": .string(o.type), "department": .string(o.department), "holderName": .string(o.holder.name),
            "holderKey": .string(holderKey), "fields": .object(o.fields.mapValues(CanonicalJSON.string)),
            "acceptedBy": ["id": .string(o.acceptedBy.id), "name": .string(o.acceptedBy.name)],
            "approvedBy": ["id": .string(o.approvedBy.id), "name": .string(o.approvedBy.name)],
            "delivery": ["mode": .string(o.delivery.mode.rawValue), "address": o.delivery.address.map(CanonicalJSON.string) ?? .null],
            "printMode": .string(o.printMode.rawValue),
        ]
        return Hex.encode(SHA256.hash(data: Data(canonical.text.utf8)))
    }
}
