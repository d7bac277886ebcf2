import Foundation
import KioskCertificates
import KioskCore
import KioskProtocol
import KioskStore

/// 24-hour pickup at the kiosk: the holder's card (a `cardToken` from `idcard.read`) shows what
/// is ready for them and hands it over; another person's card is refused and recorded.
extension CertificateService {
    func pending(holderKey: String) async throws -> JSONValue {
        let templates = self.templates, tz = timeZone
        return try await store.read { r in
            .array(try r.certificates(holderKey: holderKey, states: [.ready]).map { c in
                [
                    "serial": .string(c.serial.description), "type": .string(c.type),
                    "title": .string(templates[c.type]?.title ?? c.type), "department": .string(c.department),
                    "holder": .string(c.holderName), "printMode": .string(c.printMode.rawValue),
                    "issuedAt": .string(ISO8601.string(c.issuedAt, timeZone: tz)),
                ]
            })
        }
    }

    /// Hands `serial` to the holder behind `holderKey`. A certificate printed in advance is
    /// picked up at once; an `on_pickup` one is printed now on the kiosk's printer and picked
    /// up when the job completes (the answer waits for it, up to the printer timeout).
    func pickup(serial: String, holderKey: String, holderMasked: String, printer: String?, caller: Caller) async throws -> JSONValue {
        let now = clock.now(), tz = timeZone
        let actor = "kiosk:\(caller.connection) \(holderMasked)"
        let c = try await store.read { r in try Self.certificate(serial, in: r) }
        guard c.holderKey == holderKey else {
            // Recorded before refusing: who tried to collect whose certificate.
            try await store.write { w in
                try AuditTrail.append(w, at: now, .pickupRefused, subject: serial, actor: actor,
                    details: ["card": .string(holderMasked), "holder": .string(c.holderMasked)])
                try HallService.emit(w, EventTopic.certificatePickupRefused,
                    CertificateView.Event(c, previous: nil, reason: "card does not match the holder"), at: now)
            }
            throw KioskError(.forbidden, "certificate \(serial) belongs to someone else; the card on the reader does not match",
                details: ["serial": serial])
        }
        guard c.state == .ready else {
            throw KioskError(.invalidState, "certificate \(serial) is \(c.state.rawValue), not ready for pickup",
                details: ["serial": serial, "state": c.state.rawValue])
        }
        if c.printMode == .onPickup {
            let done = try await pipeline.printForPickup(serial: serial, printer: printer, actor: actor)
            guard done.state == .printed else { return CertificateView.json(done, timeZone: tz) }
        }
        let picked = try await store.write { w -> Certificate in
            var c = try Self.certificate(serial, in: w)
            try Self.move(w, &c, to: .pickedUp, actor: actor, at: self.clock.now())
            try AuditTrail.append(w, at: self.clock.now(), .pickup, subject: serial, actor: actor,
                details: ["card": .string(holderMasked)])
            return c
        }
        return CertificateView.json(picked, timeZone: tz)
    }
}
