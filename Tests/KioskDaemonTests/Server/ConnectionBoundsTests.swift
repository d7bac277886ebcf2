import Foundation
import KioskProtocol
import NIOCore
import Testing
@testable import KioskDaemon

/// How many connections are served, derived from the open-file limit.
@Suite struct ConnectionLimitsTests {
    @Test func theDefaultLeavesAReserveOfDescriptors() {
        let limits = ConnectionLimits.resolve(configured: nil, openFiles: 1024)
        #expect(limits.max == 1024 - ConnectionLimits.descriptorReserve - ConnectionLimits.adminReserve)
        #expect(limits.warning == nil)
    }

    @Test func theDefaultIsCappedOnAHighLimit() {
        #expect(ConnectionLimits.resolve(configured: nil, openFiles: 65536).max == ConnectionLimits.defaultCeiling)
    }

    @Test func aConfiguredLimitBeyondTheDescriptorsIsLoweredWithAWarning() {
        let limits = ConnectionLimits.resolve(configured: 5000, openFiles: 1024)
        #expect(limits.max == 944)
        #expect(limits.warning?.contains("LimitNOFILE") == true)
        #expect(ConnectionLimits.resolve(configured: 100, openFiles: 1024) == ConnectionLimits(max: 100, warning: nil))
    }
}

/// A slow subscriber's buffer is bounded in bytes as well as items.
@Suite struct BoundedBufferTests {
    @Test func offerFailsOnceTheBytesAreUsedUp() {
        let q = BoundedBuffer<ByteBuffer>(capacity: 1_000, byteCapacity: 1_000) { $0.readableBytes }
        #expect(q.offer(ByteBuffer(repeating: 1, count: 600)))
        #expect(q.offer(ByteBuffer(repeating: 1, count: 400)))
        #expect(!q.offer(ByteBuffer(repeating: 1, count: 1)))
    }

    @Test func oneMessageLargerThanTheBoundFitsAnEmptyQueue() {
        let q = BoundedBuffer<ByteBuffer>(capacity: 10, byteCapacity: 100) { $0.readableBytes }
        #expect(q.offer(ByteBuffer(repeating: 1, count: 5_000)))
        #expect(!q.offer(ByteBuffer(repeating: 1, count: 1)))
    }

    @Test func readingMakesRoomAgain() async {
        let q = BoundedBuffer<ByteBuffer>(capacity: 10, byteCapacity: 100) { $0.readableBytes }
        #expect(q.offer(ByteBuffer(repeating: 1, count: 100)))
        #expect(await q.next()?.readableBytes == 100)
        #expect(q.offer(ByteBuffer(repeating: 1, count: 100)))
    }

    @Test func abandonDropsWhatIsQueuedAndEndsTheReader() async {
        let q = BoundedBuffer<ByteBuffer>(capacity: 10, byteCapacity: 1_000) { $0.readableBytes }
        #expect(q.offer(ByteBuffer(repeating: 1, count: 10)))
        q.abandon()
        #expect(await q.next() == nil)
        #expect(!q.offer(ByteBuffer(repeating: 1, count: 1)))
    }
}

/// The envelope of a request line.
@Suite struct RequestLineTests {
    func decode(_ s: String) -> RequestLine.Decoded { RequestLine.decode(ByteBuffer(string: s)) }

    @Test func aNotificationWithBadParamsIsNotAnswered() {
        guard case .failure(_, let error, let answer) = decode(#"{"jsonrpc":"2.0","method":"daemon.status","params":[]}"#) else {
            Issue.record("accepted")
            return
        }
        #expect(error.code == RPCError.invalidParams)
        #expect(!answer)
    }

    @Test func aRequestWithBadParamsIsAnswered() {
        guard case .failure(let id, _, let answer) = decode(#"{"jsonrpc":"2.0","id":3,"method":"daemon.status","params":[]}"#) else {
            Issue.record("accepted")
            return
        }
        #expect(id == .number(3))
        #expect(answer)
    }

    @Test func anIdBeyondSixtyFourBitsSaysSo() {
        guard case .failure(_, let error, _) = decode(#"{"jsonrpc":"2.0","id":18446744073709551616,"method":"daemon.status"}"#) else {
            Issue.record("accepted")
            return
        }
        #expect(error.message.contains("64-bit"))
        #expect(!error.message.contains("not valid JSON"))
    }

    @Test func theLargestIdsAreAccepted() {
        guard case .request(let r) = decode(#"{"jsonrpc":"2.0","id":9223372036854775807,"method":"daemon.status"}"#) else {
            Issue.record("refused")
            return
        }
        #expect(r.id == .number(Int64.max))
    }
}
