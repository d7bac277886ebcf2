import Foundation
import KioskCore
import KioskStore
import Testing

@testable import KioskDaemon

/// The event feed every follower of the hall consumes (socket, screens, voice): the log after
/// `since`, then live, each event once and in order; a consumer that falls behind is cut off.
@Suite struct EventFeedTests {
    let f: HallFixture
    let bus = EventBus(timeZone: TimeZone(identifier: "Asia/Shanghai")!)

    init() throws {
        f = try HallFixture()
        let bus = self.bus
        f.store.setEventSink { bus.publish($0) }
    }

    func open(since: Int64?, patterns: [String] = ["*"], capacity: Int = 1_000, bytes: Int = 1 << 20) async throws -> EventFeed {
        try await EventFeed.open(bus: bus, store: f.store, patterns: patterns, since: since,
            capacity: capacity, byteCapacity: bytes)
    }

    func collect(_ feed: EventFeed, _ count: Int) async throws -> [StoredEvent] {
        var out: [StoredEvent] = []
        for try await item in feed {
            out.append(item.event)
            if out.count == count { break }
        }
        return out
    }

    @Test func storedEventsAfterSinceComeFirstThenLiveOnesEachOnceInOrder() async throws {
        for _ in 0..<3 { try await f.take("C") }
        let head = try await f.store.read { try $0.lastEventSeq() }
        let feed = try await open(since: 1)
        #expect(feed.since == 1 && feed.head == head)
        for _ in 0..<2 { try await f.take("C") }
        let newest = try await f.store.read { try $0.lastEventSeq() }
        let got = try await collect(feed, Int(newest - 1))
        #expect(got.map(\.seq) == Array(2...newest))
        #expect(got.allSatisfy { $0.topic == "ticket.issued" })
        // Each line is the socket's event line for that very event.
        await feed.stop()
    }

    @Test func onlyTheTopicsAskedForArrive() async throws {
        try await f.open("3")
        let feed = try await open(since: 0, patterns: ["ticket.called"])
        try await f.take("C")
        _ = try await f.hall.call(window: "3", ticket: nil)
        let got = try await collect(feed, 1)
        #expect(got.map(\.topic) == ["ticket.called"])
        await feed.stop()
    }

    @Test func aSinceBeyondTheLogStartsAtTheHead() async throws {
        try await f.take("C")
        let head = try await f.store.read { try $0.lastEventSeq() }
        let feed = try await open(since: head + 1_000)
        #expect(feed.since == head)
        try await f.take("C")
        #expect(try await collect(feed, 1).map(\.seq) == [head + 1])
        await feed.stop()
    }

    @Test func aConsumerThatNeverReadsIsCutOffAtItsByteBound() async throws {
        let feed = try await open(since: nil, bytes: 2_000)
        // Replayed events wait for room; only live ones cut. Live once the (empty) replay is done.
        while !feed.isLive { try await Task.sleep(for: .milliseconds(5)) }
        // Live events pile up unread until the bound is passed.
        for _ in 0..<40 { try await f.take("C") }
        var received = 0
        await #expect(throws: EventFeed.CutOff.self) {
            for try await _ in feed { received += 1 }
        }
        #expect(received == 0, "what was queued is dropped at the cut, its memory returned")
        #expect(bus.subscriberCount == 0)
        await feed.stop()
    }

    @Test func stopEndsTheIterationAndUnsubscribes() async throws {
        let feed = try await open(since: nil)
        #expect(bus.subscriberCount == 1)
        let reader = Task { try await collect(feed, 100) }
        try await f.take("C")
        await feed.stop()
        let got = try await reader.value
        #expect(got.count <= 1)
        #expect(bus.subscriberCount == 0)
    }
}
