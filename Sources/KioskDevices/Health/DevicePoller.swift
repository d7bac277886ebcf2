import Dispatch
import Synchronization

/// Runs a device's periodic check on the device's own I/O queue, and retries a failing device
/// with backoff: every `interval` while the check reaches the device, and after a failure at
/// `Backoff` delays (0.5 s doubling to the cap, with jitter) until it answers again.
///
/// Why one place: a printer's status poll and a reader's card watch both double as the
/// reconnection loop. A device that is unplugged or wedged is retried soon at first (a loose
/// cable is usually back in seconds), then ever more rarely, so a dead port does not cost a
/// busy loop or fill the log; a hotplug event reopens the device at once without waiting.
final class DevicePoller: Sendable {
    /// `DispatchSourceTimer` is thread-safe but not declared `Sendable`; this box only holds it.
    private struct Handle: @unchecked Sendable { let source: any DispatchSourceTimer }

    private struct Schedule: Sendable {
        var handle: Handle?
        var backoff: Backoff
        /// Bumped by every start(); a timer of an older generation lets itself lapse.
        var generation = 0
    }

    private let current = Mutex(Schedule(handle: nil, backoff: Backoff()))

    /// (Re)starts the checks; the first one runs one `interval` from now. `check` returns
    /// whether it reached the device; a false result schedules the next check by `backoff`.
    func start(
        every interval: Duration, backoff: Backoff = Backoff(initial: .milliseconds(500), maximum: .seconds(30)),
        on queue: DispatchQueue, _ check: @escaping @Sendable () -> Bool
    ) {
        let source = DispatchSource.makeTimerSource(queue: queue)
        let handle = Handle(source: source)
        let (generation, old) = current.withLock { s in
            s.generation += 1
            defer {
                s.handle = handle
                s.backoff = backoff
            }
            return (s.generation, s.handle)
        }
        source.setEventHandler { [weak self] in
            let reached = check()
            guard let self else { return }
            self.current.withLock { s in
                // A stop() or a newer start() replaced this timer: let it lapse.
                guard s.generation == generation, let source = s.handle?.source else { return }
                let delay: Duration
                if reached {
                    s.backoff.succeeded()
                    delay = interval
                } else {
                    delay = s.backoff.failed()
                }
                source.schedule(deadline: .now() + Self.dispatch(delay), repeating: .never, leeway: .milliseconds(20))
            }
        }
        source.schedule(deadline: .now() + Self.dispatch(interval), repeating: .never, leeway: .milliseconds(20))
        old?.source.cancel()
        source.resume()
    }

    func stop() {
        let old = current.withLock { s in
            let old = s.handle
            s.handle = nil
            s.generation += 1
            return old
        }
        old?.source.cancel()
    }

    var isRunning: Bool { current.withLock { $0.handle != nil } }

    /// Failed checks in a row so far (0 while the device answers).
    var failures: Int { current.withLock { $0.backoff.failures } }

    private static func dispatch(_ d: Duration) -> DispatchTimeInterval {
        .nanoseconds(max(1_000_000, Int(d.seconds * 1e9)))
    }
}
