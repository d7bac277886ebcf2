import Foundation
import HTTPTypes
import Hummingbird
import KioskCore
import KioskDevices
import KioskProtocol
import KioskStore
import Logging
import ServiceLifecycle
import NIOCore
import Synchronization

/// The hall screens' routes: the page and its files, `/state`, and the event stream. They call
/// the hall's store and event feed directly, never the JSON-RPC dispatcher.
struct ScreenRoutes: Sendable {
    let hall: HallService
    let store: any Store
    let bus: EventBus
    let assets: ScreenAssets
    let streams: ScreenStreams
    /// Messages made once per event and screen, shared by the screen's streams.
    let messages = ScreenMessages()
    /// The `[voice]` device, which renders the announcements screens with `voice = true` play.
    let voice: VoiceDevice?
    let logger: Logger
    /// Comment lines keep idle streams (and the proxies between) open: at least every 15 s.
    var heartbeat: Duration = .seconds(15)

    func register<Context: RequestContext>(on router: Router<Context>) {
        router.get("screens/assets/:file") { _, context -> Response in
            let name = try context.parameters.require("file")
            guard name != "screen.html", let file = assets.files[name] else {
                throw HTTPError(.notFound, message: "no such screen file: \(name)")
            }
            return Self.file(file)
        }
        router.get("screens/:id") { _, context -> Response in
            _ = try screen(context)
            guard let page = assets.files["screen.html"] else {
                throw HTTPError(.serviceUnavailable, message: "the screen page's files were not found (looked in \(assets.origin))")
            }
            return Self.file(page)
        }
        router.get("screens/:id/state") { _, context -> Response in
            let screen = try screen(context)
            let state = try await ScreenState.make(screen: screen, config: hall.config, store: store, now: hall.clock.now())
            var body = ByteBuffer(data: try JSONCoding.encoder.encode(state))
            body.writeString("\n")
            return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
                body: ResponseBody(byteBuffer: body))
        }
        router.get("screens/:id/announcements/:file") { _, context -> Response in
            let screen = try screen(context)
            let file = try context.parameters.require("file")
            guard file.hasSuffix(".wav"), let seq = Int64(file.dropLast(4)), seq > 0 else {
                throw HTTPError(.notFound, message: "announcements are /screens/\(screen.id)/announcements/{seq}.wav")
            }
            guard screen.voice, let voice else {
                throw HTTPError(.notFound, message: "screen \(screen.id) has no voice (voice = true and a [voice] table)")
            }
            // The call event itself: a seq that is not a call of this screen has no announcement.
            guard let event = try await store.read({ try $0.events(after: seq - 1, limit: 1) }).first, event.seq == seq,
                ScreenEvent.view(event, for: screen) != nil, let request = HallVoice.request(for: event, config: hall.config)
            else { throw HTTPError(.notFound, message: "event \(seq) is not a call shown on screen \(screen.id)") }
            let wav: [UInt8]
            do {
                wav = try await voice.announcementWAV(for: request)
            } catch {
                throw HTTPError(.serviceUnavailable, message: "the announcement cannot be made: \(error)")
            }
            return Response(status: .ok, headers: [.contentType: "audio/wav", .cacheControl: "max-age=86400"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: wav)))
        }
        router.get("screens/:id/events") { request, context -> Response in
            let screen = try screen(context)
            let since = try Self.since(request)
            return try await stream(screen, since: since)
        }
    }

    private func screen<Context: RequestContext>(_ context: Context) throws -> ScreenConfig {
        let id = try context.parameters.require("id")
        guard let screen = hall.config.screen(id) else {
            throw HTTPError(.notFound, message: "no screen \"\(id)\"; configured: \(hall.config.screens.map(\.id).joined(separator: ", "))")
        }
        return screen
    }

    /// `Last-Event-ID` (a browser's own reconnect; it wins over the URL it reconnects to) or
    /// `?since=N`; nil streams from now.
    static let lastEventID = HTTPField.Name("Last-Event-ID")!
    static let accelBuffering = HTTPField.Name("X-Accel-Buffering")!

    static func since(_ request: Request) throws -> Int64? {
        if let header = request.headers[Self.lastEventID] {
            return try seq(header.trimmingCharacters(in: .whitespaces), named: "Last-Event-ID")
        }
        return try request.uri.queryParameters.get("since").map { try seq(String($0), named: "since") }
    }

    private static func seq(_ text: String, named name: String) throws -> Int64 {
        guard let n = Int64(text), n >= 0 else {
            throw HTTPError(.badRequest, message: "\(name) must be an event seq (a whole number ≥ 0), not \"\(text.prefix(40))\"")
        }
        return n
    }

    private func stream(_ screen: ScreenConfig, since: Int64?) async throws -> Response {
        let daemon = hall.config.daemon, store = self.store, bus = self.bus
        let streams = self.streams, heartbeat = self.heartbeat, logger = self.logger, messages = self.messages, hall = self.hall
        // The feed opens when the body is written: a HEAD request (headers only) never opens one.
        let body = ResponseBody { writer in
            let feed = try await EventFeed.open(bus: bus, store: store, patterns: ScreenEvent.topics, since: since,
                capacity: daemon.subscriberBuffer, byteCapacity: daemon.subscriberBufferBytes)
            streams.opened(screen.id)
            defer { streams.closed(screen.id) }
            // One producer of lines for the writer: the feed's events and the heartbeat, merged. The
            // merge is bounded too: a client that stops reading fills it, and is cut off like a
            // slow socket subscriber (its browser reconnects with the last id it got).
            let (lines, sink) = AsyncStream<ByteBuffer>.makeStream(bufferingPolicy: .bufferingOldest(Swift.max(16, Swift.min(daemon.subscriberBuffer, 1_024))))
            let events = Task {
                do {
                    for try await item in feed {
                        guard let message = messages.message(item.event, for: screen, configVersion: hall.configVersion) else {
                            continue
                        }
                        if case .dropped = sink.yield(ByteBuffer(string: message)) {
                            logger.notice("screen \(screen.id): a client too slow to read its events was cut off")
                            break
                        }
                    }
                } catch {
                    logger.debug("screen \(screen.id): event stream ended: \(error)")
                }
                sink.finish()
            }
            let beats = Task {
                while !Task.isCancelled {
                    try? await Task.sleep(for: heartbeat)
                    sink.yield(ByteBuffer(string: ": \(Int(Date().timeIntervalSince1970))\n\n"))
                }
            }
            defer {
                events.cancel()
                beats.cancel()
            }
            // A browser retries 2 s after a drop, with the last id it saw.
            try await writer.write(ByteBuffer(string: "retry: 2000\n: kioskd screen \(screen.id) after \(feed.since)\n\n"))
            do {
                // kioskd stopping ends the stream (the browser reconnects to the next kioskd);
                // without this a connected screen would hold the shutdown forever.
                try await withGracefulShutdownHandler {
                    for await line in lines { try await writer.write(line) }
                } onGracefulShutdown: {
                    sink.finish()
                }
            } catch {
                await feed.stop()
                throw error
            }
            await feed.stop()
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: [
            .contentType: "text/event-stream; charset=utf-8", .cacheControl: "no-store", Self.accelBuffering: "no",
        ], body: body)
    }

    static func file(_ file: ScreenAssets.File) -> Response {
        Response(status: .ok, headers: [.contentType: file.contentType, .cacheControl: "no-cache"],
            body: ResponseBody(byteBuffer: file.bytes))
    }
}

/// How many event streams each screen has open (`kioskctl screens`).
final class ScreenStreams: Sendable {
    private let open = Mutex<[String: Int]>([:])
    func opened(_ id: String) { open.withLock { $0[id, default: 0] += 1 } }
    func closed(_ id: String) { open.withLock { $0[id, default: 1] -= 1 } }
    var counts: [String: Int] { open.withLock { $0 } }
}
