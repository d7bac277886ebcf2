import Foundation
import KioskCore
import KioskStore
import Logging
import NIOCore
import Synchronization

/// One screen's live events (每屏一路事件), shared by every browser showing that screen: one
/// `EventFeed` and one pump per screen, not per connection. The pump makes each event's message
/// once and hands it to the streams of that screen only if the screen shows the event, so a
/// hall's many connections cost the commit nothing (the bus has one subscriber per screen) and an
/// event the screen does not show wakes none of them. Each stream joins at the pump's position
/// and replays the log up to it on its own, so joining never holds up the others.
///
/// Everything runs on the HTTP listener's loop (its `executor`): the pump hands a message to the
/// streams' outboxes, and each stream's writer, woken there, writes all it has in one call — a
/// stream that falls behind a burst catches up in one socket write.
final class ScreenFanOut: Sendable {
    let screen: ScreenConfig
    let configVersion: Int
    /// The hall's, for the calls' `at`.
    let timeZone: TimeZone

    /// A stream of this screen: where its own replay must end, and the pump's messages it takes.
    struct Membership: Sendable {
        let id: UInt64
        /// The stream replays the log in (`replayAfter`, `replayUpTo`]; the pump hands it the rest.
        let replayAfter: Int64
        let replayUpTo: Int64
    }

    private struct Member {
        let outbox: ScreenOutbox
        /// Events at or before this seq reach the stream by its replay, or it already had them.
        let after: Int64
    }

    private struct State {
        var members: [UInt64: Member] = [:]
        var nextId: UInt64 = 1
        /// The newest event handed out (or passed over): every later one still will be.
        var position: Int64
        var ended = false
        var stopped = false
        var tasks: [Task<Void, Never>] = []
    }

    private let state: Mutex<State>
    private let feed: EventFeed
    private let logger: Logger
    private let onCutOff: @Sendable () -> Void

    /// Starts the pump (and the heartbeat) on `executor`, the HTTP listener's loop. `onCutOff`
    /// runs for each stream cut off for falling behind.
    init(
        screen: ScreenConfig, configVersion: Int, timeZone: TimeZone, feed: EventFeed, executor: (any TaskExecutor)?,
        heartbeat: Duration, logger: Logger, onCutOff: @escaping @Sendable () -> Void
    ) {
        self.screen = screen
        self.configVersion = configVersion
        self.timeZone = timeZone
        self.feed = feed
        self.logger = logger
        self.onCutOff = onCutOff
        state = Mutex(State(position: feed.since))
        let pump = Task(executorPreference: executor) { [self] in
            do {
                for try await item in feed { deliver(item.event) }
            } catch {
                logger.notice("screen \(screen.id): its event feed ended (\(error)); its clients reconnect")
            }
            end()
        }
        // Comment lines keep idle streams (and the proxies between) open.
        let beats = Task(executorPreference: executor) { [self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: heartbeat)
                if Task.isCancelled { break }
                let comment = ByteBuffer(string: ": \(Int(Date().timeIntervalSince1970))\n\n")
                for outbox in outboxes() { _ = outbox.offer(comment, events: 0) }
            }
        }
        state.withLock { $0.tasks = [pump, beats] }
    }

    /// Adds a stream that has everything up to `since` (already clamped to the log). Nil once
    /// this fan-out has ended (its last stream left, or its feed failed): open a new one.
    func join(_ outbox: ScreenOutbox, since: Int64) -> Membership? {
        state.withLock { s in
            guard !s.ended else { return nil }
            let id = s.nextId
            s.nextId += 1
            s.members[id] = Member(outbox: outbox, after: Swift.max(s.position, since))
            return Membership(id: id, replayAfter: since, replayUpTo: s.position)
        }
    }

    func leave(_ id: UInt64) {
        _ = state.withLock { $0.members.removeValue(forKey: id) }
    }

    /// Ends the fan-out if no stream is left; true when it did (or had already ended).
    func endIfUnused() -> Bool {
        let ended = state.withLock { s -> Bool in
            guard s.members.isEmpty else { return false }
            s.ended = true
            return true
        }
        if ended { stop() }
        return ended
    }

    var hasEnded: Bool { state.withLock { $0.ended } }

    /// Hands `event`'s message to every stream that has not had it, if the screen shows it.
    private func deliver(_ event: StoredEvent) {
        let message = ScreenEvent.view(event, for: screen, timeZone: timeZone).map { ByteBuffer(string: ScreenEvent.message(event, data: $0)) }
        let targets = state.withLock { s -> [ScreenOutbox] in
            s.position = event.seq
            guard message != nil else { return [] }
            return s.members.values.compactMap { $0.after < event.seq ? $0.outbox : nil }
        }
        guard let message else { return }
        let cut = targets.reduce(0) { $0 + ($1.offer(message) == .cutOff ? 1 : 0) }
        guard cut > 0 else { return }
        for _ in 0..<cut { onCutOff() }
        logger.notice("screen \(screen.id): \(cut) client(s) too slow to read its events cut off")
    }

    private func outboxes() -> [ScreenOutbox] { state.withLock { $0.members.values.map(\.outbox) } }

    /// The feed failed or was cut off: every stream ends, each browser reconnects with its last id.
    private func end() {
        let members = state.withLock { s -> [Member] in
            s.ended = true
            defer { s.members = [:] }
            return Array(s.members.values)
        }
        members.forEach { $0.outbox.finish() }
        stop()
    }

    private func stop() {
        let tasks = state.withLock { s -> [Task<Void, Never>] in
            defer { s.stopped = true }
            return s.stopped ? [] : s.tasks
        }
        guard !tasks.isEmpty else { return }
        tasks.forEach { $0.cancel() }
        let feed = self.feed
        Task { await feed.stop() }
    }
}

/// The screens' fan-outs, one per screen (and configuration version: a reload that changes a
/// screen starts a new one for new streams, while open streams finish on the old).
final class ScreenHub: Sendable {
    private struct Key: Hashable {
        let screen: String
        let configVersion: Int
    }

    private let fanOuts = Mutex<[Key: ScreenFanOut]>([:])
    private let bus: EventBus
    private let store: any Store
    private let executor: (any TaskExecutor)?
    private let heartbeat: Duration
    private let logger: Logger
    private let streams: ScreenStreams

    init(bus: EventBus, store: any Store, executor: (any TaskExecutor)?, heartbeat: Duration, streams: ScreenStreams, logger: Logger) {
        self.bus = bus
        self.store = store
        self.executor = executor
        self.heartbeat = heartbeat
        self.streams = streams
        self.logger = logger
    }

    /// Joins `outbox` to `screen`'s fan-out, opening one if none runs. `head` is the log's newest
    /// seq, just read; `since` is already clamped to it.
    func join(_ outbox: ScreenOutbox, screen: ScreenConfig, configVersion: Int, since: Int64, head: Int64,
        daemon: DaemonSettings) -> (ScreenFanOut, ScreenFanOut.Membership) {
        let key = Key(screen: screen.id, configVersion: configVersion)
        while true {
            let fanOut = fanOuts.withLock { all -> ScreenFanOut in
                if let running = all[key], !running.hasEnded { return running }
                // The pump's own queue is bounded like any subscriber's, but it only ever makes one
                // message per event, so it keeps up with any commit rate the store can reach.
                let feed = EventFeed.open(bus: bus, store: store, patterns: ScreenEvent.topics, since: head, head: head,
                    capacity: daemon.subscriberBuffer, byteCapacity: Swift.max(daemon.subscriberBufferBytes, 4 << 20))
                let streams = self.streams
                let made = ScreenFanOut(screen: screen, configVersion: configVersion, timeZone: daemon.timeZone, feed: feed, executor: executor,
                    heartbeat: heartbeat, logger: logger, onCutOff: { streams.cutOff() })
                all[key] = made
                return made
            }
            if let membership = fanOut.join(outbox, since: since) { return (fanOut, membership) }
        }
    }

    /// A stream left: its screen's fan-out stops when no stream is left.
    func leave(_ fanOut: ScreenFanOut, _ membership: ScreenFanOut.Membership) {
        fanOut.leave(membership.id)
        let key = Key(screen: fanOut.screen.id, configVersion: fanOut.configVersion)
        fanOuts.withLock { all in
            if all[key] === fanOut, fanOut.endIfUnused() { all[key] = nil }
        }
    }
}
