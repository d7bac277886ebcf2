import Foundation
import KioskCore
import KioskStore
import Logging
import Synchronization
import NIOCore
import Testing

@testable import KioskDaemon

/// A screen's streams share one subscription to the hall's events (`ScreenHub`): each stream
/// gets what its screen shows, once and in order; one that stops reading is cut off alone; a
/// screen's streams are not woken for events it does not show.
@Suite struct ScreenFanOutTests {
    let f: HallFixture
    let bus = EventBus(timeZone: TimeZone(identifier: "Asia/Shanghai")!)
    let streams = ScreenStreams()
    let hub: ScreenHub

    init() throws {
        f = try HallFixture()
        let bus = self.bus
        f.store.setEventSink { bus.publish($0) }
        hub = ScreenHub(bus: bus, store: f.store, executor: nil, heartbeat: .seconds(3600), streams: streams,
            logger: Logger(label: "test"))
    }

    func join(_ outbox: ScreenOutbox, _ screen: ScreenConfig) async throws -> (ScreenFanOut, ScreenFanOut.Membership) {
        let head = try await f.store.read { try $0.lastEventSeq() }
        return hub.join(outbox, screen: screen, configVersion: 0, since: head, head: head, daemon: f.hall.config.daemon)
    }

    /// The ticket numbers in `parts`, in order.
    static func numbers(_ parts: [ByteBuffer]) -> [String] {
        parts.map { String(buffer: $0) }.joined().components(separatedBy: "\"number\":\"").dropFirst().map { String($0.prefix(4)) }
    }

    @Test func aStreamThatStopsReadingIsCutOffAloneAndTheOthersGetEveryEvent() async throws {
        let hall = ScreenConfig(id: "hall", name: "大厅主屏")
        let idle = ScreenOutbox(capacity: 4, byteCapacity: 1 << 20)
        let reader = ScreenOutbox(capacity: 4, byteCapacity: 1 << 20)
        let (a, _) = try await join(idle, hall)
        let (b, _) = try await join(reader, hall)
        #expect(a === b, "two streams of one screen share its fan-out")
        #expect(bus.subscriberCount == 1)
        let got = Mutex<[String]>([])
        let read = Task {
            while let parts = await reader.next() { got.withLock { $0 += Self.numbers(parts) } }
        }
        var taken = 0
        while !idle.wasCutOff && taken < 200 {
            try await f.take("C")
            taken += 1
            try await Task.sleep(for: .milliseconds(5))
        }
        #expect(idle.wasCutOff && taken > 4, "cut after \(taken) takes")
        try await eventually { got.withLock { $0.count } >= taken }
        reader.finish()
        await read.value
        #expect(got.withLock { $0 } == (1...taken).map { String(format: "C%03d", $0) })
        // What the idle one held is dropped, and it ends.
        #expect(await idle.next() == nil)
        #expect(!reader.wasCutOff)
        #expect(streams.cut == 1)
    }

    @Test func eventsAScreenDoesNotShowWakeNoneOfItsStreams() async throws {
        let b = ScreenConfig(id: "b", name: "不动产区", categories: ["B"])
        let outbox = ScreenOutbox(capacity: 100, byteCapacity: 1 << 20)
        _ = try await join(outbox, b)
        for _ in 0..<5 { try await f.take("C") }
        try await f.take("B")
        // The first thing the stream is handed is B001's issue; C's tickets never reached it.
        let first = await outbox.next() ?? []
        #expect(Self.numbers(first) == ["B001"])
    }

    @Test func aStreamJoiningReplaysUpToWhereTheScreenIsAndGetsTheRestLive() async throws {
        let hall = ScreenConfig(id: "hall", name: "大厅主屏")
        let first = ScreenOutbox(capacity: 100, byteCapacity: 1 << 20)
        _ = try await join(first, hall)
        for _ in 0..<3 { try await f.take("C") }
        try await eventually { Self.numbers(first.peek()).count == 3 }
        // Joining from the start: its replay covers what the screen already handed out, live the rest.
        let second = ScreenOutbox(capacity: 100, byteCapacity: 1 << 20)
        let (_, membership) = hub.join(second, screen: hall, configVersion: 0, since: 0, head: 3, daemon: f.hall.config.daemon)
        #expect(membership.replayAfter == 0 && membership.replayUpTo == 3)
        try await f.take("C")
        #expect(Self.numbers(await second.next() ?? []) == ["C004"])
    }

    @Test func theLastStreamLeavingEndsTheScreensSubscription() async throws {
        let hall = ScreenConfig(id: "hall", name: "大厅主屏")
        let (fanOut, membership) = try await join(ScreenOutbox(capacity: 4, byteCapacity: 1 << 20), hall)
        #expect(bus.subscriberCount == 1)
        hub.leave(fanOut, membership)
        #expect(fanOut.hasEnded)
        try await eventually { bus.subscriberCount == 0 }
        // The next stream of the screen gets a new one.
        let (again, _) = try await join(ScreenOutbox(capacity: 4, byteCapacity: 1 << 20), hall)
        #expect(again !== fanOut && !again.hasEnded)
    }

    func eventually(_ condition: () -> Bool) async throws {
        for _ in 0..<500 where !condition() { try await Task.sleep(for: .milliseconds(10)) }
        #expect(condition())
    }
}
