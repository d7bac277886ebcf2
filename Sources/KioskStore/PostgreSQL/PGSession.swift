import GRDB
import Synchronization

/// The hall's SQL on one PostgreSQL connection inside a transaction (`PGPool`). The shared
/// queries' `?` and `?N` placeholders become `$n`; each statement is prepared once per connection.
struct PGSession: SQLSession {
    let connection: PGConnection
    var dialect: SQLDialect { .postgres }

    func fetchAll(_ sql: String, _ arguments: [(any DatabaseValueConvertible)?]) throws -> [PGRow] {
        try run(sql, arguments).rows
    }

    func fetchOne(_ sql: String, _ arguments: [(any DatabaseValueConvertible)?]) throws -> PGRow? {
        let result = try run(sql, arguments)
        return result.rowCount > 0 ? PGRow(result: result, index: 0) : nil
    }

    func execute(_ sql: String, _ arguments: [(any DatabaseValueConvertible)?]) throws {
        _ = try run(sql, arguments)
    }

    /// From the `event_seq` counter row, held until commit: seqs in commit order (`PGSchema`).
    func appendEvent(topic: String, at seconds: Double, json: String) throws -> Int64 {
        try PGSchema.appendEvent(connection, topic: topic, at: seconds, json: json)
    }

    /// Each statement is a round trip to the server: reads known in advance go together.
    var prefetches: Bool { true }

    func prefetch(_ reads: [SQLStatement]) throws {
        try connection.prefetch(reads.map(Self.key))
    }

    func fetchAll(together statements: [SQLStatement]) throws -> [[PGRow]] {
        try connection.executePipelined(statements.map(Self.key)).map(\.rows)
    }

    private func run(_ sql: String, _ arguments: [(any DatabaseValueConvertible)?]) throws(PGError) -> PGResult {
        let statement = Self.key(SQLStatement(sql, arguments))
        return try connection.executePrepared(statement.sql, statement.parameters)
    }

    private static func key(_ s: SQLStatement) -> PGConnection.Statement {
        PGConnection.Statement(sql: numbered(s.sql), parameters: s.arguments.map { $0?.databaseValue.storeText })
    }

    private static let translated = Mutex<[String: String]>([:])

    /// `sql` with `?` numbered `$1, $2, …` in order and `?N` as `$N`; quoted text and names are
    /// left alone. Remembered: the hall runs a few dozen distinct statements.
    static func numbered(_ sql: String) -> String {
        if let known = translated.withLock({ $0[sql] }) { return known }
        var out = ""
        var next = 0
        var quote: Character?
        var chars = sql.makeIterator()
        var pending = chars.next()
        while let c = pending {
            pending = chars.next()
            if let q = quote {
                out.append(c)
                if c == q { quote = nil }
            } else if c == "'" || c == "\"" {
                quote = c
                out.append(c)
            } else if c == "?" {
                var digits = ""
                while let d = pending, d.isASCII, d.isNumber {
                    digits.append(d)
                    pending = chars.next()
                }
                if digits.isEmpty {
                    next += 1
                    digits = String(next)
                }
                out += "$" + digits
            } else {
                out.append(c)
            }
        }
        translated.withLock { $0[sql] = out }
        return out
    }
}
