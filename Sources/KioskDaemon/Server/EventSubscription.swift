import KioskCore
import KioskProtocol
import KioskStore
import Logging
import NIOCore

/// One connection's `events.subscribe`: the answer, then the stored events after `since`
/// replayed from the log, then live ones from the bus. A second subscribe replaces the first:
/// the old replay is stopped and awaited before anything of the new one is queued, so the two
/// never interleave and the connection stays open.
struct EventSubscription {
    private var busId: UInt64?
    private var replay: Task<Void, Never>?

    /// Stops the current subscription (if any) and starts one for `params`.
    mutating func replace(_ params: SubscribeParams, id: RPCId?, queue: OutboundQueue, connection: Connection) async throws {
        let patterns = params.topics ?? ["*"]
        guard !patterns.isEmpty, patterns.allSatisfy({ !$0.isEmpty && $0.count <= 64 }) else {
            throw RPCError.invalidParams("topics must be a non-empty array of topic names or prefixes ending in *")
        }
        await stop(connection.server.bus)
        let store = connection.server.store
        let head = try await store.read { try $0.lastEventSeq() }
        // A `since` beyond the log (a display that remembers a seq from a restored or replaced
        // database) starts from the head, so live events are not held back until seq catches up.
        let since = min(max(0, params.since ?? head), head)
        let busId = connection.server.bus.subscribe(patterns: patterns, after: since, deliver: { _, line in
            queue.offer(line)
        }, cutOff: { [channel = connection.channel.channel, server = connection.server] in
            queue.abandon()
            server.slowSubscriberCut()
            channel.close(promise: nil)
        })
        self.busId = busId
        if id != nil {
            await queue.enqueue(Connection.encode(RPCResponse(id: id, result: .object([
                "topics": .array(patterns.map(JSONValue.string)), "since": .int(since), "head": .int(head),
            ]))))
        }
        let bus = connection.server.bus, tz = connection.server.dispatcher.hall.config.daemon.timeZone, logger = connection.server.logger, channel = connection.channel.channel
        let sessionId = connection.session.id
        replay = Task {
            var last = since
            do {
                repeat {
                    while !Task.isCancelled {
                        let from = last
                        let batch = try await store.read { try $0.events(after: from, limit: 500) }
                        if batch.isEmpty { break }
                        for e in batch where EventTopic.matches(any: patterns, e.topic) {
                            guard await queue.enqueue(ByteBuffer(string: EventLine.encode(e, timeZone: tz))) else { return }
                        }
                        last = batch.last!.seq
                    }
                } while !Task.isCancelled && !bus.goLive(busId, replayedUpTo: last)
            } catch {
                // Replaced or closed: nothing went wrong.
                if Task.isCancelled || error is CancellationError { return }
                logger.failure(.error, "connection \(sessionId): event replay failed, closing it so the client reconnects", error)
                channel.close(promise: nil)
            }
        }
    }

    /// Ends the subscription: no more live events, the replay stopped and finished.
    mutating func stop(_ bus: EventBus) async {
        if let busId { bus.unsubscribe(busId) }
        busId = nil
        if let replay {
            replay.cancel()
            await replay.value
        }
        replay = nil
    }
}
