import Logging
import NIOCore

/// Logs why `accept` fails — out of descriptors (EMFILE/ENFILE) or memory — at most once a
/// minute. NIO's own `AcceptBackoffHandler`, after this one, pauses accepting for a second on
/// these errors, so a full descriptor table never spins the event loop.
final class AcceptErrorLogger: ChannelInboundHandler, Sendable {
    typealias InboundIn = any Channel

    let logger: Logger
    let throttle: LogThrottle

    init(logger: Logger, throttle: LogThrottle) {
        self.logger = logger
        self.throttle = throttle
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let io = error as? IOError {
            throttle.note("accept") { more in
                logger.error("cannot accept connections: \(io) — out of descriptors? raise LimitNOFILE or lower max_connections\(more)")
            }
        }
        context.fireErrorCaught(error)
    }
}
