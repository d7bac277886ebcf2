import Foundation

extension AuditChain {
    /// Recomputes the chain and names the first entry that was changed, removed, inserted or
    /// reordered. The rows may come in any order: the chain's order is `seq` (ties keep the given
    /// order). `anchors` are heads published earlier (`stats.day`): a chain that no longer reaches
    /// one, or reaches it with another hash, was cut short or rewritten.
    ///
    /// Walking from the genesis, each entry must carry the next seq, link to the previous entry's
    /// hash and hash to its own stored hash. At the first entry `e` that does not, in slot `s`
    /// after the intact prefix ending in `h`:
    ///
    /// 1. `e` links to `h` with seq `s` but its hash is wrong → **changed** `s`.
    /// 2. `e` links to an entry `x` stored after it → `e.seq == s`: **reordered** `s`; otherwise
    ///    `x`'s seq was edited to move it → **changed** `s`.
    /// 3. Some later entry links to `h`: that one is the real successor → `e` **inserted**.
    /// 4. `e` links to `h` but has another seq → **inserted** if intact (forged), else **changed**.
    /// 5. `e` links to an earlier entry of the prefix, skipping some: if `e` is an intact dead end it
    ///    is the forgery (**inserted** `e.seq`), otherwise the skipped entries are (**inserted** at
    ///    the first of them).
    /// 6. `e.seq > s` and `e` links to nothing stored → **removed** `s` (a gap).
    /// 7. `e` is not intact: if it would be with its link set to `h`, its link was edited →
    ///    **changed**; if it would be with a higher seq, it was renumbered after rows before it were
    ///    deleted → **removed** `s`; otherwise **changed** `e.seq`.
    /// 8. `e` is intact, has seq `s`, but links to a hash nobody has: the previous entry was edited
    ///    and re-hashed → **changed** at the previous entry.
    ///
    /// Rules 1–8 name where the stored rows stop being the written chain; when several histories
    /// explain the same rows (a rewrite that re-hashed many entries), they name the earliest slot
    /// that is certainly wrong.
    public static func verify(_ stored: [AuditEntry], anchors: [AuditHead] = []) -> AuditVerification {
        let entries = stored.enumerated()
            .sorted { ($0.element.seq, $0.offset) < ($1.element.seq, $1.offset) }
            .map(\.element)
        let walk = ChainWalk(entries)
        let (walkFault, acceptedHashes, head) = walk.run()

        var fault = walkFault
        for anchor in anchors.sorted(by: { $0.seq < $1.seq }) where anchor.seq > 0 {
            if let bad = fault, bad.seq <= anchor.seq { break }
            if anchor.seq > head.seq {
                // The intact part ends before a published head: the rest was cut off (or is bad).
                fault = AuditFault(seq: head.seq + 1, problem: .removed)
                break
            }
            if acceptedHashes[anchor.seq] != anchor.hash {
                // The chain is consistent but not the published one: rewritten at or before here.
                fault = AuditFault(seq: anchor.seq, problem: .changed)
                break
            }
        }
        return AuditVerification(entries: stored.count, firstBad: fault, head: head)
    }
}

/// The state of one `verify` walk over entries sorted by seq.
private struct ChainWalk {
    let entries: [AuditEntry]
    /// Whether each entry hashes to its stored hash.
    let intact: [Bool]
    /// Entries by the hash they link to.
    let linkingTo: [String: [Int]]
    /// Entries by their stored hash.
    let withHash: [String: [Int]]

    init(_ entries: [AuditEntry]) {
        self.entries = entries
        intact = entries.map { AuditChain.hash(of: $0) == $0.hash }
        var linkingTo: [String: [Int]] = [:]
        var withHash: [String: [Int]] = [:]
        for (index, entry) in entries.enumerated() {
            linkingTo[entry.prevHash, default: []].append(index)
            withHash[entry.hash, default: []].append(index)
        }
        self.linkingTo = linkingTo
        self.withHash = withHash
    }

    /// Something links to entry `index`: the chain continues from it.
    func hasSuccessor(_ index: Int) -> Bool {
        linkingTo[entries[index].hash]?.contains { $0 != index } ?? false
    }

    /// Whether `entry` would hash to its stored hash with another seq or link.
    func wouldBeIntact(_ entry: AuditEntry, seq: Int64? = nil, prevHash: String? = nil) -> Bool {
        var variant = entry
        if let seq { variant.seq = seq }
        if let prevHash { variant.prevHash = prevHash }
        return AuditChain.hash(of: variant) == entry.hash
    }

    /// The first fault (nil if none), the hashes of the intact prefix by seq, and its head.
    func run() -> (AuditFault?, [Int64: String], AuditHead) {
        var head = AuditHead.genesis
        var accepted: [Int] = []
        var acceptedAt: [String: Int] = [:]  // hash → position in `accepted`
        var hashes: [Int64: String] = [:]

        for (index, entry) in entries.enumerated() {
            let slot = head.seq + 1
            func fault(_ seq: Int64, _ problem: AuditProblem) -> (AuditFault?, [Int64: String], AuditHead) {
                (AuditFault(seq: seq, problem: problem), hashes, head)
            }

            // 1. In place.
            if entry.prevHash == head.hash, entry.seq == slot {
                guard intact[index] else { return fault(slot, .changed) }
                // A forgery that links correctly is accepted here; rule 5 finds it when the real
                // successor, linking to the same entry, comes along.
                accepted.append(index)
                acceptedAt[entry.hash] = accepted.count - 1
                hashes[entry.seq] = entry.hash
                head = entry.head
                continue
            }
            // 2. Follows an entry stored after it.
            if withHash[entry.prevHash]?.contains(where: { $0 > index }) ?? false {
                return fault(slot, entry.seq == slot ? .reordered : .changed)
            }
            // 3. Another, later entry is the real successor of the prefix.
            if linkingTo[head.hash]?.contains(where: { $0 > index }) ?? false {
                return fault(entry.seq, .inserted)
            }
            // 4. Right link, wrong seq.
            if entry.prevHash == head.hash {
                return fault(entry.seq, intact[index] ? .inserted : .changed)
            }
            // 5. Links back into the prefix, skipping entries.
            if let position = acceptedAt[entry.prevHash] {
                if intact[index], !hasSuccessor(index) { return fault(entry.seq, .inserted) }
                return fault(entries[accepted[position + 1]].seq, .inserted)
            }
            // 6. A gap.
            if entry.seq > slot { return fault(slot, .removed) }
            // 7. Not intact, linking to nothing stored.
            if !intact[index] {
                if wouldBeIntact(entry, prevHash: head.hash) { return fault(entry.seq, .changed) }
                let limit = Int64(min(entries.count, 10_000))
                if limit >= 1, (1...limit).contains(where: { wouldBeIntact(entry, seq: entry.seq + $0) }) {
                    return fault(slot, .removed)
                }
                return fault(entry.seq, .changed)
            }
            // 8. Intact, but its predecessor's hash is not the one it was written after.
            return fault(head.seq > 0 ? head.seq : entry.seq, .changed)
        }
        return (nil, hashes, head)
    }
}
