import Foundation

/// GB 18030 (国家标准 GB 18030-2022), the character set Chinese thermal printers expect text in.
///
/// Why Foundation and not iconv: swift-corelibs-foundation on Linux converts GB 18030 through
/// CoreFoundation's `kCFStringEncodingGB_18030_2000` (0x0632), reachable as the `String.Encoding`
/// raw value 0x8000_0632 (what `CFStringConvertEncodingToNSStringEncoding` returns for it), so
/// the module needs no Glibc and no C shim. It covers all of Unicode: two bytes for the GBK
/// range ("请" = C7 EB), four bytes for the rest ("𠀀" = 95 32 82 36).
public enum GB18030 {
    /// `String.Encoding` for GB 18030 on every platform Foundation runs on.
    public static let encoding = String.Encoding(rawValue: 0x8000_0632)

    /// The GB 18030 bytes of `text`. Should a platform's Foundation lack the converter, ASCII
    /// still goes through and every other character becomes "?" (the tests would catch that).
    public static func encode(_ text: String) -> [UInt8] {
        if let data = text.data(using: encoding) { return Array(data) }
        var bytes: [UInt8] = []
        for ch in text {
            if let d = String(ch).data(using: encoding) {
                bytes += d
            } else if ch.isASCII, let a = ch.asciiValue {
                bytes.append(a)
            } else {
                bytes.append(0x3F)
            }
        }
        return bytes
    }

    /// Decodes GB 18030 bytes, replacing malformed sequences with U+FFFD instead of failing,
    /// because a printer stream may be cut anywhere.
    public static func decode<C: Collection<UInt8>>(_ bytes: C) -> String {
        let all = Array(bytes)
        if let s = String(data: Data(all), encoding: encoding) { return s }
        var out = ""
        var i = 0
        while i < all.count {
            let b = all[i]
            if b < 0x80 {
                out.unicodeScalars.append(UnicodeScalar(b))
                i += 1
                continue
            }
            // Lead byte 0x81–0xFE; a second byte 0x30–0x39 means a four-byte sequence.
            var length = 1
            if (0x81...0xFE).contains(b), i + 1 < all.count {
                length = (0x30...0x39).contains(all[i + 1]) ? 4 : 2
            }
            if i + length <= all.count, length > 1,
                let s = String(data: Data(all[i..<(i + length)]), encoding: encoding)
            {
                out += s
                i += length
            } else {
                out += "\u{FFFD}"
                i += 1
            }
        }
        return out
    }
}
