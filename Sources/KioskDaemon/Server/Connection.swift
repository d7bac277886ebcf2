import Foundation
import KioskCore
import KioskProtocol
import KioskStore
import Logging
import NIOCore

/// Serves one client: reads lines in order, answers each, and streams events after
/// `events.subscribe` (an `EventFeed`). Requests of one connection are handled one at a time,
/// in order.
struct Connection {
    let channel: NIOAsyncChannel<InboundFrame, ByteBuffer>
    let session: Session
    let server: SocketServer

    func run() async {
        var subscription = EventSubscription()
        do {
            try await channel.executeThenClose { inbound, outbound in
                // Answers are written straight to the channel, awaited, so they leave in order;
                // a subscription's events are written by its own task (`EventSubscription`).
                for try await frame in inbound {
                    guard case .line(let line) = frame else {
                        if case .refused(let refusal) = frame {
                            try? await outbound.write(Self.encode(RPCResponse(id: nil, error: refusal.error)))
                            server.logger.warning("connection \(session.id): \(refusal.logLine), closing")
                        }
                        break
                    }
                    if line.readableBytesView.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
                    let request: RPCRequest
                    switch RequestLine.decode(line) {
                    case .request(let r): request = r
                    case .failure(let id, let error, let answer):
                        if answer { try await outbound.write(Self.encode(RPCResponse(id: id, error: error))) }
                        continue
                    }
                    if server.isDraining {
                        if request.id != nil {
                            try await outbound.write(Self.encode(RPCResponse(id: request.id, error: Dispatcher.rpcError(
                                KioskError(.shuttingDown, "kioskd is shutting down; retry in a moment")))))
                        }
                        continue
                    }
                    if request.method == Method.eventsSubscribe.rawValue, MethodTable.allows(session.role, .eventsSubscribe) {
                        do {
                            let params = try Dispatcher.decodeParams(SubscribeParams.self, from: request.params)
                            try await subscription.replace(params, id: request.id, outbound: outbound, connection: self)
                        } catch where request.id != nil {
                            try await outbound.write(Self.encode(RPCResponse(id: request.id, error: Dispatcher.rpcError(error))))
                        } catch {}
                        continue
                    }
                    server.requestStarted()
                    let result = await handle(request)
                    server.requestFinished()
                    // JSON-RPC notifications (no id) get no answer; a request whose client went
                    // away (nil) has no one to answer.
                    guard request.id != nil, let result else { continue }
                    switch result {
                    case .success(let value): try await outbound.write(Self.encode(id: request.id, result: value))
                    case .failure(let error): try await outbound.write(Self.encode(RPCResponse(id: request.id, error: error)))
                    }
                }
                await subscription.stop()
            }
        } catch {
            server.logger.debug("connection \(session.id) ended: \(error)")
        }
        await subscription.stop()
    }

    /// Answers one request. A request that only waits on the outside world (an ID card read) is
    /// cancelled when its client goes away, so a dead kiosk shell never holds the reader; one
    /// that changes the hall runs to its end either way (nil: the client is gone).
    private func handle(_ request: RPCRequest) async -> Result<any Encodable & Sendable, RPCError>? {
        guard Method(rawValue: request.method)?.endsWithItsClient == true else {
            return await server.dispatcher.handle(request, session: session)
        }
        let channel = self.channel.channel
        return await withTaskGroup(of: Result<any Encodable & Sendable, RPCError>?.self) { group in
            group.addTask { [server, session] in await server.dispatcher.handle(request, session: session) }
            group.addTask {
                while channel.isActive, !Task.isCancelled { try? await Task.sleep(for: .milliseconds(100)) }
                return nil
            }
            let first = await group.next()!
            group.cancelAll()
            return first
        }
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

