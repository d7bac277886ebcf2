import Synchronization

/// What waits for one slow reader, bounded in items and in bytes: replayed events wait for room
/// (`enqueue`); live events never wait (`offer` fails when full, and the reader is cut off), so
/// one slow display cannot hold up the hall. A subscriber that never reads holds at most
/// `byteCapacity` of the daemon's memory.
final class BoundedBuffer<Element: Sendable>: Sendable {
    private struct State {
        var items: [Element?] = []
        var head = 0
        var finished = false
        var reader: CheckedContinuation<Element?, Never>?
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
    private let size: @Sendable (Element) -> Int
    private let state = Mutex(State())

    init(capacity: Int, byteCapacity: Int = .max, size: @escaping @Sendable (Element) -> Int) {
        self.capacity = capacity
        self.byteCapacity = byteCapacity
        self.size = size
    }

    /// Adds without waiting; false when full or finished.
    func offer(_ buffer: Element) -> Bool {
        let bytes = size(buffer)
        let reader: CheckedContinuation<Element?, Never>?? = state.withLock { s in
            guard !s.finished, s.hasRoom(for: bytes, capacity: capacity, byteCapacity: byteCapacity) else { return .none }
            if let r = s.reader {
                s.reader = nil
                return .some(r)
            }
            s.items.append(buffer)
            s.bytes += bytes
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
    func enqueue(_ buffer: Element) async -> Bool {
        let bytes = size(buffer)
        while true {
            if offer(buffer) { return true }
            if state.withLock({ $0.finished }) { return false }
            await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { s -> Bool in
                    if s.finished || s.hasRoom(for: bytes, capacity: capacity, byteCapacity: byteCapacity) { return true }
                    s.producers.append(c)
                    return false
                }
                if resumeNow { c.resume() }
            }
        }
    }

    /// The next message, or nil when finished and drained.
    func next() async -> Element? {
        await withCheckedContinuation { (c: CheckedContinuation<Element?, Never>) in
            let (value, producer, done): (Element?, CheckedContinuation<Void, Never>?, Bool) = state.withLock { s in
                if s.count > 0 {
                    let v = s.items[s.head]!
                    s.items[s.head] = nil  // release the bytes now, not at the next compaction
                    s.head += 1
                    s.bytes -= size(v)
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

    /// No more items; the reader drains what is queued, waiting producers are released.
    func finish() { close(discarding: false) }

    /// A reader cut off: what is queued is dropped at once (its memory returned), the reader
    /// ends, waiting producers are released.
    func abandon() { close(discarding: true) }

    private func close(discarding: Bool) {
        let (reader, producers) = state.withLock { s -> (CheckedContinuation<Element?, Never>?, [CheckedContinuation<Void, Never>]) in
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
