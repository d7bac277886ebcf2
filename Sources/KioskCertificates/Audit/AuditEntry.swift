import Foundation

/// One row of the certificate audit trail (制证留痕): an append-only record that "cannot be
/// erased" because each entry's hash covers the previous entry's hash (`AuditChain`).
public struct AuditEntry: Sendable, Equatable {
    /// Position in the chain: 1, 2, 3, … without gaps.
    public var seq: Int64
    /// When it happened, to the millisecond (the hash covers milliseconds since 1970 UTC).
    public var at: Date
    public var action: AuditAction
    /// The certificate serial it concerns (or the order id before a serial exists).
    public var subject: String
    /// Who did it: a staff id, or `system` / `kiosk:<id>` for the daemon's own steps.
    public var actor: String
    /// `CanonicalJSON` text; hashed as stored.
    public var details: String
    /// The previous entry's `hash` (`AuditChain.genesisHash` for the first).
    public var prevHash: String
    /// Lower-case hex SHA-256, see `AuditChain`.
    public var hash: String

    public init(
        seq: Int64, at: Date, action: AuditAction, subject: String, actor: String, details: String,
        prevHash: String, hash: String
    ) {
        self.seq = seq
        self.at = at
        self.action = action
        self.subject = subject
        self.actor = actor
        self.details = details
        self.prevHash = prevHash
        self.hash = hash
    }

    /// This entry as the head of its chain.
    public var head: AuditHead { AuditHead(seq: seq, hash: hash) }

    /// `at` as hashed.
    public var atMilliseconds: Int64 { Int64((at.timeIntervalSince1970 * 1000).rounded()) }
}

/// The end of a chain: the last entry's seq and hash. It goes into each `stats.day`, so a chain
/// later cut short or rewritten disagrees with what was published (`AuditChain.verify(_:anchors:)`).
public struct AuditHead: Sendable, Hashable {
    public var seq: Int64
    public var hash: String
    public init(seq: Int64, hash: String) {
        self.seq = seq
        self.hash = hash
    }

    /// The head of an empty chain.
    public static let genesis = AuditHead(seq: 0, hash: AuditChain.genesisHash)
}
