import Foundation
import KioskTestSupport
import Synchronization
import Testing

@testable import KioskStore

/// The hall schema on a real PostgreSQL server, and the event log's one promise across daemons:
/// seqs follow commit order, so a reader that has seen seq N never later finds a smaller one.
@Suite struct PGSchemaTests {
    @Test func theSchemaAppliesOnceAndKeepsTheSameUniquenessAsSQLite() throws {
        let c = try PGConnection(url: try PrivatePostgres.shared().createDatabase())
        #expect(try PGSchema.migrator.migrate(c) == ["v1_hall", "v2_terminals", "v3_print_terminals_and_leases", "v4_terminal_heard_at", "v5_ticket_count"])
        #expect(try PGSchema.migrator.migrate(c) == [])
        let insert = """
            INSERT INTO tickets (day, category, issue_category, sequence, number, state, priority, issued_at, order_key)
            VALUES ('2026-12-02', 'A', 'A', $1, $2, 'waiting', 'normal', 0, $3)
            """
        try c.execute(insert, ["1", "A001", "1"])
        do {
            try c.execute(insert, ["2", "A001", "2"])
            Issue.record("a number was issued twice in a day")
        } catch {
            #expect(error.kind == .uniqueViolation, "\(error)")
        }
        #expect(try PGSchema.appendEvent(c, topic: "ticket.issued", at: 1, json: "{}") == 1)
        #expect(try PGSchema.appendEvent(c, topic: "ticket.called", at: 2, json: "{}") == 2)
    }

    /// Four writers append in overlapping transactions that last a random while and sometimes
    /// roll back; a reader polling "after the last seq I saw" must always find the next seqs with
    /// no hole (a hole would be an event it skips for good once a later one is seen), and in the
    /// end the log is 1…n for the n committed, none lost to a rollback.
    @Test func concurrentAppendsGetSeqsInCommitOrderWithoutGaps() throws {
        let url = try PrivatePostgres.shared().createDatabase()
        try PGSchema.migrator.migrate(try PGConnection(url: url))
        let committed = Atomic<Int>(0)
        let done = Atomic<Int>(0)
        let failures = Mutex<[String]>([])
        let writers = (0..<4).map { w in
            Thread {
                defer { done.add(1, ordering: .sequentiallyConsistent) }
                do {
                    let c = try PGConnection(url: url)
                    for i in 0..<60 {
                        try c.execute("BEGIN")
                        _ = try PGSchema.appendEvent(c, topic: "t", at: Double(i), json: "{\"writer\":\(w)}")
                        usleep(UInt32.random(in: 0...3_000))
                        if i % 10 == 3 {
                            try c.execute("ROLLBACK")
                        } else {
                            try c.execute("COMMIT")
                            committed.add(1, ordering: .sequentiallyConsistent)
                        }
                    }
                } catch {
                    failures.withLock { $0.append("\(error)") }
                }
            }
        }
        writers.forEach { $0.start() }
        let reader = try PGConnection(url: url)
        var last: Int64 = 0
        var holes: [String] = []
        while done.load(ordering: .sequentiallyConsistent) < 4 || last < committed.load(ordering: .sequentiallyConsistent) {
            let rows = try reader.execute("SELECT seq FROM events WHERE seq > $1 ORDER BY seq", ["\(last)"])
            let seqs = (0..<rows.rowCount).compactMap { rows.int64($0, 0) }
            if let first = seqs.first {
                if seqs != Array(last + 1...last + Int64(seqs.count)) {
                    holes.append("after \(last): \(seqs.prefix(8))")
                }
                last = max(last, seqs.last ?? first)
            }
            if !failures.withLock({ $0.isEmpty }) { break }
        }
        #expect(failures.withLock { $0 }.isEmpty, "\(failures.withLock { $0 })")
        #expect(holes.isEmpty, "\(holes.prefix(5))")
        let n = Int64(committed.load(ordering: .sequentiallyConsistent))
        #expect(n == 4 * 54)
        let total = try reader.execute("SELECT count(*), min(seq), max(seq) FROM events")
        #expect(total.int64(0, 0) == n && total.int64(0, 1) == 1 && total.int64(0, 2) == n)
    }
}
