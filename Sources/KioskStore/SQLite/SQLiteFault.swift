/// An SQLite failure that means the database file itself cannot be used — as opposed to a busy
/// lock, a constraint or a bug in a query — and so faults the store until it is fixed.
public struct SQLiteFault: Sendable, Equatable, Error {
    public enum Kind: String, Sendable {
        case readOnly, ioError, corrupt, notADatabase, full, cannotOpen, permission

        /// By SQLite's primary result code; nil for the codes of one failed request.
        init?(primaryCode: Int32) {
            switch primaryCode {
            case 3: self = .permission  // SQLITE_PERM
            case 8: self = .readOnly  // SQLITE_READONLY
            case 10: self = .ioError  // SQLITE_IOERR
            case 11: self = .corrupt  // SQLITE_CORRUPT
            case 13: self = .full  // SQLITE_FULL
            case 14: self = .cannotOpen  // SQLITE_CANTOPEN
            case 26: self = .notADatabase  // SQLITE_NOTADB
            default: return nil
            }
        }

        /// Plain language, naming the file and what to do.
        func reason(_ path: String) -> String {
            let restore = "stop kioskd and restore the last backup (docs/operations.md, \"Restoring the database\")"
            return switch self {
            case .permission: "the database \(path) may not be accessed: check its owner and mode (the kioskd user must be able to write it)"
            case .readOnly: "the database \(path) is read-only: give the kioskd user write access to it and its folder, and check that its file system is mounted read-write"
            case .ioError: "input/output error on the database \(path): check the disk (dmesg, smartctl), that it is still mounted read-write, and that the kioskd user may write the file"
            case .corrupt: "the database \(path) is corrupt: \(restore)"
            case .full: "the disk holding the database \(path) is full: free space on it"
            case .cannotOpen: "cannot open the database \(path) or its journal: check that the file and its folder exist and that the kioskd user may write them"
            case .notADatabase: "\(path) is not an SQLite database (overwritten or damaged): \(restore)"
            }
        }
    }

    public let kind: Kind
    /// Plain language, with the file and what to do.
    public let reason: String

    /// Corruption does not go away by itself: the file must be restored (docs/operations.md).
    public var heals: Bool { kind != .corrupt && kind != .notADatabase }

    /// Classifies an SQLite result code (primary or extended); nil when it is not a storage fault.
    public init?(resultCode: Int32, path: String) {
        guard let kind = Kind(primaryCode: resultCode & 0xFF) else { return nil }
        self.kind = kind
        reason = kind.reason(path)
    }

    /// The result of `PRAGMA quick_check` when it found damage.
    public init(integrityProblem: String, path: String) {
        kind = .corrupt
        reason = "the database \(path) is corrupt (quick_check: \(integrityProblem)): stop kioskd and restore the last backup (docs/operations.md, \"Restoring the database\")"
    }
}
