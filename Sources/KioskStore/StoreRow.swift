import GRDB

/// A row as either backend returns it, so one decoder (`TicketRow`, `CertificateRow` …) reads
/// both: SQLite's through GRDB's `Row`, PostgreSQL's through `PGRow` (text format).
/// Like GRDB's, the non-optional subscript is for NOT NULL columns only.
protocol StoreRow {
    subscript<V: StoreColumnValue>(_ column: String) -> V { get }
    subscript<V: StoreColumnValue>(_ column: String) -> V? { get }
    /// The value of the column at `index` (0 is the first), nil for NULL.
    subscript<V: StoreColumnValue>(_ index: Int) -> V? { get }
}

/// A value a store column holds: what GRDB converts, and what PostgreSQL's text form parses to.
protocol StoreColumnValue: DatabaseValueConvertible {
    init?(storeText: String)
}

extension String: StoreColumnValue {
    init?(storeText: String) { self = storeText }
}

extension Int: StoreColumnValue {
    init?(storeText: String) { self.init(storeText) }
}

extension Int64: StoreColumnValue {
    init?(storeText: String) { self.init(storeText) }
}

extension Double: StoreColumnValue {
    init?(storeText: String) { self.init(storeText) }
}

extension Bool: StoreColumnValue {
    /// Booleans are stored as integers 0 / 1 in both schemas; PostgreSQL's own `t` / `f` too.
    init?(storeText: String) {
        switch storeText {
        case "1", "t", "true": self = true
        case "0", "f", "false": self = false
        default: return nil
        }
    }
}

extension Row: StoreRow {}

extension DatabaseValue {
    /// The value as PostgreSQL's text format takes a parameter; nil for NULL. A Double's
    /// description reads back to the same Double.
    var storeText: String? {
        switch storage {
        case .null: nil
        case .int64(let i): String(i)
        case .double(let d): String(d)
        case .string(let s): s
        case .blob(let data): "\\x" + data.map { String(format: "%02x", $0) }.joined()
        }
    }
}
