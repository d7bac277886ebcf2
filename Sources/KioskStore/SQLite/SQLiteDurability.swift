import GRDB

/// `synchronous = FULL` on every connection that commits or checkpoints, checked by reading it
/// back: GRDB's WAL setup sets NORMAL after `prepareDatabase` runs, and NORMAL in WAL mode skips
/// the fsync of each commit — a power cut would lose tickets already answered.
enum SQLiteDurability {
    /// `PRAGMA synchronous` reads 2 for FULL.
    static let full = 2

    /// Sets FULL on `db` and refuses to go on unless it reads back.
    static func requireFullSync(_ db: Database, path: String) throws {
        try db.execute(sql: "PRAGMA synchronous = FULL")
        let mode = try synchronous(db)
        guard mode == full else {
            throw StoreError("cannot make commits durable on \(path): PRAGMA synchronous reads \(mode), not 2 (FULL)")
        }
    }

    static func synchronous(_ db: Database) throws -> Int {
        try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1
    }
}
