import Foundation
import KioskCore
import KioskStore
import Logging
import NIOCore
import Synchronization

/// One subscriber's events (事件流), as an `AsyncSequence`: the stored events after `since`
/// replayed from the durable log, then live ones from the bus, each exactly once and in `seq`
/// order. Everything that follows the hall consumes one: a socket's `events.subscribe`, a
/// screen's event stream, voice and window displays.
///
/// Replay waits for the consumer; live events never do. A consumer that falls more than the
/// buffer's bound behind (in events or bytes) is cut off — its iteration ends by throwing
/// `EventFeed.CutOff` — so one slow display never holds up the commit that published.
public final class EventFeed: AsyncSequence, Sendable {
    /// An event with its socket line, encoded once per event and shared by every subscriber.
    public struct Item: Sendable {
        public let event: StoredEvent
        public let line: ByteBuffer
    }

    /// The consumer fell too far behind and was dropped; it reconnects with its last `seq`.
    public struct CutOff: Error, CustomStringConvertible {
        public var description: String { "too slow to keep up with the hall's events; cut off" }
    }

    /// The replay could not read the log (the store is unwell): the consumer should reconnect.
    public struct ReplayFailed: Error, CustomStringConvertible {
        public let underlying: any Error
        public var description: String { "event replay failed: \(underlying)" }
    }

    public let patterns: [String]
    /// The seq the feed starts after (the request's `since`, clamped to the log).
    public let since: Int64
    /// The newest stored seq when the feed opened.
    public let head: Int64

    private let bus: EventBus
    private let buffer: BoundedBuffer<Item>
    private let busId: UInt64
    private let outcome = OutcomeBox()
    private let replay: Task<Void, Never>

    /// Opens a feed for `patterns` (topic names or prefixes ending in `*`) after `since`
    /// (nil: from now). A `since` beyond the log — a display that remembers a seq from a
    /// restored or replaced database — starts from the head, so live events are not held back.
    public static func open(
        bus: EventBus, store: any Store, patterns: [String], since: Int64?,
        capacity: Int, byteCapacity: Int, onCutOff: @escaping @Sendable () -> Void = {}
    ) async throws -> EventFeed {
        let head = try await store.read { try $0.lastEventSeq() }
        return open(bus: bus, store: store, patterns: patterns, since: since, head: head,
            capacity: capacity, byteCapacity: byteCapacity, onCutOff: onCutOff)
    }

    /// The same, for a caller that has just read the log's `head` itself.
    public static func open(
        bus: EventBus, store: any Store, patterns: [String], since: Int64?, head: Int64,
        capacity: Int, byteCapacity: Int, onCutOff: @escaping @Sendable () -> Void = {}
    ) -> EventFeed {
        let start = Swift.min(Swift.max(0, since ?? head), head)
        return EventFeed(bus: bus, store: store, patterns: patterns, since: start, head: head,
            capacity: capacity, byteCapacity: byteCapacity, onCutOff: onCutOff)
    }

    private init(
        bus: EventBus, store: any Store, patterns: [String], since: Int64, head: Int64,
        capacity: Int, byteCapacity: Int, onCutOff: @escaping @Sendable () -> Void
    ) {
        self.patterns = patterns
        self.since = since
        self.head = head
        self.bus = bus
        let buffer = BoundedBuffer<Item>(capacity: Swift.max(1, capacity), byteCapacity: byteCapacity) { $0.line.readableBytes }
        self.buffer = buffer
        let outcome = self.outcome
        busId = bus.subscribe(patterns: patterns, after: since, deliver: { event, line in
            buffer.offer(Item(event: event, line: line))
        }, cutOff: {
            outcome.set(CutOff())
            buffer.abandon()
            onCutOff()
        })
        let busId = self.busId, timeZone = bus.timeZone
        replay = Task {
            var last = since
            do {
                repeat {
                    while !Task.isCancelled {
                        let from = last
                        let batch = try await store.read { try $0.events(after: from, limit: 500) }
                        if batch.isEmpty { break }
                        for e in batch where EventTopic.matches(any: patterns, e.topic) {
                            let item = Item(event: e, line: ByteBuffer(string: EventLine.encode(e, timeZone: timeZone)))
                            guard await buffer.enqueue(item) else { return }
                        }
                        last = batch.last!.seq
                    }
                } while !Task.isCancelled && !bus.goLive(busId, replayedUpTo: last)
            } catch {
                if Task.isCancelled || error is CancellationError { return }
                outcome.set(ReplayFailed(underlying: error))
                bus.unsubscribe(busId)
                buffer.abandon()
            }
        }
    }

    /// Whether the replay has caught up and events arrive as they are published.
    public var isLive: Bool { bus.isLive(busId) }

    /// Ends the feed: no more live events, the replay stopped; iteration ends (nil).
    public func stop() async {
        bus.unsubscribe(busId)
        replay.cancel()
        buffer.finish()
        await replay.value
        buffer.abandon()
    }

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(feed: self) }

    public struct AsyncIterator: AsyncIteratorProtocol {
        let feed: EventFeed

        /// The next event; nil once stopped; throws `CutOff` or `ReplayFailed`.
        public mutating func next() async throws -> Item? {
            if let item = await feed.buffer.next() { return item }
            if let error = feed.outcome.error { throw error }
            return nil
        }
    }

    /// How the feed ended, when it did not end by `stop()`.
    private final class OutcomeBox: Sendable {
        private let stored = Mutex<(any Error)?>(nil)
        func set(_ e: any Error) { stored.withLock { if $0 == nil { $0 = e } } }
        var error: (any Error)? { stored.withLock { $0 } }
    }
}
