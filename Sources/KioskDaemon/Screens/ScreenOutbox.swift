import NIOCore
import Synchronization

/// What waits to be written to one screen stream (one browser): messages its screen's fan-out
/// hands over, taken by the stream's writer all at once, so a writer that falls behind a burst
/// catches up in one socket write instead of one per event. Bounded like a socket subscriber's
/// queue: past `capacity` events or `byteCapacity` bytes the stream is cut off — what is queued is
/// dropped, the writer ends the response, and the browser reconnects with the last id it got.
final class ScreenOutbox: Sendable {
    enum Offer: Equatable {
        case queued
        /// Over a bound: this offer cut the stream off.
        case cutOff
        /// The stream had already ended (finished or cut off before).
        case ended
    }

    private struct State {
        var parts: [ByteBuffer] = []
        var bytes = 0
        var events = 0
        var writer: CheckedContinuation<[ByteBuffer]?, Never>?
        var ended = false
        var cut = false
    }

    let capacity: Int
    let byteCapacity: Int
    private let state = Mutex(State())

    init(capacity: Int, byteCapacity: Int) {
        self.capacity = Swift.max(1, capacity)
        self.byteCapacity = byteCapacity
    }

    /// Queues `message`, which holds `events` events (a comment, the heartbeat, holds none and
    /// counts only in bytes).
    func offer(_ message: ByteBuffer, events: Int = 1) -> Offer {
        let (outcome, wake): (Offer, (CheckedContinuation<[ByteBuffer]?, Never>, [ByteBuffer]?)?) = state.withLock { s in
            if s.ended { return (.ended, nil) }
            // One message always fits in an empty queue, however large.
            let fits = s.parts.isEmpty
                || (s.events + events <= capacity && s.bytes + message.readableBytes <= byteCapacity)
            guard fits else {
                s.ended = true
                s.cut = true
                s.parts = []
                s.bytes = 0
                s.events = 0
                return (.cutOff, s.writer.map { w in s.writer = nil; return (w, nil) })
            }
            if let w = s.writer {
                s.writer = nil
                return (.queued, (w, [message]))
            }
            s.parts.append(message)
            s.bytes += message.readableBytes
            s.events += events
            return (.queued, nil)
        }
        if let (writer, parts) = wake { writer.resume(returning: parts) }
        return outcome
    }

    /// Everything queued, waiting for something if empty; nil once the stream has ended (when
    /// finished, after what was queued has been taken).
    func next() async -> [ByteBuffer]? {
        await withCheckedContinuation { (c: CheckedContinuation<[ByteBuffer]?, Never>) in
            let ready: [ByteBuffer]?? = state.withLock { s in
                if !s.parts.isEmpty {
                    let parts = s.parts
                    s.parts = []
                    s.bytes = 0
                    s.events = 0
                    return .some(parts)
                }
                if s.ended { return .some(nil) }
                s.writer = c
                return .none
            }
            if let ready { c.resume(returning: ready) }
        }
    }

    /// No more messages: the writer takes what is queued, then ends.
    func finish() {
        let writer = state.withLock { s -> CheckedContinuation<[ByteBuffer]?, Never>? in
            s.ended = true
            defer { s.writer = nil }
            return s.parts.isEmpty ? s.writer : nil
        }
        writer?.resume(returning: nil)
    }

    /// `parts` as one buffer: what queued while a stream was busy goes out in one socket write.
    static func joined(_ parts: [ByteBuffer]) -> ByteBuffer {
        guard parts.count > 1 else { return parts.first ?? ByteBuffer() }
        var all = ByteBuffer()
        all.reserveCapacity(parts.reduce(0) { $0 + $1.readableBytes })
        for var part in parts { all.writeBuffer(&part) }
        return all
    }

    /// What is queued, without taking it (tests).
    func peek() -> [ByteBuffer] { state.withLock { $0.parts } }

    /// Whether the stream ended by being cut off for falling behind.
    var wasCutOff: Bool { state.withLock { $0.cut } }
}
