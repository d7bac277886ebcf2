import Foundation
import KioskCore
import KioskProtocol

/// A certificate as `cert.get` / `cert.list` answer it: the order, where it is, and (for
/// `cert.get`) its history and print attempts. The holder's number appears masked only: the
/// store never had the full one.
enum CertificateView {
    static func json(_ c: Certificate, timeZone: TimeZone, history: [CertificateStep]? = nil, attempts: [PrintAttempt]? = nil)
        -> JSONValue
    {
        func person(_ p: PersonRef) -> JSONValue { ["id": .string(p.id), "name": .string(p.name)] }
        var o: [String: JSONValue] = [
            "serial": .string(c.serial.description), "orderId": .string(c.orderId), "type": .string(c.type),
            "department": .string(c.department), "state": .string(c.state.rawValue),
            "holder": ["name": .string(c.holderName), "idNumber": .string(c.holderMasked)],
            "fields": .object(c.fields.mapValues(JSONValue.string)),
            "acceptedBy": person(c.acceptedBy), "approvedBy": person(c.approvedBy),
            "delivery": .object(["mode": .string(c.delivery.mode.rawValue)].merging(
                c.delivery.address.map { ["address": JSONValue.string($0)] } ?? [:]) { a, _ in a }),
            "printMode": .string(c.printMode.rawValue),
            "issuedAt": .string(ISO8601.string(c.issuedAt, timeZone: timeZone)),
            "updatedAt": .string(ISO8601.string(c.updatedAt, timeZone: timeZone)),
        ]
        if let p = c.printer { o["printer"] = .string(p) }
        if let r = c.releasedBy { o["releasedBy"] = person(r) }
        if let carrier = c.carrier { o["carrier"] = .string(carrier) }
        if let t = c.trackingNumber { o["trackingNumber"] = .string(t) }
        if let r = c.reprintOf { o["reprintOf"] = .string(r) }
        if let v = c.voidReason { o["voidReason"] = .string(v) }
        if let q = c.qrPayload { o["qrPayload"] = .string(q) }
        if let history {
            o["history"] = .array(history.map { s in
                var step: [String: JSONValue] = [
                    "at": .string(ISO8601.string(s.at, timeZone: timeZone)), "state": .string(s.state.rawValue),
                    "actor": .string(s.actor),
                ]
                if let note = s.note { step["note"] = .string(note) }
                return .object(step)
            })
        }
        if let attempts {
            o["printAttempts"] = .array(attempts.map { a in
                var v: [String: JSONValue] = [
                    "number": .int(Int64(a.number)), "printer": .string(a.printer), "jobName": .string(a.jobName),
                    "state": .string(a.state.rawValue), "at": .string(ISO8601.string(a.createdAt, timeZone: timeZone)),
                ]
                if let job = a.job { v["job"] = .int(Int64(job)) }
                if let reason = a.reason { v["reason"] = .string(reason) }
                return .object(v)
            })
        }
        return .object(o)
    }

    /// What a `certificate.*` event carries: enough for a room screen, nothing personal.
    struct Event: Encodable, Sendable {
        var serial: String
        var orderId: String
        var type: String
        var department: String
        var state: String
        var previous: String?
        var printer: String?
        var reason: String?

        init(_ c: Certificate, previous: CertificateState?, reason: String?) {
            serial = c.serial.description
            orderId = c.orderId
            type = c.type
            department = c.department
            state = c.state.rawValue
            self.previous = previous?.rawValue
            printer = c.printer
            self.reason = reason
        }
    }
}
