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
    let assets: ScreenAssets
    let streams: ScreenStreams
    /// Messages made once per event and screen, for the streams' replays.
    let messages: ScreenMessages
    /// The `[voice]` device, which renders the announcements screens with `voice = true` play.
    let voice: VoiceDevice?
    let logger: Logger
    /// Where the streams run and write: the listener's own event loop.
    let executor: (any TaskExecutor)?
    /// Each screen's live events, shared by its streams.
    let hub: ScreenHub

    /// `heartbeat`: comment lines keep idle streams (and the proxies between) open, at least every 15 s.
    init(hall: HallService, store: any Store, bus: EventBus, assets: ScreenAssets, streams: ScreenStreams,
        voice: VoiceDevice?, executor: (any TaskExecutor)?, heartbeat: Duration = .seconds(15), logger: Logger) {
        self.hall = hall
        self.store = store
        self.assets = assets
        self.streams = streams
        self.voice = voice
        self.executor = executor
        self.logger = logger
        messages = ScreenMessages(timeZone: hall.config.daemon.timeZone)
        hub = ScreenHub(bus: bus, store: store, executor: executor, heartbeat: heartbeat, streams: streams, logger: logger)
    }

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
                ScreenEvent.view(event, for: screen, timeZone: hall.config.daemon.timeZone) != nil, let request = HallVoice.request(for: event, config: hall.config)
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
        let daemon = hall.config.daemon, configVersion = hall.configVersion
        let store = self.store, streams = self.streams, logger = self.logger, messages = self.messages
        let hub = self.hub, executor = self.executor
        // The stream opens when the body is written: a HEAD request (headers only) never opens one.
        let body = ResponseBody { writer in
            let head = try await store.read { try $0.lastEventSeq() }
            // A seq beyond the log (a screen that remembers one from a replaced database) starts now.
            let start = Swift.min(Swift.max(0, since ?? head), head)
            let outbox = ScreenOutbox(capacity: daemon.subscriberBuffer, byteCapacity: daemon.subscriberBufferBytes)
            let (fanOut, membership) = hub.join(outbox, screen: screen, configVersion: configVersion, since: start, head: head,
                daemon: daemon)
            streams.opened(screen.id)
            defer {
                streams.closed(screen.id)
                hub.leave(fanOut, membership)
            }
            try await withTaskExecutorPreference(executor) {
                // A browser retries 2 s after a drop, with the last id it saw.
                try await writer.write(ByteBuffer(string: "retry: 2000\n: kioskd screen \(screen.id) after \(start)\n\n"))
                // kioskd stopping ends the stream (the browser reconnects to the next kioskd);
                // without this a connected screen would hold the shutdown forever.
                try await withGracefulShutdownHandler {
                    try await Self.replay(screen, configVersion: configVersion, after: membership.replayAfter,
                        upTo: membership.replayUpTo, store: store, messages: messages, into: &writer)
                    while let parts = await outbox.next() {
                        try await writer.write(ScreenOutbox.joined(parts))
                    }
                } onGracefulShutdown: {
                    outbox.finish()
                }
            }
            if outbox.wasCutOff { logger.debug("screen \(screen.id): a stream too slow to read its events was ended") }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: [
            .contentType: "text/event-stream; charset=utf-8", .cacheControl: "no-store", Self.accelBuffering: "no",
        ], body: body)
    }

    /// The stored events in (`after`, `upTo`] that `screen` shows, written in batches.
    private static func replay(
        _ screen: ScreenConfig, configVersion: Int, after: Int64, upTo: Int64, store: any Store, messages: ScreenMessages,
        into writer: inout some ResponseBodyWriter
    ) async throws {
        var last = after
        while last < upTo {
            let from = last
            let batch = try await store.read { try $0.events(after: from, limit: 500) }.filter { $0.seq <= upTo }
            guard let newest = batch.last else { break }
            let lines = batch.compactMap { messages.message($0, for: screen, configVersion: configVersion) }
            if !lines.isEmpty { try await writer.write(ByteBuffer(string: lines.joined())) }
            last = newest.seq
        }
    }

    static func file(_ file: ScreenAssets.File) -> Response {
        Response(status: .ok, headers: [.contentType: file.contentType, .cacheControl: "no-cache"],
            body: ResponseBody(byteBuffer: file.bytes))
    }
}

/// How many event streams each screen has open (`kioskctl screens`), and how many were cut off
/// for reading too slowly (`daemon.status` `slowSubscribersCut`, with the socket's).
final class ScreenStreams: Sendable {
    private let state = Mutex<(open: [String: Int], cut: UInt64)>(([:], 0))
    func opened(_ id: String) { state.withLock { $0.open[id, default: 0] += 1 } }
    func closed(_ id: String) { state.withLock { $0.open[id, default: 1] -= 1 } }
    func cutOff() { state.withLock { $0.cut += 1 } }
    var counts: [String: Int] { state.withLock { $0.open } }
    var open: Int { state.withLock { $0.open.values.reduce(0, +) } }
    var cut: UInt64 { state.withLock { $0.cut } }
}
