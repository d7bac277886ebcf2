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

    /// How the person at the kiosk shows the certificate is theirs.
    enum PickupProof: Sendable {
        /// The holder's ID card (`cardToken` from `idcard.read`).
        case card(key: String, masked: String)
        /// The 8-digit code given with the order.
        case code(String)
    }

    /// Hands `serial` over to the person proving it is theirs. A certificate printed in advance
    /// is picked up at once; an `on_pickup` one is printed now on the kiosk's printer and picked
    /// up when the job completes (the answer waits for it). Another person's card, or a wrong
    /// code, is refused and recorded; after five wrong codes only the holder's card will do.
    func pickup(serial: String, proof: PickupProof, printer: String?, caller: Caller) async throws -> JSONValue {
        let now = clock.now(), tz = timeZone
        let shown: String
        switch proof {
        case .card(_, let masked): shown = masked
        case .code: shown = "pickup code"
        }
        let actor = "kiosk:\(caller.connection) \(shown)"
        let c = try await store.read { r in try Self.certificate(serial, in: r) }
        let refusal: String?
        switch proof {
        case .card(let key, _):
            refusal = c.holderKey == key ? nil : "the card on the reader is not the holder's"
        case .code(let code):
            if c.pickupCodeFailures >= Certificate.maximumPickupCodeFailures {
                throw KioskError(.forbidden, "too many wrong pickup codes for \(serial): the holder's ID card is needed",
                    details: ["serial": serial])
            }
            refusal = c.delivery.mode == .pickup && code == persons.pickupCode(order: c.orderId) ? nil : "wrong pickup code"
        }
        if let refusal {
            // Recorded before refusing: who tried to collect whose certificate.
            try await store.write { w in
                var c = try Self.certificate(serial, in: w)
                if case .code = proof {
                    c.pickupCodeFailures += 1
                    try w.update(c)
                }
                try AuditTrail.append(w, at: now, .pickupRefused, subject: serial, actor: actor,
                    details: ["proof": .string(shown), "holder": .string(c.holderMasked), "why": .string(refusal)])
                try HallService.emit(w, EventTopic.certificatePickupRefused,
                    CertificateView.Event(c, previous: nil, reason: refusal), at: now)
            }
            throw KioskError(.forbidden, "certificate \(serial) cannot be handed over: \(refusal)", details: ["serial": serial])
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
                details: ["proof": .string(shown)])
            return c
        }
        return CertificateView.json(picked, timeZone: tz)
    }
}
