import Foundation
import KioskStore
import Testing

/// Which SQLite failures mean the file itself is unusable (and fault the store), in words a
/// technician can act on; the rest (busy, constraints, bugs) are errors of one request.
@Suite struct SQLiteFaultTests {
    let path = "/var/lib/kioskd/kioskd.sqlite"

    @Test(arguments: [
        (Int32(8), SQLiteFault.Kind.readOnly, "read-only"),
        (10, .ioError, "input/output error"),
        (11, .corrupt, "corrupt"),
        (13, .full, "full"),
        (14, .cannotOpen, "cannot open"),
        (26, .notADatabase, "not an SQLite database"),
        (3, .permission, "owner and mode"),
    ])
    func fileFailuresAreFaultsNamingTheFile(code: Int32, kind: SQLiteFault.Kind, words: String) throws {
        let fault = try #require(SQLiteFault(resultCode: code, path: path))
        #expect(fault.kind == kind)
        #expect(fault.reason.contains(path))
        #expect(fault.reason.contains(words))
    }

    @Test func extendedCodesAreClassifiedByTheirPrimaryCode() throws {
        // SQLITE_IOERR_WRITE = 10 | 3 << 8, SQLITE_READONLY_DBMOVED = 8 | 4 << 8
        #expect(SQLiteFault(resultCode: 10 | 3 << 8, path: path)?.kind == .ioError)
        #expect(SQLiteFault(resultCode: 8 | 4 << 8, path: path)?.kind == .readOnly)
    }

    @Test(arguments: [Int32(1), 5, 6, 19, 9, 20])  // ERROR, BUSY, LOCKED, CONSTRAINT, INTERRUPT, MISMATCH
    func requestErrorsAreNotFaults(code: Int32) {
        #expect(SQLiteFault(resultCode: code, path: path) == nil)
    }

    @Test func corruptionNeedsARestoreAndDoesNotHealByItself() throws {
        #expect(try #require(SQLiteFault(resultCode: 11, path: path)).heals == false)
        #expect(try #require(SQLiteFault(resultCode: 26, path: path)).heals == false)
        #expect(try #require(SQLiteFault(resultCode: 13, path: path)).heals)
        let damage = SQLiteFault(integrityProblem: "Tree 5 page 5: btreeInitPage() returns error code 11", path: path)
        #expect(damage.kind == .corrupt && damage.reason.contains("restore") && damage.reason.contains(path))
    }
}
