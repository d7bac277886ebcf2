import Foundation
import KioskCertificates
import KioskCore
import KioskStore

/// The certificate audit trail on top of the store: each entry is appended in the same
/// transaction as the change it records, chained to the last one (`AuditChain`).
enum AuditTrail {
    static func append(
        _ w: any StoreWriter, at: Date, _ action: AuditAction, subject: String, actor: String, details: CanonicalJSON
    ) throws {
        let head = try w.lastAuditEntry().map { AuditHead(seq: $0.seq, hash: $0.hash) } ?? .genesis
        let e = AuditChain.append(after: head, at: at, action: action, subject: subject, actor: actor, details: details)
        try w.append(AuditRecord(
            seq: e.seq, atMilliseconds: e.atMilliseconds, action: e.action.rawValue, subject: e.subject, actor: e.actor,
            details: e.details, prevHash: e.prevHash, hash: e.hash))
    }

    static func entry(_ r: AuditRecord) -> AuditEntry {
        AuditEntry(
            seq: r.seq, at: Date(timeIntervalSince1970: Double(r.atMilliseconds) / 1000), action: AuditAction(r.action),
            subject: r.subject, actor: r.actor, details: r.details, prevHash: r.prevHash, hash: r.hash)
    }

    /// Recomputes the whole chain, page by page, in one read snapshot.
    static func verify(_ r: any StoreReader, anchors: [AuditHead] = []) throws -> AuditVerification {
        var entries: [AuditEntry] = []
        var after: Int64 = 0
        while true {
            let page = try r.auditEntries(after: after, limit: 5_000)
            entries += page.map(entry)
            guard let last = page.last, page.count == 5_000 else { break }
            after = last.seq
        }
        return AuditChain.verify(entries, anchors: anchors)
    }

    /// "role:id" of the person acting (the staff id, not only the name: names repeat).
    static func actor(_ role: String, _ person: PersonRef) -> String { "\(role):\(person.id) \(person.name)" }
}
