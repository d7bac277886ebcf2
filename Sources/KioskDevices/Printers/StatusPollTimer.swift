import Dispatch
import Synchronization

/// A repeating timer on a printer's own I/O queue, for periodic `DLE EOT` polling.
///
/// Why Dispatch and not a Swift task: each poll blocks for up to a status timeout on the
/// transport; on the device's serial queue it waits its turn behind a job instead of blocking a
/// thread of the Swift concurrency pool, and it can never run concurrently with a job.
final class StatusPollTimer: Sendable {
    /// `DispatchSourceTimer` is thread-safe but not declared `Sendable`; this box only holds it.
    private struct Handle: @unchecked Sendable { let source: any DispatchSourceTimer }
    private let current = Mutex<Handle?>(nil)

    /// (Re)starts ticking every `interval` on `queue`; the first tick is one interval from now.
    func start(every interval: Duration, on queue: DispatchQueue, _ tick: @escaping @Sendable () -> Void) {
        let source = DispatchSource.makeTimerSource(queue: queue)
        let ns = max(1_000_000, Int(interval.seconds * 1e9))
        source.schedule(
            deadline: .now() + .nanoseconds(ns), repeating: .nanoseconds(ns), leeway: .milliseconds(50))
        source.setEventHandler(handler: tick)
        let old = current.withLock { c in
            let old = c
            c = Handle(source: source)
            return old
        }
        old?.source.cancel()
        source.resume()
    }

    func stop() {
        let old = current.withLock { c in
            let old = c
            c = nil
            return old
        }
        old?.source.cancel()
    }

    var isRunning: Bool { current.withLock { $0 != nil } }
}
