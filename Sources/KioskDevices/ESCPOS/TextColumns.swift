/// Column arithmetic for a thermal printer in Chinese mode.
///
/// With the standard 12×24 font a single-byte character is 12 dots wide (one column) and every
/// multi-byte GB 18030 character is a 24-dot glyph (two columns, 全角): so "width" here is the
/// GB 18030 rule, not the terminal's East Asian Width, because it is what the printer does.
/// 384 dots give 32 columns, 576 dots give 48.
public enum TextColumns {
    /// Columns `character` takes at normal size.
    public static func width(of character: Character) -> Int {
        character.isASCII ? 1 : 2
    }

    /// Columns `text` takes at normal size.
    public static func width<S: StringProtocol>(of text: S) -> Int {
        text.reduce(0) { $0 + width(of: $1) }
    }

    /// Columns on paper `dots` wide (12 dots each); never fewer than 16.
    public static func columns(forPaperWidthDots dots: Int) -> Int {
        max(16, dots / 12)
    }

    /// Splits `text` into lines of at most `columns` columns, breaking at the last space where
    /// there is one (Latin words, space-separated Chinese phrases) and anywhere in an unbroken
    /// run of Chinese, as receipts are normally set.
    public static func wrap(_ text: String, columns: Int) -> [String] {
        precondition(columns > 0)
        var lines: [String] = []
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line: [Character] = []
            var used = 0
            for ch in paragraph {
                let w = width(of: ch)
                if used + w > columns, !line.isEmpty {
                    // Break at the last space, so words and space-separated phrases stay
                    // whole; a line without one breaks at the character.
                    if ch != " ", line.last != " ", let space = line.lastIndex(of: " "), space > 0 {
                        let rest = Array(line[(space + 1)...])
                        lines.append(String(line[..<space]).trimmingTrailingSpaces())
                        line = rest
                        used = width(of: String(rest))
                    } else {
                        lines.append(String(line).trimmingTrailingSpaces())
                        line = []
                        used = 0
                    }
                    if ch == " " && line.isEmpty { continue }
                }
                line.append(ch)
                used += w
            }
            lines.append(String(line).trimmingTrailingSpaces())
        }
        return lines
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}
