import Crypto
import Foundation
import Testing

@testable import KioskCertificates

/// Builds chains the way the daemon will: one `append` after another.
enum AuditFixture {
    static let serial = "500107-01-20261121-0007"
    static let start = Date(timeIntervalSince1970: 1_795_222_800)

    static let steps: [(AuditAction, String, CanonicalJSON)] = [
        (.order, "S002", ["orderId": "SP-2026-000123", "type": "public-health-license", "department": "health"]),
        (.render, "system", ["pages": 1]),
        (.seal, "system", ["department": "health", "sealDigest": "5f1c", "approver": "S002"]),
        (.printAttempt, "system", ["printer": "certprinter0", "job": 17]),
        (.printResult, "system", ["printer": "certprinter0", "result": "printed"]),
        (.release, "S003", ["operator": "王制证"]),
        (.pickupRefused, "kiosk:k1", ["reason": "holder_mismatch"]),
        (.pickup, "kiosk:k1", ["holder": "1101**********002X"]),
        (.reprint, "S004", ["reason": "墨迹污损", "newSerial": "500107-01-20261121-0008"]),
        (.void, "S004", ["replacedBy": "500107-01-20261121-0008"]),
    ]

    /// A chain of `count` entries (cycling through `steps`), one second apart.
    static func chain(_ count: Int = 10) -> [AuditEntry] {
        var entries: [AuditEntry] = []
        for index in 0..<count {
            let (action, actor, details) = steps[index % steps.count]
            entries.append(AuditChain.append(
                after: entries.last?.head ?? .genesis, at: start.addingTimeInterval(Double(index) + 0.123),
                action: action, subject: serial, actor: actor, details: details))
        }
        return entries
    }

    /// An entry re-hashed after editing, as an attacker who knows the rule would.
    static func rehashed(_ entry: AuditEntry) -> AuditEntry {
        var entry = entry
        entry.hash = AuditChain.hash(of: entry)!
        return entry
    }

    /// A well-formed forged entry after `previous`.
    static func forged(after previous: AuditEntry, seq: Int64? = nil) -> AuditEntry {
        var entry = AuditChain.append(
            after: previous.head, at: previous.at.addingTimeInterval(0.5), action: .release, subject: serial,
            actor: "S999", details: ["operator": "冒名"])
        if let seq {
            entry.seq = seq
            entry = rehashed(entry)
        }
        return entry
    }
}

@Suite("Audit: the hash chain")
struct AuditChainTests {
    @Test func theHashingRuleMatchesAnIndependentImplementation() {
        // Computed with Python's hashlib and struct from the rule in AuditChain's doc comment.
        let first = AuditChain.append(
            after: .genesis, at: Date(timeIntervalSince1970: 1_795_230_000.123), action: .order,
            subject: "500107-01-20261121-0007", actor: "S002", details: ["orderId": "SP-1", "department": "health"])
        #expect(first.details == #"{"department":"health","orderId":"SP-1"}"#)
        #expect(first.prevHash == String(repeating: "0", count: 64))
        #expect(first.hash == "f657813b8aee501a0f39141c8edf7bd357611b00f50002a8c7a30e7156be0b73")
        let second = AuditChain.append(
            after: first.head, at: Date(timeIntervalSince1970: 1_795_230_001), action: .seal,
            subject: "500107-01-20261121-0007", actor: "system",
            details: ["department": "health", "sealDigest": "ab", "approver": "S002"])
        #expect(second.seq == 2)
        #expect(second.prevHash == first.hash)
        #expect(second.hash == "247a536189324eb77e451910f1e82816cea779311d9fc60aad9ca668cbe637c6")
    }

    @Test func theHashCoversEveryField() {
        let entry = AuditFixture.chain(1)[0]
        var variants: [AuditEntry] = []
        for edit in [
            { (e: inout AuditEntry) in e.seq += 1 }, { $0.at = $0.at.addingTimeInterval(0.001) },
            { $0.action = AuditAction("orders") }, { $0.subject += "1" }, { $0.actor = "S003" },
            { $0.details = #"{"orderId":"SP-2026-000124"}"# }, { $0.prevHash = String(repeating: "1", count: 64) },
        ] as [(inout AuditEntry) -> Void] {
            var variant = entry
            edit(&variant)
            variants.append(variant)
        }
        for variant in variants { #expect(AuditChain.hash(of: variant) != entry.hash) }
        #expect(Set(variants.compactMap(AuditChain.hash(of:))).count == variants.count)
    }

    @Test func timesAreKeptToTheMillisecond() {
        let entry = AuditChain.append(
            after: .genesis, at: Date(timeIntervalSince1970: 1_795_222_800.123_456), action: .order, subject: "s",
            actor: "a", details: [:])
        #expect(entry.atMilliseconds == 1_795_222_800_123)
        #expect(entry.at == Date(timeIntervalSince1970: 1_795_222_800.123))
        #expect(AuditChain.verify([entry]).ok)
    }

    @Test func aCleanChainVerifiesAndReportsItsHead() {
        let chain = AuditFixture.chain(25)
        let result = AuditChain.verify(chain)
        #expect(result.ok)
        #expect(result.firstBad == nil)
        #expect(result.entries == 25)
        #expect(result.head == AuditHead(seq: 25, hash: chain.last!.hash))
        for (previous, entry) in zip(chain, chain.dropFirst()) {
            #expect(entry.seq == previous.seq + 1)
            #expect(entry.prevHash == previous.hash)
        }
    }

    @Test func anEmptyChainIsIntact() {
        let result = AuditChain.verify([])
        #expect(result.ok)
        #expect(result.entries == 0)
        #expect(result.head == .genesis)
        #expect(AuditHead.genesis == AuditHead(seq: 0, hash: AuditChain.genesisHash))
    }

    @Test func theOrderRowsAreReadInDoesNotMatter() {
        #expect(AuditChain.verify(AuditFixture.chain(12).shuffled()).ok)
    }

    @Test func aPublishedHeadThatStillMatchesIsFine() {
        let chain = AuditFixture.chain(10)
        #expect(AuditChain.verify(chain, anchors: [chain[3].head, chain[9].head]).ok)
        // Entries appended after a published head are legitimate.
        #expect(AuditChain.verify(chain, anchors: [chain[5].head]).ok)
    }
}

@Suite("Audit: telling tampering apart")
struct AuditTamperingTests {
    let chain = AuditFixture.chain(10)

    func fault(_ entries: [AuditEntry], anchors: [AuditHead] = []) -> AuditFault? {
        let result = AuditChain.verify(entries, anchors: anchors)
        #expect(result.ok == (result.firstBad == nil))
        #expect(result.entries == entries.count)
        return result.firstBad
    }

    @Test(arguments: 0..<10)
    func anEditedDetailIsChangedAtItsSeq(index: Int) {
        var entries = chain
        entries[index].details = "{\"added\":1," + entries[index].details.dropFirst()
        #expect(fault(entries) == AuditFault(seq: Int64(index + 1), problem: .changed))
    }

    @Test func everyEditedFieldIsChangedAtItsSeq() {
        let edits: [(inout AuditEntry) -> Void] = [
            { $0.at = $0.at.addingTimeInterval(60) }, { $0.action = .void }, { $0.subject = "500107-01-20261121-0009" },
            { $0.actor = "S001" }, { $0.details = "{}" }, { $0.hash = String(repeating: "a", count: 64) },
            { $0.prevHash = String(repeating: "b", count: 64) }, { $0.prevHash = "not hex" }, { $0.seq = 40 },
        ]
        for (number, edit) in edits.enumerated() {
            var entries = chain
            edit(&entries[4])
            #expect(fault(entries) == AuditFault(seq: 5, problem: .changed), "edit \(number)")
        }
    }

    @Test func anEditedAndRehashedEntryIsStillChangedAtItsSeq() {
        var entries = chain
        entries[4].actor = "S001"
        entries[4] = AuditFixture.rehashed(entries[4])
        #expect(fault(entries) == AuditFault(seq: 5, problem: .changed))
    }

    @Test(arguments: [0, 4, 8])
    func aDeletedRowIsRemovedAtItsSeq(index: Int) {
        var entries = chain
        entries.remove(at: index)
        #expect(fault(entries) == AuditFault(seq: Int64(index + 1), problem: .removed))
    }

    @Test func severalDeletedRowsAreRemovedAtTheFirst() {
        var entries = chain
        entries.removeSubrange(3..<6)
        #expect(fault(entries) == AuditFault(seq: 4, problem: .removed))
    }

    @Test func deletedRowsAreFoundEvenWhenTheRestIsRenumbered() {
        for count in [1, 2] {
            var entries = chain
            entries.removeSubrange(4..<(4 + count))
            for index in 4..<entries.count { entries[index].seq -= Int64(count) }
            #expect(fault(entries) == AuditFault(seq: 5, problem: .removed), "\(count) removed")
        }
    }

    @Test func aCutOffTailIsOnlySeenAgainstAPublishedHead() {
        let published = chain[9].head
        let cut = Array(chain.prefix(7))
        #expect(fault(cut) == nil)
        #expect(fault(cut, anchors: [published]) == AuditFault(seq: 8, problem: .removed))
    }

    @Test func aRewrittenTailIsOnlySeenAgainstAPublishedHead() {
        // Re-hash everything from entry 6 on: internally consistent, but not what was published.
        var entries = Array(chain.prefix(5))
        for original in chain.dropFirst(5) {
            entries.append(AuditChain.append(
                after: entries.last!.head, at: original.at, action: original.action, subject: original.subject,
                actor: original.actor == "S003" ? "S001" : original.actor, details: .object([:])))
        }
        #expect(fault(entries) == nil)
        #expect(fault(entries, anchors: [chain[4].head]) == nil)
        #expect(fault(entries, anchors: [chain[4].head, chain[7].head]) == AuditFault(seq: 8, problem: .changed))
    }

    @Test(arguments: [2, 5, 9])
    func aForgedRowWithTheRestRenumberedIsInserted(after index: Int) {
        var entries = Array(chain.prefix(index + 1))
        entries.append(AuditFixture.forged(after: chain[index]))
        for var original in chain.dropFirst(index + 1) {
            original.seq += 1
            entries.append(original)
        }
        let insertedAt = Int64(index + 2)
        if index == 9 {
            // Appended at the very end with correct links, a forgery is indistinguishable from a
            // real entry; only a published head reveals that the chain grew.
            #expect(fault(entries) == nil)
        } else {
            #expect(fault(entries) == AuditFault(seq: insertedAt, problem: .inserted))
        }
    }

    @Test func aForgedRowSharingASeqIsInsertedWhicheverComesFirst() {
        let forged = AuditFixture.forged(after: chain[3])  // seq 5, like chain[4]
        #expect(forged.seq == 5)
        var after = chain
        after.insert(forged, at: 5)
        #expect(fault(after) == AuditFault(seq: 5, problem: .inserted))
        var before = chain
        before.insert(forged, at: 4)
        #expect(fault(before) == AuditFault(seq: 5, problem: .inserted))
    }

    @Test func aForgedRowThatLinksToNothingIsInserted() {
        var forged = AuditFixture.forged(after: chain[3])
        forged.prevHash = String(repeating: "c", count: 64)
        forged = AuditFixture.rehashed(forged)
        var entries = chain
        entries.insert(forged, at: 4)
        #expect(fault(entries) == AuditFault(seq: 5, problem: .inserted))
    }

    @Test func aForgedBranchAppendedOffTheMiddleIsInserted() {
        // Linked after entry 3, given the next free seq: a dead end off the chain.
        let forged = AuditFixture.forged(after: chain[2], seq: 11)
        #expect(fault(chain + [forged]) == AuditFault(seq: 11, problem: .inserted))
    }

    @Test func swappedRowsAreReordered() {
        var entries = chain
        (entries[2].seq, entries[3].seq) = (entries[3].seq, entries[2].seq)
        #expect(fault(entries) == AuditFault(seq: 3, problem: .reordered))
    }

    @Test func aFirstEntryThatDoesNotStartFromGenesisIsChanged() {
        var entries = chain
        entries[0].prevHash = chain[5].hash
        entries[0] = AuditFixture.rehashed(entries[0])
        #expect(fault(entries) != nil)
        #expect(fault(entries)?.seq == 1)
    }

    @Test func theHeadOfAFaultyChainIsTheLastGoodEntry() {
        var entries = chain
        entries[6].details = "{}"
        let result = AuditChain.verify(entries)
        #expect(result.head == chain[5].head)
        #expect(!result.ok)
    }

    @Test func theProblemsHaveTheirWireNames() {
        #expect(AuditProblem.allCases.map(\.rawValue) == ["changed", "removed", "inserted", "reordered"])
        #expect(AuditAction.printAttempt.rawValue == "print_attempt")
        #expect(AuditAction.pickupRefused.rawValue == "pickup_refused")
    }
}
