import Foundation
import KioskCore
import KioskProtocol
import NIOCore
import NIOEmbedded
import NIOTestUtils
import Testing
@testable import KioskDaemon

/// The socket's framing: lines split at `\n` (CRLF tolerated), lines over the limit refused.
@Suite struct LineFramingTests {
    func line(_ s: String) -> ByteBuffer { ByteBuffer(string: s) }

    @Test func splitsLinesAndToleratesCRLF() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(LineFrameDecoder(maxLength: 16)))
        try channel.writeInbound(ByteBuffer(string: "{\"a\":1}\r\n{\"b\"")) 
        try channel.writeInbound(ByteBuffer(string: ":2}\n"))
        #expect(try frames(channel) == ["{\"a\":1}", "{\"b\":2}"])
    }

    @Test func aLineOfExactlyTheLimitIsALineWhetherItEndsInLFOrCRLF() throws {
        let body = String(repeating: "x", count: 16)
        for ending in ["\n", "\r\n"] {
            let channel = EmbeddedChannel(handler: ByteToMessageHandler(LineFrameDecoder(maxLength: 16)))
            // The ending may arrive in a read of its own, after the limit is already reached.
            try channel.writeInbound(ByteBuffer(string: body + ending.dropLast()))
            try channel.writeInbound(ByteBuffer(string: "\n"))
            #expect(try frames(channel) == [body], "ending \(ending.debugDescription)")
        }
    }

    @Test func oneByteOverTheLimitIsRefusedEitherWay() throws {
        for ending in ["\n", "\r\n"] {
            let channel = EmbeddedChannel(handler: ByteToMessageHandler(LineFrameDecoder(maxLength: 16)))
            try channel.writeInbound(ByteBuffer(string: String(repeating: "x", count: 17) + ending))
            #expect(try frames(channel) == ["refused: line_too_long"])
        }
    }

    @Test func theDecoderHoldsNoStateAcrossArbitrarySplits() throws {
        let input = ByteBuffer(string: "{\"id\":1}\n{\"id\":2}\r\n\n")
        try ByteToMessageDecoderVerifier.verifyDecoder(
            inputOutputPairs: [(input, [.line(line("{\"id\":1}")), .line(line("{\"id\":2}")), .line(line(""))])],
            decoderFactory: { LineFrameDecoder(maxLength: 64) })
    }

    func frames(_ channel: EmbeddedChannel) throws -> [String] {
        var out: [String] = []
        while let frame = try channel.readInbound(as: InboundFrame.self) {
            switch frame {
            case .line(let b): out.append(String(buffer: b))
            case .refused(let r): out.append("refused: \(r.error.reason ?? "")")
            }
        }
        return out
    }
}

extension InboundFrame: Equatable {
    public static func == (a: InboundFrame, b: InboundFrame) -> Bool {
        switch (a, b) {
        case (.line(let x), .line(let y)): x == y
        case (.refused(let x), .refused(let y)): x.error == y.error
        default: false
        }
    }
}

/// What an unfinished line may cost: memory from a shared budget beyond a small allowance, and
/// time from its first byte.
@Suite struct PartialLineGuardTests {
    /// An active (connected) channel with the guard in front.
    func channel(budget: LineBudget, timeout: TimeAmount = .seconds(30)) throws -> EmbeddedChannel {
        let c = EmbeddedChannel(handler: PartialLineGuard(budget: budget, timeout: timeout) { _ in })
        try c.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        return c
    }

    func written(_ channel: EmbeddedChannel) throws -> RPCError? {
        guard let out = try channel.readOutbound(as: ByteBuffer.self) else { return nil }
        return try JSONDecoder().decode(RPCResponse.self, from: Data(out.readableBytesView)).error
    }

    @Test func partialLinesWithinTheAllowanceCostNothing() throws {
        let budget = LineBudget(limit: 0)
        let c = try channel(budget: budget)
        try c.writeInbound(ByteBuffer(repeating: 0x20, count: LineBudget.allowance))
        #expect(budget.inUse == 0)
        #expect(try written(c) == nil)
        #expect(c.isActive)
    }

    @Test func theConnectionThatWouldOverdrawTheBudgetIsAnsweredAndClosed() throws {
        let budget = LineBudget(limit: 1_000_000)
        let first = try channel(budget: budget)
        try first.writeInbound(ByteBuffer(repeating: 0x20, count: LineBudget.allowance + 900_000))
        #expect(budget.inUse == 900_000)
        let second = try channel(budget: budget)
        try second.writeInbound(ByteBuffer(repeating: 0x20, count: LineBudget.allowance + 200_000))
        #expect(try written(second)?.reason == "overloaded")
        #expect(!second.isActive)
        #expect(budget.inUse == 900_000, "the refused connection took nothing")
        // A finished line gives its share back.
        try first.writeInbound(ByteBuffer(string: "\n"))
        #expect(budget.inUse == 0)
    }

    @Test func aClosedConnectionGivesItsShareBack() throws {
        let budget = LineBudget(limit: 1_000_000)
        let c = try channel(budget: budget)
        try c.writeInbound(ByteBuffer(repeating: 0x20, count: LineBudget.allowance + 10_000))
        #expect(budget.inUse == 10_000)
        _ = try c.finish()
        #expect(budget.inUse == 0)
    }

    @Test func anUnfinishedLineTimesOutFromItsFirstByte() throws {
        let c = try channel(budget: LineBudget(limit: 1 << 20), timeout: .seconds(30))
        let loop = c.embeddedEventLoop
        try c.writeInbound(ByteBuffer(string: "{\"jsonrpc\""))
        loop.advanceTime(by: .seconds(20))
        try c.writeInbound(ByteBuffer(string: ":"))  // trickling does not restart the clock
        loop.advanceTime(by: .seconds(11))
        #expect(try written(c)?.reason == "line_timeout")
        #expect(!c.isActive)
    }

    @Test func finishedLinesStopTheClock() throws {
        let c = try channel(budget: LineBudget(limit: 1 << 20), timeout: .seconds(30))
        let loop = c.embeddedEventLoop
        try c.writeInbound(ByteBuffer(string: "{\"a\":1"))
        loop.advanceTime(by: .seconds(20))
        try c.writeInbound(ByteBuffer(string: "}\n"))
        loop.advanceTime(by: .seconds(60))
        #expect(try written(c) == nil)
        #expect(c.isActive)
    }
}
