/// The answer of `audit.verify`: `{ok, entries, firstBad?: {seq, problem}}`.
public struct AuditVerification: Sendable, Equatable {
    /// How many entries were checked.
    public let entries: Int
    /// The first place where the stored chain is not the one that was written; nil when intact.
    public let firstBad: AuditFault?
    /// The last entry of the intact part (the whole chain's head when `ok`).
    public let head: AuditHead

    public init(entries: Int, firstBad: AuditFault?, head: AuditHead) {
        self.entries = entries
        self.firstBad = firstBad
        self.head = head
    }

    public var ok: Bool { firstBad == nil }
}

/// Where and how a chain was tampered with.
public struct AuditFault: Sendable, Equatable, CustomStringConvertible {
    public let seq: Int64
    public let problem: AuditProblem
    public init(seq: Int64, problem: AuditProblem) {
        self.seq = seq
        self.problem = problem
    }
    public var description: String { "\(problem.rawValue) at \(seq)" }
}

/// The kinds of tampering `AuditChain.verify` tells apart (wire names).
public enum AuditProblem: String, Sendable, Equatable, CaseIterable {
    /// The entry at `seq` is not what was written (a field, its seq, its link or its hash edited).
    case changed
    /// Entries from `seq` on are missing (deleted rows, or a chain cut short before a published head).
    case removed
    /// The entry at `seq` was never written by the chain (a forged row, or a fork off the chain).
    case inserted
    /// The entry at `seq` follows one that is stored after it: rows were moved around.
    case reordered
}
