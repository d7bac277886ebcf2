import Foundation

/// GB 2312-80 (信息交换用汉字编码字符集), the character set the RS-485 window displays
/// (窗口屏) and caller keypads (呼叫器) understand: ASCII plus 7,445 two-byte characters (6,763
/// hanzi and 682 symbols, kana, Greek, Cyrillic, pinyin, box drawing).
///
/// Why build on `GB18030`: every GB 2312 character has the same two bytes in GB 18030, so
/// encoding goes through Foundation's GB 18030 converter and then checks that each two-byte code
/// lies in a cell GB 2312 actually assigns. A character that GB 18030 has but GB 2312 lacks
/// (four-byte codes such as "𠀀" or emoji, GBK additions such as "丂" = 81 40, "€" = A2 E3)
/// makes `encode` return nil: a display would show garbage for it, so the caller should pick
/// other text rather than send it.
public enum GB2312 {
    /// The GB 2312 bytes of `text`: ASCII as one byte, other characters as two bytes in
    /// A1…F7 / A1…FE. Nil when any character is outside ASCII + GB 2312.
    public static func encode(_ text: String) -> [UInt8]? {
        guard let data = text.data(using: GB18030.encoding) else { return nil }
        let bytes = Array(data)
        return isValid(bytes) ? bytes : nil
    }

    /// The text of GB 2312 bytes; nil when they are not valid GB 2312 (a cut-off two-byte
    /// character, an unassigned cell, a byte that starts nothing).
    public static func decode(_ bytes: some Collection<UInt8>) -> String? {
        let all = Array(bytes)
        guard isValid(all) else { return nil }
        return String(data: Data(all), encoding: GB18030.encoding)
    }

    /// Whether `bytes` are ASCII and assigned GB 2312 two-byte codes only.
    public static func isValid(_ bytes: some Collection<UInt8>) -> Bool {
        var iterator = bytes.makeIterator()
        while let first = iterator.next() {
            if first < 0x80 { continue }
            guard let second = iterator.next(), isAssigned(first, second) else { return false }
        }
        return true
    }

    /// Whether the two-byte code `first second` is an assigned GB 2312 character. Rows are
    /// numbered from 1 (first byte A1), cells from 1 (second byte A1); the gaps are the standard's
    /// empty cells, several of which GBK and GB 18030 later filled (e.g. ⅰ…ⅹ at A2 A1…AA).
    public static func isAssigned(_ first: UInt8, _ second: UInt8) -> Bool {
        guard (0xA1...0xF7).contains(first), (0xA1...0xFE).contains(second) else { return false }
        let row = Int(first) - 0xA0
        let cell = Int(second) - 0xA0
        switch row {
        case 1, 3: return true  // punctuation; full-width ASCII
        case 2: return (17...66).contains(cell) || (69...78).contains(cell) || (81...92).contains(cell)
        case 4: return cell <= 83  // hiragana
        case 5: return cell <= 86  // katakana
        case 6: return (1...24).contains(cell) || (33...56).contains(cell)  // Greek
        case 7: return (1...33).contains(cell) || (49...81).contains(cell)  // Cyrillic
        case 8: return (1...26).contains(cell) || (37...73).contains(cell)  // pinyin, bopomofo
        case 9: return (4...79).contains(cell)  // box drawing
        case 16...54, 56...87: return true  // hanzi, level 1 and level 2
        case 55: return cell <= 89  // last row of level 1
        default: return false  // rows 10–15: unassigned
        }
    }
}
