import Crypto
import Foundation

/// A digest of a certificate's printed fields, carried (truncated) in the signed QR payload so that
/// a certificate whose text was altered no longer matches its QR code.
///
/// Recomputable by anyone who reads the fields, with this definition (version 1):
///
///     encoding = "kioskd-fields-v1" 0x00
///              ‖ u32be(number of fields)
///              ‖ for each field, in ascending order of the key's UTF-8 bytes:
///                    u32be(byte length of key) ‖ key ‖ u32be(byte length of value) ‖ value
///     digest   = SHA-256(encoding)
///
/// Keys and values are UTF-8 in Unicode normalization form C, so "é" typed as one or two code
/// points digests alike (Swift also treats them as equal). Length prefixes make the encoding
/// unambiguous whatever the text contains; no escaping is involved.
public struct FieldDigest: Sendable, Hashable, CustomStringConvertible {
    /// The 32 bytes of SHA-256.
    public let bytes: Data

    /// Bytes carried in the QR payload: 128 bits. The payload is signed, so a forger needs a second
    /// preimage of these bits for an issued certificate's fields (2^128 work); a birthday collision
    /// (2^64) would need the approval system to issue one of two crafted field sets. Sixteen bytes
    /// cost 22 characters instead of 43, keeping the QR code small enough to scan at about 25 mm.
    public static let payloadLength = 16

    static let tag = Data("kioskd-fields-v1".utf8) + [0]

    public init(fields: [String: String]) {
        bytes = Data(SHA256.hash(data: Self.canonicalEncoding(fields)))
    }

    /// The exact bytes that are hashed.
    public static func canonicalEncoding(_ fields: [String: String]) -> Data {
        let pairs = fields.map { (Array($0.key.nfc.utf8), Array($0.value.nfc.utf8)) }
            .sorted { $0.0.lexicographicallyPrecedes($1.0) }
        var encoding = tag
        encoding.appendBigEndian(UInt32(pairs.count))
        for (key, value) in pairs {
            encoding.appendBigEndian(UInt32(key.count))
            encoding.append(contentsOf: key)
            encoding.appendBigEndian(UInt32(value.count))
            encoding.append(contentsOf: value)
        }
        return encoding
    }

    /// The first `payloadLength` bytes, as the QR payload carries them.
    public var payloadBytes: Data { bytes.prefix(Self.payloadLength) }

    /// Whether `truncated` (from a scanned payload) is this digest's payload form.
    public func matches(payloadBytes truncated: Data) -> Bool {
        truncated.count == Self.payloadLength && payloadBytes == truncated
    }

    public var hex: String { Hex.encode(bytes) }
    public var description: String { hex }
}

extension String {
    /// Canonical composition (NFC).
    var nfc: String { precomposedStringWithCanonicalMapping }
}

extension Data {
    mutating func appendBigEndian<Integer: FixedWidthInteger>(_ value: Integer) {
        Swift.withUnsafeBytes(of: value.bigEndian) { append(contentsOf: $0) }
    }
}
