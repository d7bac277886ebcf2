import Foundation
import KioskCore
import KioskProtocol
import KioskStore
import Logging
import NIOCore

/// Serves one client: reads lines in order, answers each, and streams events after
/// `events.subscribe`. Requests of one connection are handled one at a time, in order.
struct Connection {
    let channel: NIOAsyncChannel<InboundFrame, ByteBuffer>
    let session: Session
    let server: SocketServer

    func run() async {
        let queue = OutboundQueue(capacity: max(1, server.dispatcher.hall.config.daemon.subscriberBuffer))
        var subscription: UInt64?
        var replay: Task<Void, Never>?
        defer {
            if let subscription { server.bus.unsubscribe(subscription) }
            replay?.cancel()
        }
        do {
            try await channel.executeThenClose { inbound, outbound in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        while let buffer = await queue.next() { try await outbound.write(buffer) }
                    }
                    defer { queue.finish() }
                    for try await frame in inbound {
                        guard case .line(let line) = frame else {
                            await queue.enqueue(Self.encode(RPCResponse(id: nil, error: .lineTooLong(limit: Framing.maxLineBytes))))
                            server.logger.warning("connection \(session.id): line over \(Framing.maxLineBytes) bytes, closing")
                            break
                        }
                        if line.readableBytesView.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
                        let request: RPCRequest
                        switch Self.decode(line) {
                        case .request(let r): request = r
                        case .failure(let id, let error):
                            await queue.enqueue(Self.encode(RPCResponse(id: id, error: error)))
                            continue
                        }
                        if request.method == Method.eventsSubscribe.rawValue, MethodPolicy.allows(session.role, .eventsSubscribe) {
                            if server.isDraining {
                                if request.id != nil {
                                    await queue.enqueue(Self.encode(RPCResponse(id: request.id, error: Dispatcher.rpcError(
                                        KioskError(.shuttingDown, "kioskd is shutting down; retry in a moment")))))
                                }
                                continue
                            }
                            do {
                                let (id, task) = try await subscribe(request, line: Data(line.readableBytesView), queue: queue, replacing: subscription)
                                replay?.cancel()
                                subscription = id
                                replay = task
                            } catch where request.id != nil {
                                await queue.enqueue(Self.encode(RPCResponse(id: request.id, error: Dispatcher.rpcError(error))))
                            } catch {}
                            continue
                        }
                        let response: ByteBuffer
                        if server.isDraining {
                            response = Self.encode(RPCResponse(id: request.id, error: Dispatcher.rpcError(
                                KioskError(.shuttingDown, "kioskd is shutting down; retry in a moment"))))
                        } else {
                            server.requestStarted()
                            let result = await server.dispatcher.handle(request, raw: Data(line.readableBytesView), session: session)
                            server.requestFinished()
                            switch result {
                            case .success(let value): response = Self.encode(id: request.id, result: value)
                            case .failure(let error): response = Self.encode(RPCResponse(id: request.id, error: error))
                            }
                        }
                        // JSON-RPC notifications (no id) get no answer.
                        if request.id != nil { await queue.enqueue(response) }
                    }
                    queue.finish()
                    try await group.next()
                    group.cancelAll()
                }
            }
        } catch {
            server.logger.debug("connection \(session.id) ended: \(error)")
        }
    }

    /// `events.subscribe {topics, since?}`: answer, replay stored events after `since`, then live.
    private func subscribe(_ request: RPCRequest, line: Data, queue: OutboundQueue, replacing old: UInt64?) async throws -> (UInt64, Task<Void, Never>) {
        let p = try Dispatcher.decodeParams(SubscribeParams.self, line: line)
        let patterns = p.topics ?? ["*"]
        guard !patterns.isEmpty, patterns.allSatisfy({ !$0.isEmpty && $0.count <= 64 }) else {
            throw RPCError.invalidParams("topics must be a non-empty array of topic names or prefixes ending in *")
        }
        let store = server.store
        let head = try await store.read { try $0.lastEventSeq() }
        // A `since` beyond the log (a display that remembers a seq from a restored or replaced
        // database) starts from the head, so live events are not held back until seq catches up.
        let since = min(max(0, p.since ?? head), head)
        if let old { server.bus.unsubscribe(old) }
        let channel = self.channel.channel
        let logger = server.logger, sessionId = session.id
        let id = server.bus.subscribe(patterns: patterns, after: since) { _, line in
            guard queue.offer(ByteBuffer(string: line)) else {
                logger.warning("connection \(sessionId): subscriber too slow, cut off")
                channel.close(promise: nil)
                return false
            }
            return true
        }
        if request.id != nil {
            await queue.enqueue(Self.encode(RPCResponse(id: request.id, result: .object([
                "topics": .array(patterns.map(JSONValue.string)), "since": .int(since), "head": .int(head),
            ]))))
        }
        let tz = server.dispatcher.hall.config.daemon.timeZone, bus = server.bus
        let task = Task {
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
                } while !Task.isCancelled && !bus.goLive(id, replayedUpTo: last)
            } catch {
                logger.failure(.error, "connection \(sessionId): event replay failed", error)
                channel.close(promise: nil)
            }
        }
        return (id, task)
    }

    enum Decoded {
        case request(RPCRequest)
        /// Unusable line; the id is echoed when it could be read.
        case failure(RPCId?, RPCError)
    }

    static func decode(_ line: ByteBuffer) -> Decoded {
        let json: JSONValue
        do {
            json = try JSONParser.parse(line.readableBytesView)
        } catch {
            return .failure(nil, .parse("not valid JSON (\(error.description)): send one JSON-RPC object per line"))
        }
        guard case .object(let o) = json else { return .failure(nil, .invalidRequest("a request is a JSON object")) }
        var id: RPCId?
        switch o["id"] {
        case nil, .null?: id = nil
        case .int(let n)?: id = .number(n)
        case .string(let s)?: id = .string(s)
        default: return .failure(nil, .invalidRequest("id must be a number or a string"))
        }
        guard o["jsonrpc"] == .string("2.0") else { return .failure(id, .invalidRequest("jsonrpc must be \"2.0\"")) }
        guard case .string(let method)? = o["method"], !method.isEmpty else {
            return .failure(id, .invalidRequest("method must be a non-empty string"))
        }
        if let params = o["params"], params.objectValue == nil, !params.isNull {
            return .failure(id, .invalidParams("params must be an object"))
        }
        return .request(RPCRequest(id: id, method: method, params: o["params"]))
    }

    /// A success response, encoding the handler's result once, straight to the wire.
    static func encode(id: RPCId?, result: any Encodable & Sendable) -> ByteBuffer {
        if let raw = result as? PreEncodedJSON {
            // Keys in sorted order, like every other response.
            var buffer = ByteBuffer(string: "{\"id\":")
            buffer.writeBytes((try? JSONCoding.encoder.encode(id)) ?? Data("null".utf8))
            buffer.writeString(",\"jsonrpc\":\"2.0\",\"result\":")
            buffer.writeBytes(raw.data)
            buffer.writeString("}\n")
            return buffer
        }
        struct Success: Encodable {
            let id: RPCId?
            let result: any Encodable
            enum CodingKeys: String, CodingKey { case jsonrpc, id, result }
            func encode(to encoder: Encoder) throws {
                var c = encoder.container(keyedBy: CodingKeys.self)
                try c.encode("2.0", forKey: .jsonrpc)
                if let id { try c.encode(id, forKey: .id) } else { try c.encodeNil(forKey: .id) }
                try result.encode(to: c.superEncoder(forKey: .result))
            }
        }
        do {
            var data = try JSONCoding.encoder.encode(Success(id: id, result: result))
            data.append(0x0A)
            return ByteBuffer(bytes: data)
        } catch {
            return encode(RPCResponse(id: id, error: RPCError(code: RPCError.internalError,
                message: "cannot encode the result: \(error)", reason: "internal")))
        }
    }

    static func encode(_ response: RPCResponse) -> ByteBuffer {
        var data = (try? JSONCoding.encoder.encode(response)) ?? Data(#"{"jsonrpc":"2.0","id":null,"error":{"code":-32603,"message":"encoding failed"}}"#.utf8)
        data.append(0x0A)
        return ByteBuffer(bytes: data)
    }
}

