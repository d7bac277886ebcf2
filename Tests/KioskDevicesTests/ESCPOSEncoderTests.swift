import Testing

@testable import KioskDevices

/// The bytes are pinned to the Epson ESC/POS reference, written out by hand here, so that a
/// change in the encoder that a real printer would misread fails a test.
@Suite struct ESCPOSEncoderTests {
    let encoder = ESCPOSEncoder()

    @Test func initializeIsEscAt() {
        #expect(encoder.encode(.initialize) == [0x1B, 0x40])
    }

    @Test func alignIsEscSmallAWithTheJustification() {
        #expect(encoder.encode(.align(.left)) == [0x1B, 0x61, 0x00])
        #expect(encoder.encode(.align(.center)) == [0x1B, 0x61, 0x01])
        #expect(encoder.encode(.align(.right)) == [0x1B, 0x61, 0x02])
    }

    @Test func boldIsEscCapitalEOnOrOff() {
        #expect(encoder.encode(.bold(true)) == [0x1B, 0x45, 0x01])
        #expect(encoder.encode(.bold(false)) == [0x1B, 0x45, 0x00])
    }

    @Test func characterSizeIsGsBangWithWidthInTheHighNibble() {
        #expect(encoder.encode(.characterSize(width: .x4, height: .x4)) == [0x1D, 0x21, 0x33])
        #expect(encoder.encode(.characterSize(width: .x2, height: .x1)) == [0x1D, 0x21, 0x10])
        #expect(encoder.encode(.characterSize(width: .x1, height: .x8)) == [0x1D, 0x21, 0x07])
        #expect(encoder.encode(.normalSize) == [0x1D, 0x21, 0x00])
    }

    @Test func magnificationIsClampedToOneThroughEight() {
        #expect(ESCPOSCommand.Magnification(clamping: 0) == .x1)
        #expect(ESCPOSCommand.Magnification(clamping: 3) == .x3)
        #expect(ESCPOSCommand.Magnification(clamping: 12) == .x8)
    }

    @Test func feedIsEscSmallDWithTheLineCount() {
        #expect(encoder.encode(.feed(lines: 3)) == [0x1B, 0x64, 0x03])
        #expect(encoder.encode(.lineFeed) == [0x0A])
    }

    @Test func cutIsGsCapitalV66Zero() {
        #expect(encoder.encode(.cut) == [0x1D, 0x56, 0x42, 0x00])
    }

    @Test func chineseModeIsFsAmpersandAndFsDotLeavesIt() {
        #expect(encoder.encode(.chineseMode(true)) == [0x1C, 0x26])
        #expect(encoder.encode(.chineseMode(false)) == [0x1C, 0x2E])
    }

    @Test func statusRequestIsDleEot() {
        #expect(encoder.encode(.requestStatus(.paperSensor)) == [0x10, 0x04, 0x04])
        #expect(encoder.encode(.requestStatus(.offlineCause)) == [0x10, 0x04, 0x02])
    }

    @Test func textIsGB18030() {
        // 请 is GB 18030 C7 EB; 号 is BA C5; ASCII passes through.
        #expect(encoder.encode(.text("请")) == [0xC7, 0xEB])
        #expect(encoder.encode(.text("A001号")) == [0x41, 0x30, 0x30, 0x31, 0xBA, 0xC5])
    }

    @Test func controlCharactersInTextCannotBecomeCommands() {
        // An ESC inside a hall name must not reach the printer as ESC.
        #expect(encoder.encode(.text("A\u{1B}@B")) == [0x41, 0x20, 0x40, 0x42])
        #expect(encoder.encode(.text("a\nb")) == [0x61, 0x0A, 0x62])
        #expect(encoder.encode(.text("\t\u{7F}")) == [0x20, 0x20])
    }

    @Test func qrCodeIsFiveGsParenKFunctionsWithTheStoreLengthPlusThree() throws {
        let payload = "kioskd:ticket:500107-01:2026-11-21:A001"  // 39 bytes
        let qr = try QRCode(payload, moduleSize: 6, errorCorrection: .medium)
        let expected: [UInt8] =
            // fn 165, select model 2: GS ( k 04 00 31 41 32 00
            [0x1D, 0x28, 0x6B, 0x04, 0x00, 0x31, 0x41, 0x32, 0x00]
            // fn 167, module size 6: GS ( k 03 00 31 43 06
            + [0x1D, 0x28, 0x6B, 0x03, 0x00, 0x31, 0x43, 0x06]
            // fn 169, error correction M: GS ( k 03 00 31 45 31
            + [0x1D, 0x28, 0x6B, 0x03, 0x00, 0x31, 0x45, 0x31]
            // fn 180, store: GS ( k pL pH 31 50 30 d…, pL pH = 39 + 3 = 42 = 2A 00
            + [0x1D, 0x28, 0x6B, 0x2A, 0x00, 0x31, 0x50, 0x30] + Array(payload.utf8)
            // fn 181, print: GS ( k 03 00 31 51 30
            + [0x1D, 0x28, 0x6B, 0x03, 0x00, 0x31, 0x51, 0x30]
        #expect(encoder.encode(.qrCode(qr)) == expected)
    }

    @Test func qrStoreLengthUsesTheHighByteAbove252() throws {
        let qr = try QRCode(String(repeating: "x", count: 300))
        let bytes = encoder.encode(.qrCode(qr))
        // 300 + 3 = 303 = 0x012F → pL 2F, pH 01
        #expect(bytes.contains(run: [0x1D, 0x28, 0x6B, 0x2F, 0x01, 0x31, 0x50, 0x30]))
    }

    @Test func aJobIsTheConcatenationOfItsCommands() {
        let bytes = encoder.encode([.initialize, .align(.center), .text("请"), .lineFeed, .cut])
        #expect(bytes == [0x1B, 0x40, 0x1B, 0x61, 0x01, 0xC7, 0xEB, 0x0A, 0x1D, 0x56, 0x42, 0x00])
    }
}
