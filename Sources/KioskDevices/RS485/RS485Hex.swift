/// Hex spelling for the RS-485 codecs' error and rejection texts, as the protocol sheets write
/// bytes ("A6 03"), so a debug log can be compared with a sheet or a bus sniffer by eye.
enum RS485Hex {
    private static let digits = Array("0123456789ABCDEF")

    /// Two upper-case hex digits.
    static func byte(_ byte: UInt8) -> String {
        String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
    }

    /// Four upper-case hex digits.
    static func word(_ word: UInt16) -> String {
        byte(UInt8(word >> 8)) + byte(UInt8(word & 0xFF))
    }

    /// Bytes separated by spaces, cut after `limit` with "…" so a 600-byte run stays readable.
    static func bytes(_ bytes: some Collection<UInt8>, limit: Int = 16) -> String {
        var text = bytes.prefix(limit).map { byte($0) }.joined(separator: " ")
        if bytes.count > limit { text += " …" }
        return text
    }
}
