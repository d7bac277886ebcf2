import Crypto
import Foundation
import KioskCore
import Testing

@testable import KioskCertificates

/// Values shared by the signing tests.
enum SigningFixture {
    static let serial = CertificateSerial("500107-01-20261121-0007")!
    static let fields = ["unitName": "重庆市九龙坡区某某餐饮有限公司", "legalPerson": "张三", "validUntil": "2030-11-20"]
    /// 2026-11-21 09:00:00 +08:00.
    static let issuedAt = Date(timeIntervalSince1970: 1_795_222_800)

    static func claims(type: String = "public-health-license") -> QRClaims {
        try! QRClaims(serial: serial, type: type, issuedAt: issuedAt, fields: fields)
    }

    static func signer() -> PayloadSigner { PayloadSigner(privateKey: Curve25519.Signing.PrivateKey()) }

    static func check(_ verification: PayloadVerification) -> VerificationCheck? {
        if case .rejected(let rejection) = verification { return rejection.check }
        return nil
    }

    /// `text` with the part at `index` (0 = version … 5 = signature) replaced.
    static func replacingPart(_ index: Int, of text: String, with part: (Substring) -> String) -> String {
        var parts = text.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        parts[index] = part(Substring(parts[index]))
        return parts.joined(separator: ".")
    }
}

@Suite("Signing: the QR payload")
struct SigningPayloadTests {
    let signer = SigningFixture.signer()

    @Test func aSignedPayloadVerifiesToItsClaims() throws {
        let claims = SigningFixture.claims()
        let payload = signer.payload(for: claims)
        #expect(signer.verifier.verify(payload) == .valid(claims))
        let verified = try #require(signer.verifier.verify(payload).claims)
        #expect(verified.serial.description == "500107-01-20261121-0007")
        #expect(verified.hallCode == "500107-01")
        #expect(verified.type == "public-health-license")
        #expect(verified.issuedAt == SigningFixture.issuedAt)
        #expect(verified.matches(fields: SigningFixture.fields))
    }

    @Test func anIndependentImplementationOfTheFormatAgrees() throws {
        // Written with Python's hashlib and the `cryptography` package from QRPayload's and
        // FieldDigest's doc comments, signed with the RFC 8032 test key 1.
        let python = "K1.500107-01-20261121-0007.public-health-license.1795222800.XKau6qu19hpuMJHqteFW0g."
            + "p1lBDNPsxOhEBxdmQv-EdUh51mXr7Z8IzyBdFcWjJwURekFQsD5Kw57RddxWd4Dj6KvMzFNebI9jITodXpogBw"
        let key = try Curve25519.Signing.PrivateKey(rawRepresentation: Hex.decode(SigningPublicKeyTests.rfcSecret)!)
        let signer = PayloadSigner(privateKey: key)
        #expect(signer.verifier.verify(python) == .valid(SigningFixture.claims()))
        // The signed text is the same byte for byte (Ed25519 signatures may be randomized on some platforms).
        let ours = signer.payload(for: SigningFixture.claims())
        #expect(ours.prefix(upTo: ours.lastIndex(of: ".")!) == python.prefix(upTo: python.lastIndex(of: ".")!))
        #expect(python.count == 169)
    }

    @Test func thePayloadIsReadableCompactText() {
        let payload = signer.payload(for: SigningFixture.claims())
        let parts = payload.split(separator: ".", omittingEmptySubsequences: false)
        #expect(parts.count == 6)
        #expect(parts[0] == "K1")
        #expect(parts[1] == "500107-01-20261121-0007")
        #expect(parts[2] == "public-health-license")
        #expect(parts[3] == "1795222800")
        #expect(parts[4].count == 22)  // 16 bytes
        #expect(parts[5].count == 86)  // 64 bytes
        #expect(payload.utf8.count <= QRPayload.maximumLength)
        #expect(payload.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) })
    }

    @Test func theLongestClaimsStillFitTheLimit() throws {
        let serial = try #require(CertificateSerial(
            hallCode: String(repeating: "H", count: CertificateSerial.maximumHallCodeLength), day: HallDay("2026-11-21"),
            sequence: CertificateSerial.maximumSequence))
        let claims = try QRClaims(
            serial: serial, type: String(repeating: "t", count: QRClaims.maximumTypeLength),
            issuedAt: Date(timeIntervalSince1970: 99_999_999_999), fields: SigningFixture.fields)
        let payload = signer.payload(for: claims)
        #expect(payload.utf8.count <= QRPayload.maximumLength)
        #expect(signer.verifier.verify(payload) == .valid(claims))
    }

    @Test func theIssueTimeIsKeptInWholeSeconds() throws {
        let claims = try QRClaims(
            serial: SigningFixture.serial, type: "x", issuedAt: SigningFixture.issuedAt.addingTimeInterval(0.75),
            fields: [:])
        #expect(claims.issuedAt == SigningFixture.issuedAt)
        #expect(signer.verifier.verify(signer.payload(for: claims)).claims?.issuedAt == SigningFixture.issuedAt)
    }

    @Test func aChangeInAnySignedPartBreaksTheSignature() {
        let payload = signer.payload(for: SigningFixture.claims())
        let tampered = [
            SigningFixture.replacingPart(1, of: payload) { $0.replacingOccurrences(of: "0007", with: "0008") },
            SigningFixture.replacingPart(1, of: payload) { $0.replacingOccurrences(of: "500107-01", with: "500107-02") },
            SigningFixture.replacingPart(2, of: payload) { _ in "business-license" },
            SigningFixture.replacingPart(3, of: payload) { String(Int($0)! + 1) },
            SigningFixture.replacingPart(4, of: payload) { _ in Base64URL.encode(Data(repeating: 0, count: 16)) },
            SigningFixture.replacingPart(5, of: payload) { part in
                var bytes = Base64URL.decode(part)!
                bytes[10] ^= 0x01
                return Base64URL.encode(bytes)
            },
        ]
        for text in tampered {
            #expect(text != payload)
            #expect(SigningFixture.check(signer.verifier.verify(text)) == .signature, "\(text)")
        }
    }

    @Test func partsThatNoLongerParseAreMalformed() {
        let payload = signer.payload(for: SigningFixture.claims())
        let broken = [
            SigningFixture.replacingPart(0, of: payload) { _ in "K2" },
            SigningFixture.replacingPart(1, of: payload) { $0.replacingOccurrences(of: "20261121", with: "20261131") },
            SigningFixture.replacingPart(2, of: payload) { _ in "public health" },
            SigningFixture.replacingPart(3, of: payload) { "0" + $0 },
            SigningFixture.replacingPart(3, of: payload) { "-" + $0 },
            SigningFixture.replacingPart(4, of: payload) { $0.dropLast() + "" },
            SigningFixture.replacingPart(4, of: payload) { $0 + "A" },
            SigningFixture.replacingPart(5, of: payload) { $0 + "AA" },
            payload + ".extra",
        ]
        for text in broken {
            #expect(SigningFixture.check(signer.verifier.verify(text)) == .malformed, "\(text)")
        }
    }

    @Test func noSingleCharacterChangeVerifies() {
        let payload = Array(signer.payload(for: SigningFixture.claims()))
        for index in payload.indices {
            for replacement in ["A", "0", "-", "_", "."] where String(payload[index]) != replacement {
                var text = payload
                text[index] = Character(replacement)
                #expect(signer.verifier.verify(String(text)).claims == nil, "position \(index) → \(replacement)")
            }
        }
    }

    @Test func unusedBitsOfTheBase64MustBeZero() {
        // 16 and 64 bytes leave 4 unused bits in the last character; setting one would give a
        // second spelling of the same bytes.
        let payload = signer.payload(for: SigningFixture.claims())
        for index in [4, 5] {
            let text = SigningFixture.replacingPart(index, of: payload) { part in
                let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
                let last = alphabet.firstIndex(of: part.last!)!
                return part.dropLast() + String(alphabet[last | 1])
            }
            #expect(SigningFixture.check(signer.verifier.verify(text)) == .malformed)
        }
    }

    @Test func everyTruncationIsMalformed() {
        let payload = signer.payload(for: SigningFixture.claims())
        for length in 0..<payload.count {
            let verification = signer.verifier.verify(String(payload.prefix(length)))
            #expect(SigningFixture.check(verification) == .malformed, "first \(length) characters")
        }
    }

    @Test(arguments: [
        "", "hello", "K1", "K1.....", "K1.500107-01-20261121-0007", "https://example.org/verify?p=K1.x",
        "🧧🧧🧧", String(repeating: "K1.", count: 5000), "\u{0}\u{1}\u{2}", "k1.500107-01-20261121-0007.a.1.AAAA.BBBB",
    ])
    func garbageIsMalformed(text: String) {
        #expect(SigningFixture.check(signer.verifier.verify(text)) == .malformed)
    }

    @Test func randomBytesNeverVerify() {
        var rng = SystemRandomNumberGenerator()
        for length in [1, 50, 170, 400] {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &rng) }
            #expect(signer.verifier.verify(String(decoding: bytes, as: UTF8.self)).claims == nil)
        }
    }

    @Test func anotherHallsKeyDoesNotVerify() {
        let payload = signer.payload(for: SigningFixture.claims())
        let other = SigningFixture.signer()
        #expect(SigningFixture.check(other.verifier.verify(payload)) == .signature)
    }

    @Test func aScannersLineEndIsIgnored() {
        let claims = SigningFixture.claims()
        let payload = signer.payload(for: claims)
        #expect(signer.verifier.verify(payload + "\r\n") == .valid(claims))
        #expect(signer.verifier.verify(" " + payload + "\n") == .valid(claims))
    }

    @Test func theVerifierReturnsTheClaimsSoTheDaemonCanCompareTheStoredFields() throws {
        let claims = try #require(signer.verifier.verify(signer.payload(for: SigningFixture.claims())).claims)
        #expect(claims.matches(fields: SigningFixture.fields))
        var altered = SigningFixture.fields
        altered["validUntil"] = "2040-11-20"
        #expect(!claims.matches(fields: altered))
    }

    @Test func claimsThatCannotBeCarriedAreRefused() {
        for type in ["", "a.b", "public health", "证照", String(repeating: "t", count: QRClaims.maximumTypeLength + 1)] {
            #expect(throws: QRPayloadError.invalidType(type)) {
                try QRClaims(serial: SigningFixture.serial, type: type, issuedAt: SigningFixture.issuedAt, fields: [:])
            }
        }
        #expect(throws: QRPayloadError.invalidIssueTime) {
            try QRClaims(serial: SigningFixture.serial, type: "x", issuedAt: Date(timeIntervalSince1970: -1), fields: [:])
        }
        #expect(throws: QRPayloadError.invalidDigestLength(32)) {
            try QRClaims(serial: SigningFixture.serial, type: "x", issuedAt: SigningFixture.issuedAt, fieldDigest: Data(count: 32))
        }
    }

    @Test func theChecksHaveTheirWireNames() {
        #expect(VerificationCheck.allCases.map(\.rawValue) == ["malformed", "signature", "unknown_serial", "voided", "digest_mismatch"])
    }
}
