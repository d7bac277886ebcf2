import Foundation
import KioskStore
import Testing

/// Answered means on disk: the connection that commits must fsync every commit.
@Suite struct SQLiteDurabilityTests {
    @Test func theWriterConnectionCommitsWithSynchronousFull() async throws {
        let (store, _, cleanup) = try Backends.sqlite.make()
        defer { cleanup() }
        let sqlite = try #require(store as? SQLiteStore)
        // Read through the writer itself: a `prepareDatabase` setting is overridden by GRDB's WAL setup.
        #expect(try await sqlite.writerSynchronousMode() == 2)
    }

    @Test func aReopenedDatabaseStillCommitsWithSynchronousFull() async throws {
        let (_, reopen, cleanup) = try Backends.sqlite.make()
        defer { cleanup() }
        let again = try #require(try reopen() as? SQLiteStore)
        #expect(try await again.writerSynchronousMode() == 2)
    }
}
