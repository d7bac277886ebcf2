/// Finds the line on which a key or table is written, so that errors found after parsing can
/// still say `demo.toml:12:`.
///
/// TOMLKit (toml++) reports positions only for syntax errors; the parsed tree has none. So this
/// scans the source text itself: table headers (`[daemon]`, `[[categories]]`, counting repeats to
/// know the array index, dotted and quoted names) and `key = value` lines, and maps each
/// `KeyPath` to the first line that defines it. Values that span lines (arrays, multi-line strings)
/// are skipped over so that their contents are never mistaken for keys.
///
/// It is deliberately not a TOML parser: it trusts that TOMLKit has accepted (or is about to
/// reject) the text, never fails, and answers "the nearest thing written down" — a key inside an
/// inline table or an array element falls back to the line of its enclosing key or table header.
package struct KeyLocator: Sendable {
    private var lines: [KeyPath: Int] = [:]
    /// Every `key = value` line, for naming the key of a syntax error.
    private var keyLines: [Int: KeyPath] = [:]
    /// Table headers in file order, for syntax errors on lines that are not `key = value`.
    private var headers: [(line: Int, path: KeyPath)] = []

    package init(source: String) {
        var scanner = Scanner()
        // Split on scalars: as Characters, "\r\n" is one grapheme and would not split at "\n".
        for (offset, line) in source.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            // A byte-order mark (files saved by Windows editors) is not part of the first line.
            let scalars = offset == 0 && line.first == "\u{FEFF}" ? Array(line.dropFirst()) : Array(line)
            scanner.scan(scalars, lineNumber: offset + 1, into: &self)
        }
    }

    /// The line that defines `path`, or else the line of its nearest enclosing key or table;
    /// nil when nothing on the path is written in the file (e.g. a missing required table).
    package func line(of path: KeyPath) -> Int? {
        var candidate: KeyPath? = path
        while let current = candidate, !current.isRoot {
            if let line = lines[current] { return line }
            candidate = current.parent
        }
        return nil
    }

    /// The key written on `line`, or else the table it sits in; nil before the first header.
    package func keyPath(atLine line: Int) -> KeyPath? {
        if let key = keyLines[line] { return key }
        return headers.last { $0.line <= line }?.path
    }

    fileprivate mutating func record(_ path: KeyPath, line: Int) {
        if lines[path] == nil { lines[path] = line }
    }

    fileprivate mutating func recordHeader(_ path: KeyPath, line: Int) {
        record(path, line: line)
        headers.append((line, path))
    }

    fileprivate mutating func recordKey(_ path: KeyPath, line: Int) {
        record(path, line: line)
        keyLines[line] = path
    }
}

/// Line-by-line state of the scan: which table we are in, how many times each array of tables
/// has been opened, and whether we are inside a value that continues on the next line.
private struct Scanner {
    var table = KeyPath.root
    /// `[[name]]` occurrences, keyed by the array's own path (`categories`, `fruits[0].varieties`).
    var arrayCounts: [KeyPath: Int] = [:]
    /// Open `[` / `{` of a value that has not closed yet.
    var depth = 0
    /// Inside a `"""` or `'''` string that has not closed yet.
    var openMultiline: Unicode.Scalar?

    mutating func scan(_ text: [Unicode.Scalar], lineNumber: Int, into locator: inout KeyLocator) {
        var i = 0
        if let quote = openMultiline {
            guard let end = Self.closingTriple(quote, in: text, from: 0) else { return }
            openMultiline = nil
            i = end
        }
        if depth > 0 || i > 0 {
            scanValue(text, from: i)
            return
        }
        i = Self.skipSpaces(text, from: i)
        guard i < text.count, text[i] != "#" else { return }

        if text[i] == "[" {
            let isArray = i + 1 < text.count && text[i + 1] == "["
            guard let (names, _) = Self.parseKey(text, from: i + (isArray ? 2 : 1)) else { return }
            openHeader(names, isArray: isArray, lineNumber: lineNumber, into: &locator)
            return
        }

        guard let (names, end) = Self.parseKey(text, from: i), end < text.count, text[end] == "=" else { return }
        // Dotted keys (`a.b = 1`) also define the intermediate tables.
        for count in 1..<names.count {
            locator.record(table.appending(keys: Array(names.prefix(count))), line: lineNumber)
        }
        locator.recordKey(table.appending(keys: names), line: lineNumber)
        scanValue(text, from: end + 1)
    }

    /// `[a.b]` or `[[a.b]]`: the new current table. Any prefix that is an array of tables refers to
    /// its latest element, as in TOML (`[fruits.physical]` after `[[fruits]]`).
    private mutating func openHeader(
        _ names: [String], isArray: Bool, lineNumber: Int, into locator: inout KeyLocator
    ) {
        var path = KeyPath.root
        for (position, name) in names.enumerated() {
            path = path.appending(name)
            let isLast = position == names.count - 1
            if isLast && isArray {
                let count = arrayCounts[path, default: 0]
                arrayCounts[path] = count + 1
                locator.record(path, line: lineNumber)
                path = path.appending(index: count)
            } else if let count = arrayCounts[path] {
                path = path.appending(index: count - 1)
            } else if !isLast {
                // `[a.b]` implicitly defines `a`; an explicit `[a]` written earlier keeps its line.
                locator.record(path, line: lineNumber)
            }
        }
        table = path
        locator.recordHeader(path, line: lineNumber)
    }

    /// Walks a value (or the rest of a line inside one), tracking brackets and strings.
    private mutating func scanValue(_ text: [Unicode.Scalar], from start: Int) {
        var i = start
        while i < text.count {
            let c = text[i]
            switch c {
            case "#":
                return
            case "[", "{":
                depth += 1
            case "]", "}":
                depth = max(0, depth - 1)
            case "\"", "'":
                if Self.isTriple(c, in: text, at: i) {
                    guard let end = Self.closingTriple(c, in: text, from: i + 3) else {
                        openMultiline = c
                        return
                    }
                    i = end
                    continue
                }
                i = Self.endOfString(text, from: i)
                continue
            default:
                break
            }
            i += 1
        }
    }

    // MARK: Lexing helpers

    static func skipSpaces(_ text: [Unicode.Scalar], from start: Int) -> Int {
        var i = start
        while i < text.count, text[i] == " " || text[i] == "\t" || text[i] == "\r" { i += 1 }
        return i
    }

    static func isTriple(_ quote: Unicode.Scalar, in text: [Unicode.Scalar], at i: Int) -> Bool {
        i + 2 < text.count && text[i + 1] == quote && text[i + 2] == quote
    }

    /// Index just past the `"""`/`'''` that closes a multi-line string, searching from `start`.
    static func closingTriple(_ quote: Unicode.Scalar, in text: [Unicode.Scalar], from start: Int) -> Int? {
        var i = start
        while i < text.count {
            if quote == "\"" && text[i] == "\\" {
                i += 2
                continue
            }
            if text[i] == quote && isTriple(quote, in: text, at: i) {
                var end = i + 3
                // Up to two more quotes may belong to the content (`""""x""""`).
                while end < text.count && text[end] == quote && end < i + 5 { end += 1 }
                return end
            }
            i += 1
        }
        return nil
    }

    /// Index just past a single-line string starting at `start` (the opening quote).
    static func endOfString(_ text: [Unicode.Scalar], from start: Int) -> Int {
        let quote = text[start]
        var i = start + 1
        while i < text.count {
            if quote == "\"" && text[i] == "\\" {
                i += 2
                continue
            }
            if text[i] == quote { return i + 1 }
            i += 1
        }
        return text.count
    }

    /// A possibly dotted, possibly quoted key; returns its parts and the index of the first
    /// non-space character after it (`=` for a key, `]` for a header). Nil when it is not a key.
    static func parseKey(_ text: [Unicode.Scalar], from start: Int) -> ([String], Int)? {
        var names: [String] = []
        var i = skipSpaces(text, from: start)
        while true {
            guard i < text.count else { return nil }
            let c = text[i]
            if c == "\"" || c == "'" {
                let end = endOfString(text, from: i)
                guard end <= text.count, end - 1 > i, text[end - 1] == c else { return nil }
                let body = String(String.UnicodeScalarView(text[(i + 1)..<(end - 1)]))
                names.append(c == "\"" ? unescape(body) : body)
                i = end
            } else {
                var end = i
                while end < text.count, isBareKeyCharacter(text[end]) { end += 1 }
                guard end > i else { return nil }
                names.append(String(String.UnicodeScalarView(text[i..<end])))
                i = end
            }
            i = skipSpaces(text, from: i)
            guard i < text.count, text[i] == "." else { return (names, i) }
            i = skipSpaces(text, from: i + 1)
        }
    }

    static func isBareKeyCharacter(_ c: Unicode.Scalar) -> Bool {
        ("A"..."Z").contains(c) || ("a"..."z").contains(c) || ("0"..."9").contains(c) || c == "_" || c == "-"
    }

    /// The common escapes of a basic-string key; `\u` escapes are left as written, which only
    /// costs a line number fallback for such (unusual) keys.
    static func unescape(_ body: String) -> String {
        guard body.contains("\\") else { return body }
        var result = ""
        var escaping = false
        for c in body {
            if escaping {
                switch c {
                case "n": result.append("\n")
                case "t": result.append("\t")
                case "\"", "\\": result.append(c)
                default: result.append("\\"); result.append(c)
                }
                escaping = false
            } else if c == "\\" {
                escaping = true
            } else {
                result.append(c)
            }
        }
        return result
    }
}
