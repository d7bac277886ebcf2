import Testing

@testable import KioskDevices

/// Status bytes as the ESC/POS reference defines them for `DLE EOT n`.
@Suite struct ESCPOSStatusTests {
    @Test func aStatusByteHasBitsOneAndFourSet() {
        #expect(ESCPOSStatus.isStatusByte(0x12))
        #expect(!ESCPOSStatus.isStatusByte(0x00))
        #expect(!ESCPOSStatus.isStatusByte(0x93))
    }

    @Test func paperSensorBitsTwoThreeAreNearEndAndFiveSixAreOut() {
        #expect(ESCPOSStatus.paperLevel(fromPaperSensor: 0x12) == .ok)
        #expect(ESCPOSStatus.paperLevel(fromPaperSensor: 0x1E) == .nearEnd)
        #expect(ESCPOSStatus.paperLevel(fromPaperSensor: 0x72) == .out)
        #expect(ESCPOSStatus.paperLevel(fromPaperSensor: 0x7E) == .out)
        #expect(ESCPOSStatus.paperLevel(fromPaperSensor: 0x41) == nil)
    }

    @Test func offlineCauseNamesTheCoverAndThePaper() {
        #expect(ESCPOSStatus.offlineCause(0x16) == .init(coverOpen: true))
        #expect(ESCPOSStatus.offlineCause(0x32) == .init(paperEnd: true))
        #expect(ESCPOSStatus.offlineCause(0x52) == .init(error: true))
        #expect(ESCPOSStatus.offlineCause(0xFF) == nil)
    }
}
