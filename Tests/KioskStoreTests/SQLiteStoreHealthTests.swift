import Foundation
import KioskCore
import KioskStore
import KioskTestSupport
import Synchronization
import Testing

/// A damaged database is found by `verify()`, reported once, and refuses writes at once.
@Suite struct SQLiteStoreHealthTests {
    @Test func aDamagedPageFaultsTheStoreAndWritesAreRefusedWithoutChange() async throws {
        let (store, reopen, cleanup) = try Backends.sqlite.make()
        defer { cleanup() }
        try await store.write { w in for i in 1...300 { _ = try w.insert(ticket(i, orderKey: Int64(i))) } }
        let path = try #require(store as? SQLiteStore).path
        // Everything into the file, then garbage over the root page of an index of the tickets.
        let root = try ToolRun.run("/usr/bin/sqlite3", [path, "PRAGMA wal_checkpoint(TRUNCATE);",
            "SELECT rootpage FROM sqlite_schema WHERE name = 'tickets_waiting'"]).stdout
        let page = try #require(root.split(separator: "\n").last.flatMap { Int($0) })
        let file = try #require(FileHandle(forUpdatingAtPath: path))
        try file.seek(toOffset: UInt64((page - 1) * 4096))
        try file.write(contentsOf: Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }))
        try file.close()

        let damaged = try reopen()
        let reported = Mutex<[StorageHealth]>([])
        damaged.setHealthSink { h in reported.withLock { $0.append(h) } }
        #expect(damaged.health.state == .ok)
        await damaged.verify()
        #expect(damaged.health.state == .fault)
        #expect(damaged.health.error?.contains("corrupt") == true)
        #expect(reported.withLock { $0.map(\.state) } == [.fault])
        let refused = await #expect(throws: StoreError.self) {
            try await damaged.write { w in _ = try w.nextSequence(day: day, category: "Z") }
        }
        #expect(refused?.message.contains(path) == true)
        // Corruption is not healed by reopening: only a restore mends it.
        try await damaged.maintain()
        #expect(damaged.health.state == .fault)
    }
}
