/// Named migrations for the hall database (迁移), applied once however many daemons start at the
/// same moment: each daemon takes one transaction-scoped advisory lock, so the others wait, then
/// find the names recorded and apply nothing. PostgreSQL's DDL is transactional, so a migration
/// that fails leaves no half-made schema and no name behind.
struct PGMigrator {
    struct Migration {
        let name: String
        /// One or more statements, run as a script.
        let sql: String
    }

    let migrations: [Migration]

    /// The lock every kioskd of the hall takes to migrate (an arbitrary, fixed 64-bit key).
    static let lockKey: Int64 = 0x6B696F_736B64  // "kioskd"

    /// Applies what is missing, in order; returns the names it applied (empty when another
    /// daemon had already applied everything). Names recorded that this build does not know
    /// mean a newer kioskd migrated the database: refused, never guessed at.
    @discardableResult
    func migrate(_ c: PGConnection) throws(PGError) -> [String] {
        try c.execute("BEGIN")
        do throws(PGError) {
            try c.execute("SELECT pg_advisory_xact_lock($1)", ["\(Self.lockKey)"])
            try c.execute("""
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())
                """)
            let rows = try c.execute("SELECT name FROM schema_migrations")
            let done = Set((0..<rows.rowCount).compactMap { rows.string($0, 0) })
            let known = Set(migrations.map(\.name))
            if let unknown = done.subtracting(known).sorted().first {
                throw PGError(.other, "the database was migrated by a newer kioskd (migration \(unknown)); upgrade this one")
            }
            var applied: [String] = []
            for m in migrations where !done.contains(m.name) {
                try c.run(script: m.sql)
                try c.execute("INSERT INTO schema_migrations (name) VALUES ($1)", [m.name])
                applied.append(m.name)
            }
            try c.execute("COMMIT")
            return applied
        } catch {
            if c.isOK { _ = try? c.execute("ROLLBACK") }
            throw error
        }
    }
}
