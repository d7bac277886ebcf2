import KioskTestSupport
import Testing

@testable import KioskDevices

@Suite struct SAMFrameTests {
    @Test func commandsEncodeToTheFramesReadersDocument() {
        #expect(SAMCommand.reset.frame == SAMFixture.reset)
        #expect(SAMCommand.samStatus.frame == SAMFixture.samStatus)
        #expect(SAMCommand.samID.frame == SAMFixture.samID)
        #expect(SAMCommand.findCard.frame == SAMFixture.findCard)
        #expect(SAMCommand.selectCard.frame == SAMFixture.selectCard)
        #expect(SAMCommand.readBaseInfo.frame == SAMFixture.readBaseInfo)
    }

    @Test func commandDataCountsInTheLengthAndTheChecksum() {
        // LEN = CMD PARA + 2 data + XOR = 5; XOR 00^05^30^10^01^02 = 0x26
        #expect(SAMCommand(cmd: 0x30, para: 0x10, data: [0x01, 0x02]).frame == hex("AA AA AA 96 69 00 05 30 10 01 02 26"))
    }

    @Test func responsesEncodeWithTheirStatusWords() {
        #expect(SAMResponse(status: .ok).frame == SAMFixture.ok)
        #expect(SAMResponse(status: .cardFound, data: [0, 0, 0, 0]).frame == SAMFixture.cardFound)
        #expect(SAMResponse(status: .noCard).frame == SAMFixture.noCard)
    }

    @Test func checksumIsTheXOROfLengthAndBody() {
        #expect(SAMFrame.checksum([0x00, 0x03, 0x11, 0xFF]) == 0xED)
        #expect(SAMFrame.checksum([UInt8]()) == 0)
    }

    @Test func commandsDescribeThemselvesForMessages() {
        #expect(SAMCommand.findCard.description == "find card")
        #expect(SAMCommand(cmd: 0x30, para: 0x10).description == "command 0x30 0x10")
    }
}
