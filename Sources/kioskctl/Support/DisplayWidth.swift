/// Terminal display width: East Asian wide and fullwidth characters (汉字, kana, hangul,
/// fullwidth forms, most emoji) take two columns, combining marks none, everything else one.
/// Enough for aligning tables of Chinese category names and staff names; not a full UAX #11.
enum DisplayWidth {
    static func of(_ text: String) -> Int {
        text.reduce(0) { $0 + of($1) }
    }

    static func of(_ c: Character) -> Int {
        guard let first = c.unicodeScalars.first else { return 0 }
        // A variation selector 16 asks for emoji presentation: two columns.
        if c.unicodeScalars.contains(where: { $0.value == 0xFE0F }) { return 2 }
        return of(first)
    }

    static func of(_ s: Unicode.Scalar) -> Int {
        let v = s.value
        switch v {
        case 0: return 0
        case 0x01..<0x20, 0x7F..<0xA0: return 0                      // control characters
        case 0x0300...0x036F, 0x200B...0x200F, 0x20D0...0x20FF, 0xFE00...0xFE0F, 0xFE20...0xFE2F:
            return 0                                                   // combining, zero-width
        case 0x1100...0x115F,                                          // hangul jamo initials
            0x2E80...0x303E, 0x3041...0x33FF,                          // CJK radicals … compatibility
            0x3400...0x4DBF, 0x4E00...0x9FFF,                          // CJK ideographs
            0xA000...0xA4CF, 0xAC00...0xD7A3,                          // yi, hangul syllables
            0xF900...0xFAFF, 0xFE30...0xFE4F,                          // compatibility ideographs, forms
            0xFF00...0xFF60, 0xFFE0...0xFFE6,                          // fullwidth forms
            0x1F300...0x1F64F, 0x1F900...0x1F9FF,                      // emoji
            0x20000...0x3FFFD:                                         // CJK extensions B…
            return 2
        default: return 1
        }
    }

    /// `text` padded with spaces to `width` columns (left-aligned, or right-aligned).
    static func pad(_ text: String, to width: Int, right: Bool = false) -> String {
        let gap = max(0, width - of(text))
        let spaces = String(repeating: " ", count: gap)
        return right ? spaces + text : text + spaces
    }

    /// `text` cut to at most `width` columns, ending in "…" when cut.
    static func truncate(_ text: String, to width: Int) -> String {
        guard of(text) > width, width > 0 else { return text }
        var out = "", used = 0
        for c in text {
            let w = of(c)
            if used + w > width - 1 { break }
            out.append(c)
            used += w
        }
        return out + "…"
    }

    /// `text` broken into lines of at most `width` columns, at spaces where it can (a word longer
    /// than a line, or a run of 汉字, is broken where it must). Nothing is cut off.
    static func wrap(_ text: String, to width: Int) -> [String] {
        guard width > 0, of(text) > width else { return [text] }
        var lines: [String] = [], line = "", used = 0
        func flush() {
            lines.append(String(line.reversed().drop(while: { $0 == " " }).reversed()))
            line = ""
            used = 0
        }
        for word in text.split(separator: " ", omittingEmptySubsequences: false).map(String.init) {
            let w = of(word), gap = line.isEmpty ? 0 : 1
            if used + gap + w <= width {
                if gap == 1 { line.append(" ") }
                line += word
                used += gap + w
                continue
            }
            if !line.isEmpty { flush() }
            for c in word {
                if used + of(c) > width { flush() }
                line.append(c)
                used += of(c)
            }
        }
        if !line.isEmpty { flush() }
        return lines
    }
}
