import KioskCore
import KioskProtocol
import NIOCore

/// One inbound unit of the newline-delimited protocol.
enum InboundFrame: Sendable {
    case line(ByteBuffer)
    /// The connection must end: the refusal is answered, then the connection is closed.
    case refused(Refusal)
}

/// Why a connection is answered one last error and closed.
struct Refusal: Sendable {
    let error: RPCError
    /// For the daemon's log.
    let logLine: String

    static func lineTooLong(_ limit: Int) -> Refusal {
        Refusal(error: .lineTooLong(limit: limit), logLine: "line over \(limit) bytes")
    }

    static func kiosk(_ error: KioskError) -> Refusal {
        Refusal(error: Dispatcher.rpcError(error), logLine: error.message)
    }
}

/// Splits the byte stream at `\n` (a trailing `\r` is tolerated and not counted), refusing lines
/// over the limit without buffering them.
struct LineFrameDecoder: ByteToMessageDecoder {
    typealias InboundOut = InboundFrame
    let maxLength: Int
    private var scanned = 0
    private var overflowed = false

    init(maxLength: Int = Framing.maxLineBytes) { self.maxLength = maxLength }

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        if overflowed {
            buffer.moveReaderIndex(forwardBy: buffer.readableBytes)
            return .needMoreData
        }
        let view = buffer.readableBytesView
        if let nl = view[(view.startIndex + scanned)...].firstIndex(of: UInt8(ascii: "\n")) {
            var length = nl - view.startIndex
            scanned = 0
            let crlf = length > 0 && view[nl - 1] == UInt8(ascii: "\r")
            if crlf { length -= 1 }
            guard length <= maxLength else { return overflow(context: context, buffer: &buffer) }
            let line = buffer.readSlice(length: length)!
            buffer.moveReaderIndex(forwardBy: crlf ? 2 : 1)
            context.fireChannelRead(wrapInboundOut(.line(line)))
            return .continue
        }
        scanned = view.count
        // A line of exactly the limit may be followed by the `\r` of its CRLF before the `\n`.
        let held = view.last == UInt8(ascii: "\r") ? view.count - 1 : view.count
        if held > maxLength { return overflow(context: context, buffer: &buffer) }
        return .needMoreData
    }

    private mutating func overflow(context: ChannelHandlerContext, buffer: inout ByteBuffer) -> DecodingState {
        overflowed = true
        buffer.moveReaderIndex(forwardBy: buffer.readableBytes)
        context.fireChannelRead(wrapInboundOut(.refused(.lineTooLong(maxLength))))
        return .needMoreData
    }

    mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        // A last line without newline is still a request.
        if !overflowed, buffer.readableBytes > 0, buffer.readableBytes <= maxLength {
            let line = buffer.readSlice(length: buffer.readableBytes)!
            context.fireChannelRead(wrapInboundOut(.line(line)))
        }
        buffer.moveReaderIndex(forwardBy: buffer.readableBytes)
        return .needMoreData
    }
}
