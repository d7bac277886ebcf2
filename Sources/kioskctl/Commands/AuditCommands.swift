import ArgumentParser
import KioskProtocol

/// `kioskctl audit verify|tail`: the certificate audit trail (审计日志), a SHA-256 hash chain.
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Check and read the certificate audit trail (a hash chain kioskd appends to with every step).",
        subcommands: [Verify.self, Tail.self])

    /// `kioskctl audit verify`: audit.verify.
    struct Verify: KioskCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify",
            abstract: "Recompute the whole audit chain and say whether any entry was changed, removed or inserted.",
            discussion: """
                Prints "audit chain ok: N entries, head SEQ HASH" — write the head down (or compare it with \
                the day's report) to witness the chain outside kioskd — or "audit chain BROKEN at entry SEQ: \
                PROBLEM". Exit status 0 when the chain holds, 1 when it is broken (also with --json).
                --anchor SEQ:HASH (repeatable) names heads witnessed earlier, such as the auditHead of                 past daily reports: the chain must still hold them, which catches a tail rewritten                 with fresh hashes.
                """)

        @OptionGroup(title: "Connection and output") var connection: ConnectionOptions

        @Option(name: .customLong("anchor"), help: ArgumentHelp("A witnessed head, SEQ:HASH (repeatable).", valueName: "seq:hash"))
        var anchors: [String] = []

        var answerTimeout: Double? { 300 }  // the whole chain is read

        func validate() throws {
            for a in anchors where Self.head(a) == nil {
                throw ValidationError("--anchor must be SEQ:HASH (an entry number and its 64 hex digits), not \(a)")
            }
        }

        static func head(_ text: String) -> AuditVerifyParams.Head? {
            let parts = text.split(separator: ":", maxSplits: 1)
            guard parts.count == 2, let seq = Int64(parts[0]), seq >= 0, parts[1].count == 64,
                parts[1].allSatisfy(\.isHexDigit)
            else { return nil }
            return AuditVerifyParams.Head(seq: seq, hash: parts[1].lowercased())
        }

        func perform(_ link: DaemonLink) throws {
            let r = try link.call(.auditVerify, AuditVerifyParams(anchors: anchors.compactMap(Self.head)))
            link.show(r) { r in
                if r["ok"]?.boolValue == true {
                    return "audit chain ok: \(r.text("entries") ?? "0") entries, head \(r.text("head.seq") ?? "0") \(r.text("head.hash") ?? "?")"
                }
                return "audit chain BROKEN at entry \(r.text("firstBad.seq") ?? "?"): \(r.text("firstBad.problem") ?? "?")"
            }
            if r["ok"]?.boolValue != true { throw ExitCode(1) }
        }
    }

    /// `kioskctl audit tail [-n N]`: audit.tail.
    struct Tail: KioskCommand {
        static let configuration = CommandConfiguration(
            commandName: "tail",
            abstract: "Show the last entries of the audit trail, oldest first.",
            discussion: "HASH is the entry's chain hash, shortened to 12 characters (--json has it whole, with the full details).")

        @OptionGroup(title: "Connection and output") var connection: ConnectionOptions

        @Option(name: .short, help: ArgumentHelp("How many entries (1 to 1000; default 20).", valueName: "n"))
        var n: Int?

        func validate() throws {
            if let n, !(1...1_000).contains(n) { throw ValidationError("-n must be 1 to 1000, not \(n).") }
        }

        func perform(_ link: DaemonLink) throws {
            try link.show(link.call(.auditTail, AuditTailParams(n: n))) { r in
                let list = r.arrayValue ?? []
                guard !list.isEmpty else { return "The audit trail is empty." }
                return CertificateText.auditTable(list)
            }
        }
    }
}
