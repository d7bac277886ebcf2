import Foundation
import GRDB

/// The floor a request is measured against: one SQLite WAL commit of one row with fsync
/// (`synchronous = FULL`), on the same disk as kioskd's state.
///
/// The log's state matters as much as the disk: while a fresh WAL file grows, each `fdatasync`
/// also writes the file's new size (≈ 0.35 ms here); once a checkpoint has let the log start over
/// it is rewritten in place and the same commit costs half (≈ 0.17 ms). A running kioskd is in
/// the second state (its log starts over at every checkpoint and is never truncated below
/// `journal_size_limit`), so the floor is timed there: `warmUp()` commits until the log has
/// started over once.
final class RawCommits {
    private let dir: TempDir
    private let db: DatabaseQueue
    private var rows = 0

    init() throws {
        dir = try TempDir()
        db = try DatabaseQueue(path: dir.path + "/raw.sqlite")
        try db.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)")
        }
    }

    /// `n` commits, each timed, in ms.
    func time(_ n: Int) throws -> [Double] {
        var samples: [Double] = []
        samples.reserveCapacity(n)
        for _ in 0..<n {
            rows += 1
            let row = "row \(rows)"
            let t0 = DispatchTime.now()
            try db.write { try $0.execute(sql: "INSERT INTO t (v) VALUES (?)", arguments: [row]) }
            samples.append(Double(DispatchTime.now().uptimeNanoseconds - t0.uptimeNanoseconds) / 1e6)
        }
        return samples
    }

    /// Commits until the log has been checkpointed and started over (SQLite's automatic
    /// checkpoint runs at 1,000 pages, one page per commit here), plus a few hundred more.
    func warmUp() throws {
        while rows < 1_300 { _ = try time(100) }
    }
}
