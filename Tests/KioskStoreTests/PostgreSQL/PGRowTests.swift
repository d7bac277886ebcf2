import Foundation
import GRDB
import KioskCore
import KioskTestSupport
import Testing

@testable import KioskStore

/// The decoders SQLite's rows go through read PostgreSQL's rows the same: a ticket and a
/// certificate written with the shared column lists come back equal, every field included.
@Suite struct PGRowTests {
    static func insert(_ c: PGConnection, into table: String, _ columns: [(String, (any DatabaseValueConvertible)?)]) throws {
        let names = columns.map { $0.0 == "window" ? "\"window\"" : $0.0 }
        let marks = columns.indices.map { "$\($0 + 1)" }
        try c.execute("INSERT INTO \(table) (\(names.joined(separator: ", "))) VALUES (\(marks.joined(separator: ", ")))",
            columns.map { $0.1?.databaseValue.storeText })
    }

    @Test func aTicketAndACertificateRoundTripThroughTheSharedDecoders() throws {
        let c = try PGConnection(url: try PrivatePostgres.shared().createDatabase())
        try PGSchema.migrator.migrate(c)
        var t = ticketWithEveryField()
        t.id = 9
        t.calledAt = Date(timeIntervalSince1970: 1_790_000_123.456789)  // a fraction a float would mangle
        try Self.insert(c, into: "tickets", TicketRow.columns(t))
        let rows = try c.execute("SELECT * FROM tickets").rows
        #expect(rows.count == 1)
        #expect(rows.first.map(TicketRow.decode) == t)

        let cert = certificate(3, state: .printed)
        try Self.insert(c, into: "certificates", CertificateRow.columns(cert))
        let back = try c.execute("SELECT * FROM certificates").rows.first.flatMap(CertificateRow.decode)
        #expect(back == cert)
    }
}
