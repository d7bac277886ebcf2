import KioskCore
import KioskProtocol
import KioskStore
import Logging
import NIOCore

/// One connection's `events.subscribe`: the answer, then its `EventFeed` (stored events after
/// `since`, then live ones) written to the connection. A second subscribe replaces the first:
/// the old feed is stopped and its writer awaited before the new answer is written, so the two
/// never interleave and the connection stays open. A feed cut off for slowness, or whose replay
/// failed, closes the connection: the client reconnects with its last `seq`.
struct EventSubscription {
    private var feed: EventFeed?
    private var pump: Task<Void, Never>?

    /// Stops the current subscription (if any) and starts one for `params`, answering `id`.
    mutating func replace(_ params: SubscribeParams, id: RPCId?, outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>,
        connection: Connection) async throws {
        let patterns = params.topics ?? ["*"]
        guard !patterns.isEmpty, patterns.allSatisfy({ !$0.isEmpty && $0.count <= 64 }) else {
            throw KioskError.invalidParams("topics must be a non-empty array of topic names or prefixes ending in *")
        }
        await stop()
        let server = connection.server, daemon = server.dispatcher.hall.config.daemon
        let feed = try await EventFeed.open(
            bus: server.bus, store: server.store, patterns: patterns, since: params.since,
            capacity: daemon.subscriberBuffer, byteCapacity: daemon.subscriberBufferBytes,
            onCutOff: { server.slowSubscriberCut() })
        self.feed = feed
        if id != nil {
            try await outbound.write(Connection.encode(RPCResponse(id: id, result: .object([
                "topics": .array(patterns.map(JSONValue.string)), "since": .int(feed.since), "head": .int(feed.head),
            ]))))
        }
        let channel = connection.channel.channel, logger = server.logger, sessionId = connection.session.id
        pump = Task {
            do {
                for try await item in feed { try await outbound.write(item.line) }
            } catch is EventFeed.CutOff {
                logger.debug("connection \(sessionId): subscriber cut off (too slow)")
                channel.close(promise: nil)
            } catch let e as EventFeed.ReplayFailed {
                logger.failure(.error, "connection \(sessionId): event replay failed, closing it so the client reconnects", e.underlying)
                channel.close(promise: nil)
            } catch {
                // The channel closed under the writer: nothing more to do.
            }
        }
    }

    /// Ends the subscription: no more events, the writer finished.
    mutating func stop() async {
        if let feed { await feed.stop() }
        if let pump {
            pump.cancel()
            await pump.value
        }
        feed = nil
        pump = nil
    }
}
