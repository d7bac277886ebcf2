import Testing

@testable import KioskDevices

/// The renderer reads bytes written by hand from the ESC/POS reference, not only our encoder's.
@Suite struct ESCPOSRendererTests {
    let renderer = ESCPOSRenderer(columns: 32)

    @Test func recoversCentredChineseTextAndBigNumbers() {
        let bytes: [UInt8] =
            [0x1B, 0x40, 0x1C, 0x26, 0x1B, 0x61, 0x01]  // ESC @, FS &, ESC a 1
            + [0xC7, 0xEB, 0x0A]  // 请 LF
            + [0x1D, 0x21, 0x33] + Array("A001".utf8) + [0x0A]  // GS ! 0x33, A001
            + [0x1D, 0x21, 0x00, 0x1B, 0x61, 0x00] + Array("left".utf8) + [0x0A]
        #expect(
            renderer.render(bytes) == [
                String(repeating: " ", count: 15) + "请",
                String(repeating: " ", count: 8) + "[big 4x4] A001",  // 16 physical columns, centred
                "left",
            ])
    }

    @Test func rightAlignmentPadsToTheColumns() {
        let bytes: [UInt8] = [0x1B, 0x61, 0x02] + Array("end".utf8) + [0x0A]
        #expect(renderer.render(bytes) == [String(repeating: " ", count: 29) + "end"])
    }

    @Test func qrCodeShowsItsStoredPayload() {
        let data = Array("kioskd:x".utf8)
        let bytes: [UInt8] =
            [0x1D, 0x28, 0x6B, 0x04, 0x00, 0x31, 0x41, 0x32, 0x00]
            + [0x1D, 0x28, 0x6B, UInt8(data.count + 3), 0x00, 0x31, 0x50, 0x30] + data
            + [0x1D, 0x28, 0x6B, 0x03, 0x00, 0x31, 0x51, 0x30]
        #expect(renderer.render(bytes) == ["[QR: kioskd:x]"])
    }

    @Test func everyCutFormIsACutLine() {
        #expect(renderer.render([0x41, 0x1D, 0x56, 0x42, 0x00]) == ["A", "--- cut ---"])
        #expect(renderer.render([0x1D, 0x56, 0x01]) == ["--- cut ---"])
        #expect(renderer.render([0x1B, 0x69]) == ["--- cut ---"])
    }

    @Test func feedPrintsTheLineAndBlankLines() {
        #expect(renderer.render([0x41, 0x1B, 0x64, 0x03]) == ["A", "", ""])
        #expect(renderer.render([0x0A, 0x0A]) == ["", ""])
    }

    @Test func statusRequestsAndModesPrintNothing() {
        let bytes: [UInt8] = [0x10, 0x04, 0x04, 0x1B, 0x45, 0x01, 0x1B, 0x2D, 0x01, 0x1C, 0x2E] + Array("x".utf8)
        #expect(renderer.render(bytes) == ["x"])
    }

    @Test func unknownCommandsAreShownAndSkipped() {
        #expect(renderer.render([0x1B, 0x7A] + Array("ok".utf8)) == ["[? 1B 7A]ok"])
    }

    @Test func aTruncatedStreamEndsQuietly() {
        #expect(renderer.render([0x41, 0x1D]) == ["A"])
        #expect(renderer.render([0x1D, 0x28, 0x6B, 0xFF, 0x00, 0x31]) == [])
        #expect(renderer.render([0x1D, 0x76, 0x30, 0x00, 0xFF, 0xFF, 0xFF, 0xFF]) == ["[image 524280x65535]"])
    }

    @Test func renderingOurOwnEncodingGivesTheTextBack() {
        let bytes = ESCPOSEncoder().encode([
            .initialize, .chineseMode(true), .text("请A001号到3号窗口办理"), .lineFeed, .cut,
        ])
        #expect(renderer.render(bytes) == ["请A001号到3号窗口办理", "--- cut ---"])
    }
}
