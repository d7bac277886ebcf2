/// A plain-text table with aligned columns, measured in display columns (so 企业开办 lines up
/// with ASCII). Two spaces between columns, an upper-case header, no borders: easy to read at a
/// terminal and easy to `grep`/`awk`.
struct Table {
    struct Column {
        var title: String
        var rightAligned = false
        /// Cells wider than this are cut with "…" (nil: never).
        var maxWidth: Int? = nil
    }

    var columns: [Column]
    private(set) var rows: [[String]] = []

    init(_ columns: [Column]) { self.columns = columns }

    /// Left-aligned columns with these titles; a title starting with ">" is right-aligned.
    init(_ titles: String...) {
        columns = titles.map { t in
            t.hasPrefix(">") ? Column(title: String(t.dropFirst()), rightAligned: true) : Column(title: t)
        }
    }

    mutating func add(_ cells: String...) { add(cells) }

    mutating func add(_ cells: [String]) {
        var row = cells.map { $0.replacingOccurrences(of: "\n", with: " ") }
        row += Array(repeating: "", count: max(0, columns.count - row.count))
        rows.append(Array(row.prefix(columns.count)))
    }

    var isEmpty: Bool { rows.isEmpty }

    func render() -> String {
        let cells: [[String]] = rows.map { row in
            zip(row, columns).map { cell, col in col.maxWidth.map { DisplayWidth.truncate(cell, to: $0) } ?? cell }
        }
        let headers = columns.map { $0.title.uppercased() }
        var widths = headers.map(DisplayWidth.of)
        for row in cells {
            for (i, cell) in row.enumerated() { widths[i] = max(widths[i], DisplayWidth.of(cell)) }
        }
        func line(_ row: [String]) -> String {
            var parts: [String] = []
            for (i, cell) in row.enumerated() {
                let last = i == row.count - 1
                if last && !columns[i].rightAligned {
                    parts.append(cell)  // no trailing spaces
                } else {
                    parts.append(DisplayWidth.pad(cell, to: widths[i], right: columns[i].rightAligned))
                }
            }
            var s = parts.joined(separator: "  ")
            while s.hasSuffix(" ") { s.removeLast() }
            return s
        }
        return ([line(headers)] + cells.map(line)).joined(separator: "\n")
    }
}

/// Aligned "key  value" lines for one record (daemon status, one ticket, one device).
struct Fields {
    private(set) var pairs: [(String, String)] = []
    var indent = "  "

    mutating func add(_ key: String, _ value: String?) {
        guard let value, !value.isEmpty else { return }
        pairs.append((key, value))
    }

    func render() -> String {
        let width = pairs.map { DisplayWidth.of($0.0) }.max() ?? 0
        return pairs.map { key, value in
            let continuation = "\n" + indent + String(repeating: " ", count: width + 2)
            return indent + DisplayWidth.pad(key, to: width) + "  " + value.replacingOccurrences(of: "\n", with: continuation)
        }.joined(separator: "\n")
    }
}
