import Foundation
import KioskCore
import KioskStore
import NIOCore
import Synchronization

/// Fans committed events out to live subscribers. It never waits for one: a subscriber whose
/// delivery closure reports it is full is dropped, and its `cutOff` runs after the bus lock is
/// released — cutting off hundreds at once must not hold up the commit that published.
/// Events arrive from the store's commit hook in commit order, so `seq` is increasing here.
public final class EventBus: Sendable {
    /// Hands one event's wire line to a subscriber; false when it cannot take it (cut off). The
    /// line is encoded once per event and its bytes shared by every subscriber's queue.
    public typealias Deliver = @Sendable (StoredEvent, ByteBuffer) -> Bool

    struct Subscriber {
        var patterns: [String]
        var deliver: Deliver
        var cutOff: @Sendable () -> Void
        /// Highest seq handed to this subscriber (replayed or live); older ones are skipped.
        var lastSeq: Int64
        /// Live delivery starts once replay has caught up.
        var live: Bool
    }

    struct State {
        var subscribers: [UInt64: Subscriber] = [:]
        var nextId: UInt64 = 1
        var lastPublished: Int64 = 0
        var dropped: UInt64 = 0
    }

    private let state = Mutex(State())
    /// The hall's zone, in which event lines give their times.
    public let timeZone: TimeZone

    public init(timeZone: TimeZone) { self.timeZone = timeZone }

    /// Called by the store after each commit.
    public func publish(_ events: [StoredEvent]) {
        let dropped = state.withLock { s -> [@Sendable () -> Void] in
            var dropped: [@Sendable () -> Void] = []
            for e in events {
                s.lastPublished = max(s.lastPublished, e.seq)
                fanOut(e, recorded: true, in: &s, dropped: &dropped)
            }
            return dropped
        }
        for cutOff in dropped { cutOff() }
    }

    /// An event that cannot be stored (the database is faulted): delivered to live subscribers
    /// now, under the newest stored seq since it takes none of its own, and never replayed.
    public func publishUnrecorded(topic: String, at: Date, json: String) {
        let dropped = state.withLock { s -> [@Sendable () -> Void] in
            var dropped: [@Sendable () -> Void] = []
            fanOut(StoredEvent(seq: s.lastPublished, topic: topic, at: at, json: json), recorded: false, in: &s, dropped: &dropped)
            return dropped
        }
        for cutOff in dropped { cutOff() }
    }

    /// Hands `e` to every live subscriber whose patterns match — a recorded event only to those
    /// that have not had it from their replay — encoding its line once. A subscriber that cannot
    /// take it is removed; its cut-off is collected, to run after the lock.
    private func fanOut(_ e: StoredEvent, recorded: Bool, in s: inout State, dropped: inout [@Sendable () -> Void]) {
        var line: ByteBuffer?
        for (id, var sub) in s.subscribers where sub.live && (!recorded || e.seq > sub.lastSeq) {
            guard EventTopic.matches(any: sub.patterns, e.topic) else { continue }
            if line == nil { line = ByteBuffer(string: EventLine.encode(e, timeZone: timeZone)) }
            if sub.deliver(e, line!) {
                guard recorded else { continue }
                sub.lastSeq = e.seq
                s.subscribers[id] = sub
            } else {
                s.subscribers[id] = nil
                s.dropped += 1
                dropped.append(sub.cutOff)
            }
        }
    }

    /// Registers a subscriber that is not live yet: its owner replays from the store, then calls
    /// `goLive` until it returns true.
    public func subscribe(patterns: [String], after seq: Int64, deliver: @escaping Deliver,
        cutOff: @escaping @Sendable () -> Void = {}) -> UInt64 {
        state.withLock { s in
            let id = s.nextId
            s.nextId += 1
            s.subscribers[id] = Subscriber(patterns: patterns, deliver: deliver, cutOff: cutOff, lastSeq: seq, live: false)
            return id
        }
    }

    /// Switches to live delivery if nothing was published after `replayedUpTo`; otherwise returns
    /// false and the owner replays the newer events from the store first.
    public func goLive(_ id: UInt64, replayedUpTo seq: Int64) -> Bool {
        state.withLock { s in
            guard var sub = s.subscribers[id] else { return true }
            sub.lastSeq = max(sub.lastSeq, seq)
            guard s.lastPublished <= sub.lastSeq else {
                s.subscribers[id] = sub
                return false
            }
            sub.live = true
            s.subscribers[id] = sub
            return true
        }
    }

    /// Whether subscriber `id` has caught up and receives events as they are published.
    public func isLive(_ id: UInt64) -> Bool { state.withLock { $0.subscribers[id]?.live ?? false } }

    public func unsubscribe(_ id: UInt64) {
        _ = state.withLock { $0.subscribers.removeValue(forKey: id) }
    }

    public var subscriberCount: Int { state.withLock { $0.subscribers.count } }
    /// Subscribers cut off for being too slow, since start.
    public var droppedCount: UInt64 { state.withLock { $0.dropped } }
}
