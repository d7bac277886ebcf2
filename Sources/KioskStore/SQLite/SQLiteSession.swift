import GRDB

/// The hall's SQL on one GRDB connection inside a transaction. Statements are prepared once per
/// connection and reused: preparing costs more than most of the hall's queries.
struct SQLiteSession: SQLSession {
    let db: Database
    var dialect: SQLDialect { .sqlite }

    func fetchAll(_ sql: String, _ arguments: [(any DatabaseValueConvertible)?]) throws -> [Row] {
        try Row.fetchAll(try db.cachedStatement(sql: sql), arguments: StatementArguments(arguments))
    }

    func fetchOne(_ sql: String, _ arguments: [(any DatabaseValueConvertible)?]) throws -> Row? {
        try Row.fetchOne(try db.cachedStatement(sql: sql), arguments: StatementArguments(arguments))
    }

    func execute(_ sql: String, _ arguments: [(any DatabaseValueConvertible)?]) throws {
        try db.cachedStatement(sql: sql).execute(arguments: StatementArguments(arguments))
    }

    /// `events.seq` is AUTOINCREMENT: the single writer commits in the order it appends.
    func appendEvent(topic: String, at seconds: Double, json: String) throws -> Int64 {
        try execute("INSERT INTO events (topic, at, data) VALUES (?, ?, ?)", [topic, seconds, json])
        return db.lastInsertedRowID
    }
}
