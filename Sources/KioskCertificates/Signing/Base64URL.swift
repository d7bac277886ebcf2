import Foundation

/// Base64url without padding (RFC 4648 §5), the alphabet that survives QR codes, URLs and file
/// names. Decoding is strict: only canonical text is accepted (no padding, no whitespace, unused
/// trailing bits zero), so one byte string has exactly one spelling and a QR payload cannot be
/// altered into another text that still verifies.
enum Base64URL {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
    private static let values: [UInt8: UInt8] = Dictionary(
        uniqueKeysWithValues: alphabet.enumerated().map { ($0.element, UInt8($0.offset)) })

    static func encode<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        let input = Array(bytes)
        var output: [UInt8] = []
        output.reserveCapacity(encodedLength(input.count))
        var index = 0
        while index < input.count {
            let chunk = input[index..<min(index + 3, input.count)]
            var group: UInt32 = 0
            for (offset, byte) in chunk.enumerated() { group |= UInt32(byte) << (16 - 8 * offset) }
            for position in 0...chunk.count { output.append(alphabet[Int(group >> (18 - 6 * position)) & 0x3F]) }
            index += 3
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// The bytes, or nil unless `text` is the canonical encoding of some bytes.
    static func decode<Text: StringProtocol>(_ text: Text) -> Data? {
        let input = Array(text.utf8)
        guard input.count % 4 != 1 else { return nil }
        var output = Data()
        output.reserveCapacity(input.count * 3 / 4)
        var index = 0
        while index < input.count {
            let chunk = input[index..<min(index + 4, input.count)]
            var group: UInt32 = 0
            for (offset, char) in chunk.enumerated() {
                guard let value = values[char] else { return nil }
                group |= UInt32(value) << (18 - 6 * offset)
            }
            let byteCount = chunk.count - 1
            // Bits below the last whole byte must be zero, or two texts would decode alike.
            guard group & (0xFF_FFFF >> (8 * byteCount)) == 0 else { return nil }
            for position in 0..<byteCount { output.append(UInt8((group >> (16 - 8 * position)) & 0xFF)) }
            index += 4
        }
        return output
    }

    /// Characters for `count` bytes.
    static func encodedLength(_ count: Int) -> Int { (count * 8 + 5) / 6 }
}
