import NIOCore
import Synchronization

/// The messages waiting to be written to one connection. Responses and replayed events wait for
/// room (`enqueue`); live events never wait (`offer` fails when full, and the connection is cut
/// off), so one slow display cannot hold up the hall.
final class OutboundQueue: Sendable {
    private struct State {
        var items: [ByteBuffer] = []
        var head = 0
        var finished = false
        var reader: CheckedContinuation<ByteBuffer?, Never>?
        var producers: [CheckedContinuation<Void, Never>] = []
        var count: Int { items.count - head }
    }

    let capacity: Int
    private let state = Mutex(State())

    init(capacity: Int) { self.capacity = capacity }

    /// Adds without waiting; false when full or finished.
    func offer(_ buffer: ByteBuffer) -> Bool {
        let reader: CheckedContinuation<ByteBuffer?, Never>?? = state.withLock { s in
            guard !s.finished, s.count < capacity else { return .none }
            if let r = s.reader {
                s.reader = nil
                return .some(r)
            }
            s.items.append(buffer)
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
                    if s.finished || s.count < capacity { return true }
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
                    s.head += 1
                    if s.head > 1024 && s.head * 2 > s.items.count {
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
    func finish() {
        let (reader, producers) = state.withLock { s -> (CheckedContinuation<ByteBuffer?, Never>?, [CheckedContinuation<Void, Never>]) in
            s.finished = true
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
