import KioskTestSupport
import Testing

@testable import KioskDevices

@Suite struct SAMFrameDecoderTests {
    @Test func aWholeFrameDecodesToItsStatusAndData() throws {
        var d = SAMFrameDecoder()
        d.append(SAMFixture.cardFound)
        let r = try #require(try d.next())
        #expect(r.status == .cardFound)
        #expect(r.data == [0, 0, 0, 0])
        #expect(try d.next() == nil)
        #expect(d.pendingBytes == 0)
    }

    @Test func garbageBeforeThePreambleIsSkippedAndCounted() throws {
        var d = SAMFrameDecoder()
        d.append(hex("00 FF AA 13 AA AA 96") + SAMFixture.ok)
        #expect(try d.next()?.status == .ok)
        #expect(d.discardedBytes == 7)
    }

    @Test func aPartialFrameWaitsForTheRestOneByteAtATime() throws {
        var d = SAMFrameDecoder()
        let frame = SAMFixture.samIDAnswer
        for b in frame.dropLast() {
            d.append([b])
            #expect(try d.next() == nil)
        }
        d.append([frame.last!])
        let r = try #require(try d.next())
        #expect(r.data.count == 16)
    }

    @Test func aPreambleSplitAcrossReadsIsNotLost() throws {
        var d = SAMFrameDecoder()
        d.append(hex("13 37 AA AA"))
        #expect(try d.next() == nil)
        d.append(Array(SAMFixture.noCard.dropFirst(2)))
        #expect(try d.next()?.status == .noCard)
    }

    @Test func twoFramesInOneReadComeOutInOrder() throws {
        var d = SAMFrameDecoder()
        d.append(SAMFixture.noCard + SAMFixture.cardFound)
        #expect(try d.next()?.status == .noCard)
        #expect(try d.next()?.status == .cardFound)
        #expect(try d.next() == nil)
    }

    @Test func aWrongChecksumIsRejectedAndTheNextFrameStillFound() throws {
        var d = SAMFrameDecoder()
        d.append(SAMFixture.okBadChecksum + SAMFixture.noCard)
        #expect(throws: SAMProtocolError.checksumMismatch(expected: 0x94, actual: 0x95)) { try d.next() }
        #expect(try d.next()?.status == .noCard)
    }

    @Test func anImpossibleLengthIsTreatedAsNoise() throws {
        var d = SAMFrameDecoder()
        // LEN FF FF is longer than any SAM answer: this preamble is noise.
        d.append(hex("AA AA AA 96 69 FF FF") + SAMFixture.ok)
        #expect(try d.next()?.status == .ok)
    }

    @Test func aFrameTooShortForStatusWordsIsRejected() throws {
        var d = SAMFrameDecoder()
        // LEN 00 02: one byte of body and the XOR (00^02^90 = 92).
        d.append(hex("AA AA AA 96 69 00 02 90 92"))
        #expect(throws: SAMProtocolError.truncated(length: 2)) { try d.next() }
    }

    @Test func aFullReadAnswerDecodes() throws {
        var d = SAMFrameDecoder()
        d.append(SAMFixture.readAnswer(text: CardTextFixture.resident()))
        let r = try #require(try d.next())
        #expect(r.status == .ok)
        #expect(r.data.count == 4 + 256 + 1024)
        #expect(Array(r.data.prefix(4)) == [0x01, 0x00, 0x04, 0x00])
    }
}
