import Crypto
import Foundation
import Testing

@testable import KioskCertificates

/// The digest of the printed fields: recomputable by a third party from its written definition.
@Suite("Signing: the field digest")
struct SigningFieldDigestTests {
    static let fields = [
        "name": "张三", "unitName": "重庆市某某餐饮有限公司", "validUntil": "2030-11-20", "cafe\u{301}": "x",
    ]

    @Test func matchesAnIndependentImplementationOfTheDefinition() {
        // Computed with Python's hashlib, struct and unicodedata.normalize("NFC") from the doc
        // comment of FieldDigest, not with this code.
        #expect(FieldDigest(fields: Self.fields).hex == "9269fe5134536125c97b35452c6329707d291a1ba59c6a22b946dd64d6423f73")
    }

    @Test func theEncodingIsLengthPrefixedPairsInByteOrder() {
        // Built by hand from the definition: tag, count, then "B" (0x42) before "a" (0x61).
        var expected = Data("kioskd-fields-v1".utf8) + [0]
        expected += [0, 0, 0, 2]
        expected += [0, 0, 0, 1] + Data("B".utf8) + [0, 0, 0, 3] + Data("二".utf8)
        expected += [0, 0, 0, 1] + Data("a".utf8) + [0, 0, 0, 0]
        let fields = ["a": "", "B": "二"]
        #expect(FieldDigest.canonicalEncoding(fields) == expected)
        #expect(FieldDigest(fields: fields).bytes == Data(SHA256.hash(data: expected)))
    }

    @Test func noFieldsIsTheTagAndAZeroCount() {
        let expected = Data("kioskd-fields-v1".utf8) + [0, 0, 0, 0, 0]
        #expect(FieldDigest(fields: [:]).bytes == Data(SHA256.hash(data: expected)))
    }

    @Test func theOrderTheFieldsArriveInDoesNotMatter() {
        let pairs = Self.fields.sorted { $0.key < $1.key }
        var rng = SystemRandomNumberGenerator()
        let reference = FieldDigest(fields: Self.fields)
        for _ in 0..<20 {
            var shuffled: [String: String] = [:]
            for (key, value) in pairs.shuffled(using: &rng) { shuffled[key] = value }
            #expect(FieldDigest(fields: shuffled) == reference)
        }
    }

    @Test func anyChangedKeyOrValueChangesTheDigest() {
        let reference = FieldDigest(fields: Self.fields)
        for key in Self.fields.keys {
            var changedValue = Self.fields
            changedValue[key] = Self.fields[key]! + " "
            #expect(FieldDigest(fields: changedValue) != reference, "value of \(key)")

            var renamed = Self.fields
            renamed[key] = nil
            renamed[key + "2"] = Self.fields[key]
            #expect(FieldDigest(fields: renamed) != reference, "key \(key)")

            var removed = Self.fields
            removed[key] = nil
            #expect(FieldDigest(fields: removed) != reference, "without \(key)")
        }
    }

    @Test func boundariesBetweenKeysAndValuesCannotBeMovedUnnoticed() {
        #expect(FieldDigest(fields: ["ab": "c"]) != FieldDigest(fields: ["a": "bc"]))
        #expect(FieldDigest(fields: ["a": "b", "c": "d"]) != FieldDigest(fields: ["a": "b\u{0}\u{0}\u{0}\u{1}c\u{0}\u{0}\u{0}\u{1}d"]))
        #expect(FieldDigest(fields: ["a": ""]) != FieldDigest(fields: [:]))
    }

    @Test func composedAndDecomposedTextDigestAlike() {
        #expect(FieldDigest(fields: ["name": "Jos\u{E9}"]) == FieldDigest(fields: ["name": "Jose\u{301}"]))
        #expect(FieldDigest(fields: ["caf\u{E9}": "1"]) == FieldDigest(fields: ["cafe\u{301}": "1"]))
    }

    @Test func theQRCarriesTheFirstSixteenBytes() {
        let digest = FieldDigest(fields: Self.fields)
        #expect(digest.bytes.count == 32)
        #expect(digest.payloadBytes == digest.bytes.prefix(16))
        #expect(digest.matches(payloadBytes: Data(digest.bytes.prefix(16))))
        #expect(!digest.matches(payloadBytes: Data(digest.bytes.prefix(15))))
        #expect(!digest.matches(payloadBytes: Data(digest.bytes)))
        #expect(!FieldDigest(fields: [:]).matches(payloadBytes: digest.payloadBytes))
    }
}
