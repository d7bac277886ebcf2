import KioskCore
import KioskProtocol
import Logging
import NIOCore
import Synchronization

/// Memory all connections together may hold in unfinished lines. Each connection holds up to
/// `allowance` bytes of an unfinished line on its own account (every real request is far smaller);
/// beyond that it draws on this shared budget, so a flood of connections each sending a huge
/// partial line cannot take the daemon's memory.
final class LineBudget: Sendable {
    static let allowance = 64 * 1024
    let limit: Int
    private let used = Atomic<Int>(0)

    init(limit: Int) { self.limit = limit }

    /// Takes `bytes` from the budget; false (and nothing taken) when it would go over.
    func draw(_ bytes: Int) -> Bool {
        let now = used.wrappingAdd(bytes, ordering: .relaxed).newValue
        if now <= limit { return true }
        used.wrappingSubtract(bytes, ordering: .relaxed)
        return false
    }

    func giveBack(_ bytes: Int) { used.wrappingSubtract(bytes, ordering: .relaxed) }

    var inUse: Int { used.load(ordering: .relaxed) }
}

/// Sits in front of the line decoder and bounds what an unfinished line costs: its memory (see
/// `LineBudget`) and its time — a line must end within `timeout` of its first byte, so a client
/// that trickles bytes (slowloris) or stops mid-line is answered and closed instead of holding a
/// connection and its buffer forever.
final class PartialLineGuard: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let budget: LineBudget
    private let timeout: TimeAmount
    private let onRefusal: @Sendable (Refusal) -> Void
    /// Bytes received since the last newline.
    private var pending = 0
    /// The part of `pending` drawn from the shared budget.
    private var charged = 0
    private var deadline: Scheduled<Void>?
    private var refused = false

    init(budget: LineBudget, timeout: TimeAmount, onRefusal: @escaping @Sendable (Refusal) -> Void) {
        self.budget = budget
        self.timeout = timeout
        self.onRefusal = onRefusal
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !refused else { return }
        let view = unwrapInboundIn(data).readableBytesView
        let newline = view.lastIndex(of: UInt8(ascii: "\n"))
        if let newline { pending = view.endIndex - newline - 1 } else { pending += view.count }

        let wanted = max(0, pending - LineBudget.allowance)
        if wanted > charged {
            guard budget.draw(wanted - charged) else {
                refuse(context, .kiosk(KioskError(.overloaded,
                    "kioskd holds \(budget.limit / 1_048_576) MiB of unfinished lines from all clients, its limit; send whole lines, then retry")))
                return
            }
        } else if wanted < charged {
            budget.giveBack(charged - wanted)
        }
        charged = wanted

        // The clock runs from the first byte of the unfinished line.
        if newline != nil {
            deadline?.cancel()
            deadline = nil
        }
        if pending > 0, deadline == nil {
            let seconds = timeout.nanoseconds / 1_000_000_000
            deadline = context.eventLoop.assumeIsolated().scheduleTask(in: timeout) { [weak self, context] in
                self?.refuse(context, .kiosk(KioskError(.lineTimeout,
                    "a line must end (newline) within \(seconds) s of its first byte")))
            }
        }
        context.fireChannelRead(data)
    }

    func channelInactive(context: ChannelHandlerContext) {
        release()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) { release() }

    private func release() {
        deadline?.cancel()
        deadline = nil
        if charged > 0 { budget.giveBack(charged) }
        charged = 0
        pending = 0
    }

    /// One error line, then close; nothing more is read.
    private func refuse(_ context: ChannelHandlerContext, _ refusal: Refusal) {
        guard !refused else { return }
        refused = true
        release()
        onRefusal(refusal)
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(Connection.encode(RPCResponse(id: nil, error: refusal.error)))).whenComplete { _ in
            channel.close(promise: nil)
        }
    }
}
