import Foundation
import GRDB
import KioskCore
@testable import KioskStore
import Testing

/// The lane counts the store keeps as rows (`ahead` and the waiting counts) must always equal a
/// count of the tickets themselves, whatever happened to the queue and in whatever order.
@Suite struct LaneCountsTests {
    /// What `laneCounts(of:)` must answer: counted over the waiting tickets, as the call order
    /// defines lanes and groups.
    static func counted(_ t: Ticket, among tickets: [Ticket]) -> CallOrder.LaneCounts {
        let lane = tickets.filter { $0.state == .waiting && $0.day == t.day && CallOrder.lane(of: $0) == CallOrder.lane(of: t) }
        func group(_ x: Ticket) -> Int { x.front ? 0 : (x.priority.isPriority ? 1 : 2) }
        return CallOrder.LaneCounts(
            fronts: lane.count { $0.front }, priorities: lane.count { !$0.front && $0.priority.isPriority },
            normals: lane.count { !$0.front && !$0.priority.isPriority },
            beforeInGroup: lane.count { group($0) == group(t) && $0.orderKey < t.orderKey })
    }

    /// Every waiting ticket's counts and every category's summary, against the rows.
    static func expectCountsMatchRows(_ w: any StoreReader, step: String) throws {
        let tickets = try w.tickets(day: day)
        for (i, t) in tickets.filter({ $0.state == .waiting }).enumerated() {
            // Every other one read from reads fetched ahead (PostgreSQL's pipeline): the same counts.
            if i % 2 == 0 { try w.prefetchView(of: t) }
            #expect(try w.laneCounts(of: t) == counted(t, among: tickets), "\(step): \(t.number)")
        }
        // The heads a window calls from: the first of each group of each lane it serves.
        let lanes: [CallOrder.Lane] = [.category("A"), .category("B"), .window("2")]
        let heads = Dictionary(grouping: tickets.filter { $0.state == .waiting && lanes.contains(CallOrder.lane(of: $0)) }) {
            "\(CallOrder.lane(of: $0)) \($0.front ? 0 : ($0.priority.isPriority ? 1 : 2))"
        }.values.map { group in group.min { a, b in a.orderKey < b.orderKey }!.id }
        #expect(Set(try w.laneHeads(day: day, categories: ["A", "B"], window: "2").map(\.id)) == Set(heads), "\(step): heads")
        for category in ["A", "B"] {
            let waiting = tickets.filter { $0.state == .waiting && $0.assignedWindow == nil && $0.category == category }
            let summary = try w.waitingSummary(day: day, category: category)
            #expect(summary.count == waiting.count, "\(step): \(category)")
            #expect(summary.oldestIssuedAt == waiting.map(\.issuedAt).min(), "\(step): \(category)")
        }
    }

    @Test(arguments: Backends.all) func countsEqualTheRowsAfterEveryStepOfRandomDays(_ backend: Backends.Factory) async throws {
        let (store, _, cleanup) = try backend.make()
        defer { cleanup() }
        var rng = LCG(seed: 20261201)
        var issued = 0
        for step in 0..<300 {
            let roll = rng.below(100), pick = rng.next()
            let front = rng.below(2) == 0, toWindow = rng.below(2) == 0, priority = rng.below(10)
            if roll < 40 { issued += 1 }
            let sequence = issued
            let s = try await store.write { w -> String in
                let all = try w.tickets(day: day)
                let waiting = all.filter { $0.state == .waiting }, called = all.filter { $0.state == .called }
                let noShows = all.filter { $0.state == .noShow }
                let now = Date(timeIntervalSince1970: 1_790_000_000 + Double(step))
                switch roll {
                case ..<40:  // issue, in either category, some of them priority
                    let category = sequence % 3 == 0 ? "B" : "A"
                    _ = try w.insert(Ticket(day: day, category: category, sequence: sequence,
                        number: TicketNumber.format(prefix: category, sequence: sequence),
                        priority: priority < 2 ? .green : (priority < 3 ? .appointment : .normal), issuedAt: now,
                        orderKey: try w.nextOrderKey()))
                    return "issue"
                case ..<60 where !waiting.isEmpty:  // call anyone waiting: by number, or the head
                    var t = waiting[Int(pick % UInt64(waiting.count))]
                    try t.call(window: "1", staff: nil, at: now)
                    try w.update(t)
                    return "call \(t.number)"
                case ..<68 where !(waiting + called).isEmpty:
                    var t = (waiting + called)[Int(pick % UInt64(waiting.count + called.count))]
                    try t.cancel(reason: "test")
                    try w.update(t)
                    return "cancel \(t.number)"
                case ..<78 where !called.isEmpty:
                    var t = called[Int(pick % UInt64(called.count))]
                    try t.markNoShow(at: now)
                    try w.update(t)
                    return "no-show \(t.number)"
                case ..<86 where !noShows.isEmpty:
                    var t = noShows[Int(pick % UInt64(noShows.count))]
                    try t.requeue(limit: 100, orderKey: try w.nextOrderKey())
                    try w.update(t)
                    return "requeue \(t.number)"
                case ..<96 where !called.isEmpty:
                    var t = called[Int(pick % UInt64(called.count))]
                    try t.transfer(toCategory: toWindow ? nil : (t.category == "A" ? "B" : "A"), toWindow: toWindow ? "2" : nil,
                        front: front, orderKey: try w.nextOrderKey())
                    try w.update(t)
                    return "transfer \(t.number)\(front ? " to the front" : "")"
                case ..<100 where !waiting.isEmpty:
                    // Out of line: a waiting ticket moves lanes keeping its key, as no rule does today.
                    var t = waiting[Int(pick % UInt64(waiting.count))]
                    if t.assignedWindow == nil { t.assignedWindow = "2" } else { t.assignedWindow = nil }
                    try w.update(t)
                    return "move \(t.number) keeping its key"
                default:
                    return "nothing"
                }
            }
            try await store.read { r in try Self.expectCountsMatchRows(r, step: "step \(step): \(s)") }
        }
    }

    @Test(arguments: Backends.all) func aLaneEmptiedAndFilledAgainStaysExact(_ backend: Backends.Factory) async throws {
        let (store, _, cleanup) = try backend.make()
        defer { cleanup() }
        for round in 0..<3 {
            try await store.write { w in
                var lane: [Ticket] = []
                for n in 1...5 {
                    lane.append(try w.insert(ticket(round * 10 + n, orderKey: try w.nextOrderKey())))
                }
                for var t in [lane[2], lane[0], lane[4], lane[1], lane[3]] {
                    try t.call(window: "1", staff: nil, at: Date())
                    try w.update(t)
                    try Self.expectCountsMatchRows(w, step: "round \(round) after \(t.number)")
                }
            }
        }
    }

    @Test func theMigrationCountsTheTicketsAlreadyWaiting() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lanes-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("kioskd.sqlite").path
        // A database as the release before the lane rows left it: tickets waiting, some gone.
        let old = try DatabaseQueue(path: path)
        try SQLiteMigrations.migrator.migrate(old, upTo: "v3_pickup_code_failures")
        try await old.write { db in
            for n in 1...40 {
                let state = n % 7 == 0 ? "called" : "waiting"
                let priority = n % 5 == 0 ? "green" : "normal"
                try db.execute(sql: """
                    INSERT INTO tickets (day, category, issue_category, sequence, number, state, priority, issued_at, order_key, front, assigned_window)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [day.rawValue, n % 2 == 0 ? "A" : "B", "A", n, "A\(n)", state, priority,
                        1_790_000_000 + Double(n), 1000 - n, n % 11 == 0, n % 13 == 0 ? "2" as String? : nil])
            }
        }
        try old.close()
        let store = try SQLiteStore(path: path)
        try await store.read { r in try Self.expectCountsMatchRows(r, step: "after the migration") }
        // The ticket count (v9) is taken from the rows already there, and kept from then on.
        #expect(try await store.read { try $0.ticketCount() } == 40)
        // And it stays true as the queue moves on.
        try await store.write { w in
            var t = try w.tickets(day: day).first { $0.state == .waiting && $0.category == "A" }!
            try t.call(window: "1", staff: nil, at: Date())
            try w.update(t)
            _ = try w.insert(ticket(99, orderKey: try w.nextOrderKey()))
        }
        try await store.read { r in try Self.expectCountsMatchRows(r, step: "after a call and a take") }
        #expect(try await store.read { try $0.ticketCount() } == 41)
    }
}

/// A small seeded generator (Knuth's MMIX LCG), so a failing sequence can be replayed.
struct LCG {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return state >> 17
    }
    mutating func below(_ n: UInt64) -> UInt64 { next() % n }
}
