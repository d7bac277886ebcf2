/// Byte stuffing of `led-a5` frames.
///
/// Why: the delimiters `A5` and `5A` must never appear inside a frame, so that a reader that
/// lost sync (a display powered up mid-frame, a noise burst) finds the next frame by looking
/// for `A5` alone. Between the delimiters `A5` → `A6 02`, `A6` → `A6 01`, `5A` → `5B 02`,
/// `5B` → `5B 01`; every other byte, `68` included, passes through unchanged.
extension LEDA5 {
    /// Escapes the bytes between the delimiters (address through CRC).
    public static func escape(_ bytes: some Sequence<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.underestimatedCount + 4)
        for byte in bytes {
            switch byte {
            case 0xA5: out += [0xA6, 0x02]
            case 0xA6: out += [0xA6, 0x01]
            case 0x5A: out += [0x5B, 0x02]
            case 0x5B: out += [0x5B, 0x01]
            default: out.append(byte)
            }
        }
        return out
    }

    /// Undoes `escape`; nil when the bytes cannot come from it: an escape byte (`A6`, `5B`)
    /// followed by anything but `01`/`02` or by nothing, or a bare delimiter (`A5`, `5A`).
    public static func unescape(_ bytes: some Sequence<UInt8>) -> [UInt8]? {
        try? unescapeOrThrow(bytes)
    }

    /// `unescape` that says what was wrong, for the bus reader's rejection log.
    static func unescapeOrThrow(_ bytes: some Sequence<UInt8>) throws(FrameError) -> [UInt8] {
        var out: [UInt8] = []
        var pendingEscape: UInt8?
        var offset = 0
        for byte in bytes {
            defer { offset += 1 }
            if let escape = pendingEscape {
                pendingEscape = nil
                switch (escape, byte) {
                case (0xA6, 0x01): out.append(0xA6)
                case (0xA6, 0x02): out.append(0xA5)
                case (0x5B, 0x01): out.append(0x5B)
                case (0x5B, 0x02): out.append(0x5A)
                default: throw .badEscape(offset: offset - 1, bytes: [escape, byte])
                }
                continue
            }
            switch byte {
            case 0xA6, 0x5B: pendingEscape = byte
            case 0xA5, 0x5A: throw .badEscape(offset: offset, bytes: [byte])
            default: out.append(byte)
            }
        }
        if let escape = pendingEscape { throw .badEscape(offset: offset - 1, bytes: [escape]) }
        return out
    }
}
