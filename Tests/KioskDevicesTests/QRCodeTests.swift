import Testing

@testable import KioskDevices

@Suite struct QRCodeTests {
    @Test func anEmptyPayloadIsRefused() {
        #expect(throws: ESCPOSError.emptyQRPayload) { try QRCode("") }
    }

    @Test func aPayloadLongerThanAVersion40CodeHoldsIsRefused() throws {
        _ = try QRCode(String(repeating: "a", count: 2331), errorCorrection: .medium)
        #expect(throws: ESCPOSError.qrPayloadTooLong(bytes: 2332, limit: 2331)) {
            try QRCode(String(repeating: "a", count: 2332), errorCorrection: .medium)
        }
        #expect(throws: ESCPOSError.qrPayloadTooLong(bytes: 1274, limit: 1273)) {
            try QRCode(String(repeating: "a", count: 1274), errorCorrection: .high)
        }
    }

    @Test func thePayloadIsUTF8AndTheModuleSizeIsClamped() throws {
        let qr = try QRCode("请", moduleSize: 40)
        #expect(qr.data == [0xE8, 0xAF, 0xB7])
        #expect(qr.payload == "请")
        #expect(qr.moduleSize == 16)
        #expect(try QRCode("x", moduleSize: 0).moduleSize == 1)
    }
}
