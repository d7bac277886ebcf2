import NIOCore
import Synchronization

/// The messages waiting to be written to one connection. Responses and replayed events wait for
/// room (`enqueue`); live events never wait (`offer` fails when full, and the connection is cut
/// off), so one slow display cannot hold up the hall. Room is counted in messages and in bytes:
/// a subscriber that never reads holds at most `byteCapacity` of the daemon's memory.
final class OutboundQueue: Sendable {
    private struct State {
        var items: [ByteBuffer] = []
        var head = 0
        var finished = false
        var reader: CheckedContinuation<ByteBuffer?, Never>?
        var producers: [CheckedContinuation<Void, Never>] = []
        var bytes = 0
        var count: Int { items.count - head }

        /// One message always fits in an empty queue, however large.
        func hasRoom(for size: Int, capacity: Int, byteCapacity: Int) -> Bool {
            count == 0 || (count < capacity && bytes + size <= byteCapacity)
        }
    }

    let capacity: Int
    let byteCapacity: Int
    private let state = Mutex(State())

    init(capacity: Int, byteCapacity: Int = .max) {
        self.capacity = capacity
        self.byteCapacity = byteCapacity
    }

    /// Adds without waiting; false when full or finished.
    func offer(_ buffer: ByteBuffer) -> Bool {
        let reader: CheckedContinuation<ByteBuffer?, Never>?? = state.withLock { s in
            guard !s.finished, s.hasRoom(for: buffer.readableBytes, capacity: capacity, byteCapacity: byteCapacity) else { return .none }
            if let r = s.reader {
                s.reader = nil
                return .some(r)
            }
            s.items.append(buffer)
            s.bytes += buffer.readableBytes
            return .some(nil)
        }
        switch reader {
        case .none: return false
        case .some(let r?): r.resume(returning: buffer)
        case .some(nil): break
        }
        return true
    }

    /// Adds, waiting while the queue is full. Returns false once the queue is finished.
    @discardableResult
    func enqueue(_ buffer: ByteBuffer) async -> Bool {
        while true {
            if offer(buffer) { return true }
            if state.withLock({ $0.finished }) { return false }
            await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { s -> Bool in
                    if s.finished || s.hasRoom(for: buffer.readableBytes, capacity: capacity, byteCapacity: byteCapacity) { return true }
                    s.producers.append(c)
                    return false
                }
                if resumeNow { c.resume() }
            }
        }
    }

    /// The next message, or nil when finished and drained.
    func next() async -> ByteBuffer? {
        await withCheckedContinuation { (c: CheckedContinuation<ByteBuffer?, Never>) in
            let (value, producer, done): (ByteBuffer?, CheckedContinuation<Void, Never>?, Bool) = state.withLock { s in
                if s.count > 0 {
                    let v = s.items[s.head]
                    s.items[s.head] = ByteBuffer()  // release the bytes now, not at the next compaction
                    s.head += 1
                    s.bytes -= v.readableBytes
                    if s.count == 0 {
                        s.items.removeAll()  // a burst's array is given back, not kept for the next
                        s.head = 0
                    } else if s.head > 1024 && s.head * 2 > s.items.count {
                        s.items.removeFirst(s.head)
                        s.head = 0
                    }
                    let p = s.producers.isEmpty ? nil : s.producers.removeFirst()
                    return (v, p, false)
                }
                if s.finished { return (nil, nil, true) }
                s.reader = c
                return (nil, nil, false)
            }
            producer?.resume()
            if value != nil || done { c.resume(returning: value) }
        }
    }

    /// No more messages; the writer drains what is queued, waiting producers are released.
    func finish() { close(discarding: false) }

    /// A subscriber cut off: what is queued is dropped at once (its memory returned), the writer
    /// ends, waiting producers are released.
    func abandon() { close(discarding: true) }

    private func close(discarding: Bool) {
        let (reader, producers) = state.withLock { s -> (CheckedContinuation<ByteBuffer?, Never>?, [CheckedContinuation<Void, Never>]) in
            s.finished = true
            if discarding {
                s.items = []
                s.head = 0
                s.bytes = 0
            }
            let r = s.count == 0 ? s.reader : nil
            if r != nil { s.reader = nil }
            let p = s.producers
            s.producers = []
            return (r, p)
        }
        reader?.resume(returning: nil)
        producers.forEach { $0.resume() }
    }
}
