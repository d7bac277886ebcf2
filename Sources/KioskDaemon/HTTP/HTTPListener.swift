import Hummingbird
import KioskCore
import Logging
import NIOCore
import ServiceLifecycle

/// The read-only HTTP listener (`[http] listen`): hall screens and `/healthz`. A Hummingbird
/// application, which is itself a `Service` in the daemon's service group beside the socket
/// server. It never carries an ID number, an address or a full name: screens get the allow-listed
/// view of events (`ScreenEvent`), health a one-line reason.
enum HTTPListener {
    static func make(
        settings: HTTPSettings, screens: ScreenRoutes, health: @escaping @Sendable () async -> HealthCheck.Outcome,
        eventLoops: any EventLoopGroup, logger: Logger
    ) -> some Service {
        // HEAD is answered wherever GET is, with the same headers and no body.
        let router = Router(options: .autoGenerateHeadEndpoints)
        router.add(middleware: ReadOnlyMiddleware())
        router.add(middleware: KioskErrorMiddleware())
        router.get("healthz") { _, _ -> Response in HealthCheck.response(await health()) }
        screens.register(on: router)
        var httpLogger = logger
        // Hummingbird logs each request at debug; the daemon's level already says what the hall wants.
        httpLogger[metadataKey: "listener"] = "http"
        return Application(
            router: router,
            // A connection idle for a minute is closed: idle screens hold their event stream,
            // which carries a comment every 15 s; anything else idle is let go.
            server: .http1(configuration: .init(idleTimeout: .seconds(60))),
            configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "kioskd", backlog: 256),
            eventLoopGroupProvider: .shared(eventLoops), logger: httpLogger)
    }
}

/// `GET /healthz`: 200 `ok`, or 503 with the reason (the store or the event loop unwell).
enum HealthCheck {
    enum Outcome: Sendable, Equatable {
        case ok
        case unwell(String)
    }

    static func response(_ outcome: Outcome) -> Response {
        switch outcome {
        case .ok:
            return Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8", .cacheControl: "no-store"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: "ok\n")))
        case .unwell(let reason):
            return Response(status: .serviceUnavailable, headers: [.contentType: "text/plain; charset=utf-8", .cacheControl: "no-store"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: reason + "\n")))
        }
    }
}
