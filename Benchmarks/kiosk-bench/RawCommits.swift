import Foundation
import GRDB

/// The floor a request is measured against: one SQLite WAL commit with fsync
/// (`synchronous = FULL`), on the same disk as kioskd's state.
///
/// The log's state matters as much as the disk: while a fresh WAL file grows, each `fdatasync`
/// also writes the file's new size (≈ 0.3 ms here); once a checkpoint has let the log start over
/// it is rewritten in place and the same commit costs half. A running kioskd is in the second
/// state (its log starts over at every checkpoint and is never truncated below
/// `journal_size_limit`), so the floor is timed there: `warmUp()` commits until the log has
/// started over once.
///
/// `pages` is how many pages each commit writes: 1 is the raw one-row commit; a take writes 11
/// (its ticket row, the ticket's five index entries, the lane and day counters, the event row
/// and its index, SQLite's sequence row: docs/benchmarks.md), which a row with an entry in each
/// of `pages - 1` indexes over random values reproduces.
final class RawCommits {
    let pages: Int
    private let dir: TempDir
    private let db: DatabaseQueue
    private var rows = 0

    init(pages: Int = 1) throws {
        self.pages = pages
        dir = try TempDir()
        db = try DatabaseQueue(path: dir.path + "/raw.sqlite")
        let columns = (0..<pages).map { "c\($0) INTEGER" }.joined(separator: ", ")
        try db.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; CREATE TABLE t (id INTEGER PRIMARY KEY, \(columns))")
            for i in 1..<pages { try db.execute(sql: "CREATE INDEX t\(i) ON t (c\(i))") }
            // Enough rows that each index entry lands on a page of its own.
            if pages > 1 {
                try db.inTransaction {
                    for _ in 0..<20_000 { try insert(db) }
                    return .commit
                }
            }
        }
    }

    /// `n` commits, each timed, in ms.
    func time(_ n: Int) throws -> [Double] {
        var samples: [Double] = []
        samples.reserveCapacity(n)
        for _ in 0..<n {
            rows += 1
            let t0 = DispatchTime.now()
            try db.write { try insert($0) }
            samples.append(Double(DispatchTime.now().uptimeNanoseconds - t0.uptimeNanoseconds) / 1e6)
        }
        return samples
    }

    /// Commits until the log has been checkpointed and started over (SQLite's automatic
    /// checkpoint runs at 1,000 pages), plus a few hundred more.
    func warmUp() throws {
        let commits = 1_300 / pages + 300
        while rows < commits { _ = try time(100) }
    }

    private func insert(_ db: Database) throws {
        let values = (0..<pages).map { _ in "\(Int64.random(in: 0..<1_000_000_000))" }.joined(separator: ", ")
        try db.execute(sql: "INSERT INTO t VALUES (NULL, \(values))")
    }
}
