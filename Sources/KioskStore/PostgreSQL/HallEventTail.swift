import Foundation
import Synchronization

/// Hands the hall's event log to one daemon's sink in seq order, each event once, whichever
/// daemon committed it (事件尾随). This daemon's own commits are delivered as they return; other
/// daemons' are read from the log when `PGEventListener` wakes us, or by the poll in `maintain`.
///
/// The log is the truth: a delivery that would leave a hole (events committed elsewhere that
/// we have not read yet) is refused, and the tail reads the log from what it last delivered.
final class HallEventTail: Sendable {
    /// Reads up to `limit` committed events after `seq`, in order.
    typealias Reader = @Sendable (_ after: Int64, _ limit: Int) async throws -> [StoredEvent]

    private struct State {
        /// The last seq handed to the sink; nil until the store knows where the log stands.
        var published: Int64?
        var sink: EventSink?
        /// A catch-up is running; `again` asks it for one more round.
        var reading = false
        var again = false
    }

    private let state = Mutex(State())
    private let reader: Reader
    static let batch = 500

    init(reader: @escaping Reader) { self.reader = reader }

    func setSink(_ sink: EventSink) { state.withLock { $0.sink = sink } }

    /// Where the tail starts, once: events up to `seq` were committed before this daemon started
    /// (subscribers replay those from the log themselves).
    func start(at seq: Int64) { state.withLock { if $0.published == nil { $0.published = seq } } }

    var published: Int64? { state.withLock { $0.published } }

    /// Delivers `events` (consecutive seqs) and returns true, skipping those already delivered;
    /// false, delivering nothing, when they do not follow what was delivered.
    @discardableResult
    func deliver(_ events: [StoredEvent]) -> Bool {
        state.withLock { s in
            guard let published = s.published else { return false }
            let fresh = events.drop { $0.seq <= published }
            guard let first = fresh.first else { return true }
            guard first.seq == published + 1 else { return false }
            s.published = fresh.last!.seq
            s.sink?.deliver(Array(fresh))
            return true
        }
    }

    /// Something was committed up to `seq` (nil: maybe, read to be sure). Reads the log unless
    /// that is already delivered; one reader at a time, and a wake during a read makes it go on.
    func wake(_ seq: Int64?) {
        let start = state.withLock { s -> Bool in
            guard let published = s.published else { return false }
            if let seq, seq <= published { return false }
            if s.reading {
                s.again = true
                return false
            }
            s.reading = true
            return true
        }
        guard start else { return }
        Task { await catchUp() }
    }

    /// Reads and delivers until the log has nothing more; on an error gives up until the next
    /// wake (the poll brings one every second).
    func catchUp() async {
        while true {
            state.withLock { $0.again = false }
            var full = true
            while full {
                guard let after = published else { break }
                guard let events = try? await reader(after, Self.batch) else {
                    full = false
                    break
                }
                deliver(events)
                full = events.count == Self.batch
            }
            let done = state.withLock { s -> Bool in
                if s.again { return false }
                s.reading = false
                return true
            }
            if done { return }
        }
    }
}
