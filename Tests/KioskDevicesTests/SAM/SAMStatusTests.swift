import Testing

@testable import KioskDevices

@Suite struct SAMStatusTests {
    @Test func everyDocumentedCodeHasAMeaningAndAKind() {
        let expected: [UInt8: SAMStatus.Kind] = [
            0x90: .success, 0x9F: .success, 0x80: .noCard, 0x81: .cardError, 0x41: .cardError,
            0x91: .cardError, 0x31: .cardError, 0x32: .cardError, 0x33: .cardError, 0x40: .cardError,
            0x47: .cardError, 0x10: .transmission, 0x11: .transmission, 0x21: .transmission,
            0x23: .samFault, 0x24: .samFault, 0x60: .samFault, 0x66: .samFault,
        ]
        for (code, kind) in expected {
            let s = SAMStatus(sw3: code)
            #expect(s.kind == kind, "\(s)")
            #expect(!s.description.hasPrefix("unknown"), "\(s)")
        }
    }

    @Test func messagesNameTheCodeInWordsAndHex() {
        #expect(SAMStatus(sw3: 0x80).description == "no card found (寻找居民身份证失败) [0x80]")
        #expect(SAMStatus(sw3: 0x60).description == "SAM self-test failed (SAM自检失败) [0x60]")
        #expect(SAMStatus(sw3: 0x66).description.contains("not authorised"))
    }

    @Test func unknownCodesSayUnknownWithTheirValue() {
        #expect(SAMStatus(sw3: 0x42).kind == .unknown)
        #expect(SAMStatus(sw3: 0x42).description == "unknown status 0x42")
        #expect(SAMStatus(sw1: 0x6A, sw2: 0x82, sw3: 0x90).kind == .unknown)
        #expect(SAMStatus(sw1: 0x6A, sw2: 0x82, sw3: 0x90).description == "unknown status 0x6A 0x82 0x90")
    }
}
