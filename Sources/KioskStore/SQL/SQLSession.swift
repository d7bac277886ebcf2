import GRDB

/// One transaction's statements, on whichever engine holds the hall (会话). The hall's queries
/// (`SQLAccess`, `LaneGroups`) are written once, in the SQL both engines speak, with `?` or `?N`
/// placeholders; a session runs them and returns rows the shared decoders read (`StoreRow`).
///
/// Where the engines differ the queries ask the session's `dialect`, or the session itself (how
/// an event gets its seq). Arguments are GRDB's values on both engines: PostgreSQL receives their
/// text form (`DatabaseValue.storeText`).
protocol SQLSession {
    associatedtype Row: StoreRow
    var dialect: SQLDialect { get }
    func fetchAll(_ sql: String, _ arguments: [(any DatabaseValueConvertible)?]) throws -> [Row]
    func fetchOne(_ sql: String, _ arguments: [(any DatabaseValueConvertible)?]) throws -> Row?
    func execute(_ sql: String, _ arguments: [(any DatabaseValueConvertible)?]) throws
    /// Appends to the `events` table and returns the event's seq: the next one hall-wide, in
    /// commit order.
    func appendEvent(topic: String, at seconds: Double, json: String) throws -> Int64
    /// Whether fetching reads ahead saves anything: true where each statement is a round trip.
    var prefetches: Bool { get }
    /// Runs these reads now, together, and answers the same reads from their results when they
    /// come (each once); any write in between forgets them. Where `prefetches` is false: nothing.
    func prefetch(_ reads: [SQLStatement]) throws
    /// Runs `statements` in order and returns each one's rows: one round trip where the engine
    /// can send them together, one after the other elsewhere.
    func fetchAll(together statements: [SQLStatement]) throws -> [[Row]]
}

/// One statement with its arguments, to be run later or together with others.
struct SQLStatement {
    var sql: String
    var arguments: [(any DatabaseValueConvertible)?]

    init(_ sql: String, _ arguments: [(any DatabaseValueConvertible)?] = []) {
        self.sql = sql
        self.arguments = arguments
    }
}

/// What the hall's SQL must say differently per engine.
enum SQLDialect {
    case sqlite, postgres

    /// SQLite's planner picks a full index over a small partial one when it cannot see that the
    /// partial one's condition holds; PostgreSQL's planner does, and has no such clause.
    func indexedBy(_ index: String) -> String {
        switch self {
        case .sqlite: "INDEXED BY \(index)"
        case .postgres: ""
        }
    }

    /// The database's clock, in seconds since 1970: what hall-wide times (leases, a terminal's
    /// last report) are judged by, so daemons whose clocks disagree still agree on them.
    var clock: String {
        switch self {
        case .sqlite: "((julianday('now') - 2440587.5) * 86400.0)"
        case .postgres: "CAST(extract(epoch FROM clock_timestamp()) AS double precision)"
        }
    }
}

extension SQLSession {
    var prefetches: Bool { false }
    func prefetch(_ reads: [SQLStatement]) throws {}
    func fetchAll(together statements: [SQLStatement]) throws -> [[Row]] { try statements.map { try fetchAll($0) } }

    func fetchAll(_ statement: SQLStatement) throws -> [Row] { try fetchAll(statement.sql, statement.arguments) }
    func fetchOne(_ statement: SQLStatement) throws -> Row? { try fetchOne(statement.sql, statement.arguments) }

    func fetchAll(_ sql: String) throws -> [Row] { try fetchAll(sql, []) }
    func fetchOne(_ sql: String) throws -> Row? { try fetchOne(sql, []) }

    /// The first column of the first row; nil when there is no row or the value is NULL.
    func scalar<V: StoreColumnValue>(_ sql: String, _ arguments: [(any DatabaseValueConvertible)?] = []) throws -> V? {
        try fetchOne(sql, arguments).flatMap { $0[0] }
    }

    func column<V: StoreColumnValue>(_ sql: String, _ arguments: [(any DatabaseValueConvertible)?] = []) throws -> [V] {
        try fetchAll(sql, arguments).compactMap { $0[0] }
    }

    func scalar<V: StoreColumnValue>(_ statement: SQLStatement) throws -> V? { try scalar(statement.sql, statement.arguments) }
    func column<V: StoreColumnValue>(_ statement: SQLStatement) throws -> [V] { try column(statement.sql, statement.arguments) }
}
