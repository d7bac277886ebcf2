import Foundation
import Synchronization

/// Wakes one daemon when any daemon of the hall commits events (事件唤醒): a connection of its own,
/// on a thread of its own, `LISTEN`s on `kioskd_events`, whose payload is a seq the committing
/// transaction appended (each append notifies: `PGSchema.appendEvent`). The log stays the truth — a wake-up only says "read the log
/// after what you have" — so a lost notification costs latency, never an event: after any gap
/// (the connection broke, the server restarted) the listener reports `nil`, "read the log now",
/// as soon as it listens again.
final class PGEventListener: Sendable {
    static let channel = "kioskd_events"

    /// What the listener has to say: the newest committed seq it was told of, or nil (resync).
    typealias Wake = @Sendable (Int64?) -> Void

    private let url: String
    private let wake: Wake
    /// Whether a sender (a server process) is this daemon's own: its commits were delivered by
    /// the write that made them, so their notifications wake nothing (a read per write, else).
    private let isOwn: @Sendable (Int32) -> Bool
    private let stopped = Atomic<Bool>(false)
    private let finished = DispatchSemaphore(value: 0)
    private let listening = Atomic<Bool>(false)

    init(url: String, isOwn: @escaping @Sendable (Int32) -> Bool = { _ in false }, wake: @escaping Wake) {
        self.url = url
        self.isOwn = isOwn
        self.wake = wake
    }

    /// Whether it is listening now (false while it reconnects).
    var isListening: Bool { listening.load(ordering: .acquiring) }

    func start() {
        let thread = Thread { [self] in run() }
        thread.name = "pg-listen"
        thread.start()
    }

    /// Stops within half a second.
    func stop() {
        guard !stopped.exchange(true, ordering: .acquiringAndReleasing) else { return }
        finished.wait()
    }

    private func run() {
        defer { finished.signal() }
        while !stopped.load(ordering: .acquiring) {
            do {
                let c = try PGConnection(url: url)
                try c.execute("LISTEN \(Self.channel)")
                listening.store(true, ordering: .releasing)
                // Anything committed while we were not listening is in the log: read it.
                wake(nil)
                while !stopped.load(ordering: .acquiring) {
                    let heard = try c.notifications(waitingUpTo: .milliseconds(500))
                    if let newest = heard.filter({ !isOwn($0.senderPID) }).compactMap({ Int64($0.payload) }).max() { wake(newest) }
                }
            } catch {
                listening.store(false, ordering: .releasing)
                // The server is away: try again each second (the pool reports the fault).
                for _ in 0..<10 where !stopped.load(ordering: .acquiring) { usleep(100_000) }
            }
        }
        listening.store(false, ordering: .releasing)
    }
}
