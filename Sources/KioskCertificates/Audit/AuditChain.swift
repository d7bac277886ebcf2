import Crypto
import Foundation

/// The hash chain over the audit trail. Each entry's hash covers the previous entry's hash and all
/// of its own fields, so changing, removing or inserting an entry breaks every link after it.
///
/// Hashing rule (version 1), recomputable with any SHA-256:
///
///     hash = SHA-256( prev
///                   ‖ "kioskd-audit-v1" 0x00
///                   ‖ i64be(seq) ‖ i64be(at in milliseconds since 1970 UTC)
///                   ‖ lp(action) ‖ lp(subject) ‖ lp(actor) ‖ lp(details) )
///     prev  = the 32 bytes of the previous entry's hash (32 zero bytes for the first entry)
///     lp(s) = u32be(UTF-8 byte count of s) ‖ UTF-8 bytes of s, exactly as stored
///
/// Hashes are stored and shown as 64 lower-case hex digits. The length prefixes make the encoding
/// unambiguous; `details` is `CanonicalJSON` text but is hashed as the stored text, so verifying
/// never depends on re-encoding it.
///
/// A plain hash chain proves that the recorded past was not altered *relative to its head*; anyone
/// with write access can still rewrite a whole tail. Publishing the head (`stats.day`) and passing
/// published heads as `anchors` to `verify` closes that gap.
public enum AuditChain {
    /// `prevHash` of the first entry.
    public static let genesisHash = String(repeating: "0", count: 64)

    static let tag = Data("kioskd-audit-v1".utf8) + [0]

    /// The entry that follows `head` (`AuditHead.genesis` for an empty chain), with its hash. The
    /// store writes it in the same transaction as the change it records. `at` is kept to the
    /// millisecond, as hashed.
    public static func append(
        after head: AuditHead, at: Date, action: AuditAction, subject: String, actor: String, details: CanonicalJSON
    ) -> AuditEntry {
        let milliseconds = Int64((at.timeIntervalSince1970 * 1000).rounded())
        var entry = AuditEntry(
            seq: head.seq + 1, at: Date(timeIntervalSince1970: Double(milliseconds) / 1000), action: action,
            subject: subject, actor: actor, details: details.text, prevHash: head.hash, hash: "")
        // The head hash comes from a previous append; only a corrupted head has no hex bytes.
        entry.hash = hash(of: entry) ?? ""
        return entry
    }

    /// The hash `entry` should carry, from its fields and `prevHash`; nil when `prevHash` is not
    /// 64 hex digits (then no stored hash can match).
    public static func hash(of entry: AuditEntry) -> String? {
        guard entry.prevHash.utf8.count == 64, let prev = Hex.decode(entry.prevHash) else { return nil }
        var input = prev
        input += tag
        input.appendBigEndian(entry.seq)
        input.appendBigEndian(entry.atMilliseconds)
        for text in [entry.action.rawValue, entry.subject, entry.actor, entry.details] {
            let bytes = Array(text.utf8)
            input.appendBigEndian(UInt32(truncatingIfNeeded: bytes.count))
            input += bytes
        }
        return Hex.encode(SHA256.hash(data: input))
    }
}
