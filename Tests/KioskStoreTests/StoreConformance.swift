import Foundation
import KioskCore
import KioskStore
import KioskTestSupport
import Synchronization
import Testing

/// What every `Store` backend must do. Each test takes a fresh store from `Backends.all`, so the
/// PostgreSQL backend joins by adding a factory there.
enum Backends {
    struct Factory: CustomStringConvertible, Sendable {
        var description: String
        /// Opens a store on a fresh location; calling `reopen` gives a second handle to the same data.
        var make: @Sendable () throws -> (store: any Store, reopen: @Sendable () throws -> any Store, cleanup: @Sendable () -> Void)
    }

    static let sqlite = Factory(description: "sqlite") {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("store-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent("kioskd.sqlite").path
        return (try SQLiteStore(path: path), { try SQLiteStore(path: path) }, { try? FileManager.default.removeItem(at: dir) })
    }

    /// A fresh database on the test process's private PostgreSQL server.
    static let postgres = Factory(description: "postgres") {
        let pg = try PrivatePostgres.shared()
        let url = try pg.createDatabase()
        let database = String(url.dropFirst("postgresql:///".count).prefix { $0 != "?" })
        return (try PostgresStore(url: url), { try PostgresStore(url: url) }, {
            _ = try? pg.sql("DROP DATABASE IF EXISTS \(database) WITH (FORCE)")
        })
    }

    static let all = [sqlite, postgres]
}

let day = HallDay("2026-11-23")

func ticket(_ n: Int, category: String = "A", orderKey: Int64 = 0) -> Ticket {
    Ticket(day: day, category: category, sequence: n, number: TicketNumber.format(prefix: category, sequence: n),
        issuedAt: Date(timeIntervalSince1970: 1_790_000_000 + Double(n)), orderKey: orderKey)
}

/// A ticket with every optional field set, each to a value that would show a lost or mixed-up column.
func ticketWithEveryField() -> Ticket {
    var t = ticket(7)
    t.state = .serving
    t.priority = .appointment
    t.front = true
    t.assignedWindow = "2"
    t.window = "2"
    t.staff = "王芳"
    t.calledAt = Date(timeIntervalSince1970: 1_790_000_100.25)
    t.firstCalledAt = Date(timeIntervalSince1970: 1_790_000_050)
    t.startedAt = Date(timeIntervalSince1970: 1_790_000_200)
    t.recalls = 2
    t.requeues = 1
    t.transfers = 1
    t.personKey = "abc"
    t.personMasked = "1101**********002X"
    t.appointmentCode = "YY-1"
    return t
}

@Suite struct StoreConformanceTests {
    @Test(arguments: Backends.all) func sequencesCountPerCategoryAndDay(_ backend: Backends.Factory) async throws {
        let (store, _, cleanup) = try backend.make()
        defer { cleanup() }
        let seqs = try await store.write { w in
            [try w.nextSequence(day: day, category: "A"), try w.nextSequence(day: day, category: "A"),
             try w.nextSequence(day: day, category: "B"), try w.nextSequence(day: HallDay("2026-11-24"), category: "A")]
        }
        #expect(seqs == [1, 2, 1, 1])
        #expect(try await store.read { try $0.issuedCount(day: day, category: "A") } == 2)
    }

    @Test(arguments: Backends.all) func aTicketsNumbersTogetherAreTheNextSequenceAndTheNextOrderKey(_ backend: Backends.Factory) async throws {
        let (store, _, cleanup) = try backend.make()
        defer { cleanup() }
        let (alone, together, after) = try await store.write { w in
            let alone = (try w.nextSequence(day: day, category: "A"), try w.nextOrderKey())
            let together = try w.nextTicketNumbers(day: day, category: "A")
            return (alone, together, (try w.nextSequence(day: day, category: "A"), try w.nextOrderKey()))
        }
        #expect(together.sequence == alone.0 + 1 && together.orderKey == alone.1 + 1)
        #expect(after.0 == together.sequence + 1 && after.1 == together.orderKey + 1)
        // Rolled back with the transaction like any write.
        struct Refused: Error {}
        await #expect(throws: Refused.self) {
            try await store.write { w in
                _ = try w.nextTicketNumbers(day: day, category: "A")
                throw Refused()
            }
        }
        #expect(try await store.read { try $0.issuedCount(day: day, category: "A") } == 3)
    }

    @Test(arguments: Backends.all) func theTicketCountCountsEveryInsertAndNoRolledBackOne(_ backend: Backends.Factory) async throws {
        let (store, _, cleanup) = try backend.make()
        defer { cleanup() }
        #expect(try await store.read { try $0.ticketCount() } == 0)
        try await store.write { w in
            for n in 1...3 { _ = try w.insert(ticket(n)) }
        }
        _ = try await store.write { w in try w.insert(ticket(4)) }
        struct Refused: Error {}
        await #expect(throws: Refused.self) {
            try await store.write { w in
                _ = try w.insert(ticket(5))
                throw Refused()
            }
        }
        #expect(try await store.read { try $0.ticketCount() } == 4)
    }

    @Test(arguments: Backends.all) func aThrowingTransactionLeavesNoTraceAndPublishesNothing(_ backend: Backends.Factory) async throws {
        let (store, _, cleanup) = try backend.make()
        defer { cleanup() }
        let published = Mutex<[StoredEvent]>([])
        store.setEventSink { e in published.withLock { $0 += e } }
        struct Refused: Error {}
        await #expect(throws: Refused.self) {
            try await store.write { w in
                _ = try w.nextSequence(day: day, category: "A")
                _ = try w.insert(ticket(1))
                try w.appendEvent(topic: "ticket.issued", at: Date(), json: "{}")
                throw Refused()
            }
        }
        #expect(try await store.read { try $0.ticketCount() } == 0)
        #expect(try await store.read { try $0.issuedCount(day: day, category: "A") } == 0)
        #expect(try await store.read { try $0.lastEventSeq() } == 0)
        #expect(published.withLock { $0.isEmpty })
    }

    @Test(arguments: Backends.all) func eventsGetConsecutiveSeqsPublishedInCommitOrder(_ backend: Backends.Factory) async throws {
        let (store, _, cleanup) = try backend.make()
        defer { cleanup() }
        let published = Mutex<[Int64]>([])
        store.setEventSink { e in published.withLock { $0 += e.map(\.seq) } }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for i in 0..<20 {
                group.addTask {
                    try await store.write { w in
                        try w.appendEvent(topic: "t", at: Date(), json: "{\"i\":\(i)}")
                        try w.appendEvent(topic: "t", at: Date(), json: "{\"i\":\(i)}")
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(published.withLock { $0 } == Array(1...40))
        let stored = try await store.read { try $0.events(after: 10, limit: 5) }
        #expect(stored.map(\.seq) == [11, 12, 13, 14, 15])
    }

    /// Publication must cost the same at the 200th commit as at the first: a sink re-wrapped on
    /// each commit (a closure read out of a `Mutex`) was called through every earlier commit's
    /// thunks, two stack frames more each time.
    @Test(arguments: Backends.all) func theEventSinkIsCalledAtTheSameDepthAfterManyCommits(_ backend: Backends.Factory) async throws {
        let (store, _, cleanup) = try backend.make()
        defer { cleanup() }
        let depths = Mutex<[Int]>([])
        store.setEventSink { _ in depths.withLock { $0.append(Thread.callStackReturnAddresses.count) } }
        for _ in 0..<200 {
            try await store.write { w in try w.appendEvent(topic: "t", at: Date(), json: "{}") }
        }
        let seen = depths.withLock { $0 }
        #expect(seen.count == 200)
        #expect(seen.last == seen.first, "stack depth at the sink: first \(seen.first ?? 0), last \(seen.last ?? 0)")
    }

    @Test(arguments: Backends.all) func dataAndSeqSurviveReopening(_ backend: Backends.Factory) async throws {
        let (store, reopen, cleanup) = try backend.make()
        defer { cleanup() }
        let inserted = try await store.write { w in
            let t = try w.insert(ticket(1))
            try w.appendEvent(topic: "ticket.issued", at: Date(), json: "{}")
            try w.setMeta("current_day", day.rawValue)
            return t
        }
        let again = try reopen()
        #expect(try await again.read { try $0.ticket(id: inserted.id) } == inserted)
        #expect(try await again.read { try $0.meta("current_day") } == day.rawValue)
        let next = try await again.write { w in try w.appendEvent(topic: "x", at: Date(), json: "{}") }
        #expect(next.seq == 2)
    }

    @Test(arguments: Backends.all) func aNumberIsUniqueWithinADay(_ backend: Backends.Factory) async throws {
        let (store, _, cleanup) = try backend.make()
        defer { cleanup() }
        _ = try await store.write { w in try w.insert(ticket(1)) }
        await #expect(throws: (any Error).self) { _ = try await store.write { w in try w.insert(ticket(1)) } }
        #expect(try await store.read { try $0.ticketCount() } == 1)
    }

    @Test(arguments: Backends.all) func waitingTicketsFollowLanesAndOrder(_ backend: Backends.Factory) async throws {
        let (store, _, cleanup) = try backend.make()
        defer { cleanup() }
        try await store.write { w in
            var a2 = ticket(2, orderKey: 1)
            a2.assignedWindow = "3"
            _ = try w.insert(ticket(1, orderKey: 5))
            _ = try w.insert(a2)
            _ = try w.insert(ticket(1, category: "B", orderKey: 2))
            var done = ticket(3, orderKey: 0)
            done.state = .done
            _ = try w.insert(done)
        }
        let lane = try await store.read { try $0.waitingTickets(day: day, categories: ["A", "B"], window: nil) }
        #expect(lane.map(\.number) == ["B001", "A001"])  // assigned and finished ones excluded, by orderKey
        let withWindow = try await store.read { try $0.waitingTickets(day: day, categories: ["A"], window: "3") }
        #expect(Set(withWindow.map(\.number)) == ["A001", "A002"])
    }

    @Test(arguments: Backends.all) func aTicketRoundTripsEveryField(_ backend: Backends.Factory) async throws {
        let (store, _, cleanup) = try backend.make()
        defer { cleanup() }
        let t = ticketWithEveryField()
        let original = t
        let saved = try await store.write { w in try w.insert(original) }
        var expected = t
        expected.id = saved.id
        #expect(try await store.read { try $0.ticket(id: saved.id) } == expected)
        expected.state = .done
        expected.finishedAt = Date(timeIntervalSince1970: 1_790_000_500)
        let finished = expected
        try await store.write { w in try w.update(finished) }
        #expect(try await store.read { try $0.ticket(day: day, number: "A007") } == expected)
    }

    @Test(arguments: Backends.all) func serviceTimesAddUpPerCategoryAndDay(_ backend: Backends.Factory) async throws {
        let (store, _, cleanup) = try backend.make()
        defer { cleanup() }
        try await store.write { w in
            try w.addServiceTime(day: day, category: "A", seconds: 300)
            try w.addServiceTime(day: day, category: "A", seconds: 420.5)
            try w.addServiceTime(day: day, category: "B", seconds: 60)
            try w.addServiceTime(day: HallDay("2026-11-24"), category: "A", seconds: 999)
        }
        #expect(try await store.read { try $0.serviceTimes(day: day, category: "A") } == .init(totalSeconds: 720.5, count: 2))
        #expect(try await store.read { try $0.serviceTimes(day: day, category: "C") } == .init())
    }

    @Test(arguments: Backends.all) func maintenanceKeepsEverythingCommitted(_ backend: Backends.Factory) async throws {
        let (store, reopen, cleanup) = try backend.make()
        defer { cleanup() }
        for i in 0..<300 { _ = try await store.write { w in try w.insert(ticket(i + 1)) } }
        try await store.maintain()
        _ = try await store.write { w in try w.insert(ticket(301)) }
        try await store.maintain()
        #expect(try await reopen().read { try $0.ticketCount() } == 301)
    }
}

/// Terminals on a shared database report themselves and their devices; what one writes, any reads.
@Suite struct TerminalStoreConformanceTests {
    @Test(arguments: Backends.all) func terminalsAndTheirDevicesRoundTripAndOldDevicesAreForgotten(_ backend: Backends.Factory) async throws {
        let (store, _, cleanup) = try backend.make()
        defer { cleanup() }
        let seen = Date(timeIntervalSince1970: 1_790_000_010.5), started = Date(timeIntervalSince1970: 1_790_000_000)
        let began = ContinuousClock.now
        try await store.write { w in
            try w.save(TerminalRecord(name: "T02", seenAt: started, startedAt: started, version: "0.1"))
            try w.save(TerminalRecord(name: "T01", seenAt: seen, startedAt: started, version: "0.1"))
            try w.save(TerminalRecord(name: "T02", seenAt: seen, startedAt: started, version: "0.2"))
            for (t, id) in [("T01", "printer0"), ("T01", "idreader0"), ("T02", "printer0")] {
                try w.save(TerminalDeviceRecord(terminal: t, id: id, entry: "{\"id\":\"\(id)\",\"t\":\"\(t)\"}", updatedAt: seen))
            }
            try w.save(TerminalDeviceRecord(terminal: "T01", id: "printer0", entry: "{\"new\":true}", updatedAt: seen))
        }
        // Each terminal's own clock is kept for people; its silence is the database's reckoning:
        // these reported "in 2026-09" by their clocks, yet the database heard them just now.
        let terminals = try await store.read { try $0.terminals() }
        // However long this test was held up between its write and its read (tests run in
        // parallel): the silence is at most that, never the months the terminals' clocks say.
        let elapsed = (ContinuousClock.now - began) / .seconds(1)
        #expect(terminals.map { TerminalRecord(name: $0.name, seenAt: $0.seenAt, startedAt: $0.startedAt, version: $0.version) }
            == [TerminalRecord(name: "T01", seenAt: seen, startedAt: started, version: "0.1"),
                TerminalRecord(name: "T02", seenAt: seen, startedAt: started, version: "0.2")])
        #expect(terminals.allSatisfy { $0.silentSeconds > -1 && $0.silentSeconds < elapsed + 1 }, "\(terminals.map(\.silentSeconds)) after \(elapsed) s")
        #expect(try await store.read { try $0.terminalDevices() }.map { "\($0.terminal)/\($0.id) \($0.entry)" } == [
            "T01/idreader0 {\"id\":\"idreader0\",\"t\":\"T01\"}", "T01/printer0 {\"new\":true}", "T02/printer0 {\"id\":\"printer0\",\"t\":\"T02\"}",
        ])
        try await store.write { w in try w.removeDevices(terminal: "T01", keeping: ["printer0"]) }
        #expect(try await store.read { try $0.terminalDevices() }.map { "\($0.terminal)/\($0.id)" } == ["T01/printer0", "T02/printer0"])
        try await store.write { w in try w.removeDevices(terminal: "T02", keeping: []) }
        #expect(try await store.read { try $0.terminalDevices() }.map { "\($0.terminal)/\($0.id)" } == ["T01/printer0"])
    }
}

/// A lease is held by one daemon at a time until it runs out, by the database's clock: the
/// daemons pass a duration, never their own time, so their clocks cannot make two holders.
@Suite struct LeaseConformanceTests {
    @Test(arguments: Backends.all) func aLeaseIsOneHoldersUntilItRunsOut(_ backend: Backends.Factory) async throws {
        let (store, _, cleanup) = try backend.make()
        defer { cleanup() }
        func claim(_ holder: String, for seconds: Double) async throws -> Bool {
            try await store.write { w in try w.claimLease("pipeline", holder: holder, seconds: seconds) }
        }
        // Leases of an hour cannot run out while this test waits for its turn; the one of 0.3 s
        // has run out after a sleep of 0.4 s, however much longer the sleep takes.
        #expect(try await claim("T01", for: 3600))
        #expect(try await !claim("T02", for: 3600), "T01 holds it")
        #expect(try await claim("T01", for: 0.3), "the holder renews (for less)")
        try await Task.sleep(for: .milliseconds(400))
        #expect(try await claim("T02", for: 3600), "run out: T02 takes it")
        #expect(try await !claim("T01", for: 3600))
        #expect(try await store.write { w in try w.claimLease("other", holder: "T01", seconds: 3600) }, "leases are by name")
    }
}
