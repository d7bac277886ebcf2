/// A plain-text table with aligned columns, measured in display columns (so 企业开办 lines up
/// with ASCII). Two spaces between columns, an upper-case header, no borders: easy to read at a
/// terminal and easy to `grep`/`awk`. At a terminal it fits the width (`Terminal.current`): free
/// text is cut with "…" first, then optional columns are hidden, right to left, and a last line
/// says which (`--wide` shows them); state columns are coloured.
struct Table {
    /// What may give way when the table is wider than the terminal.
    enum Fit: Equatable, Sendable {
        /// Always shown in full: ids, numbers, states, times.
        case keep
        /// Free text, cut with "…" down to `min` columns (or its header's width) when needed.
        case cut(min: Int)
        /// Hidden when cutting is not enough.
        case optional
    }

    struct Column {
        var title: String
        var rightAligned = false
        /// Cells wider than this are cut with "…" (nil: never).
        var maxWidth: Int? = nil
        var fit: Fit = .keep
        /// Cells are states (ok, fault, open…), coloured at a terminal.
        var isState = false
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

    /// Says how the column titled `title` gives way, and whether its cells are states.
    mutating func shape(_ title: String, _ fit: Fit = .keep, state: Bool = false) {
        guard let i = columns.firstIndex(where: { $0.title == title }) else { return }
        columns[i].fit = fit
        columns[i].isState = state
    }

    mutating func add(_ cells: String...) { add(cells) }

    mutating func add(_ cells: [String]) {
        var row = cells.map { $0.replacingOccurrences(of: "\n", with: " ") }
        row += Array(repeating: "", count: max(0, columns.count - row.count))
        rows.append(Array(row.prefix(columns.count)))
    }

    var isEmpty: Bool { rows.isEmpty }

    func render(on terminal: Terminal = Terminal.current) -> String {
        let cells: [[String]] = rows.map { row in
            zip(row, columns).map { cell, col in col.maxWidth.map { DisplayWidth.truncate(cell, to: $0) } ?? cell }
        }
        let headers = columns.map { $0.title.uppercased() }
        var natural = headers.map(DisplayWidth.of)
        for row in cells {
            for (i, cell) in row.enumerated() { natural[i] = max(natural[i], DisplayWidth.of(cell)) }
        }
        let (visible, widths) = layout(natural: natural, headers: headers.map(DisplayWidth.of), limit: terminal.width)
        func line(_ row: [String], header: Bool) -> String {
            var parts: [String] = []
            for (n, i) in visible.enumerated() {
                let text = DisplayWidth.truncate(row[i], to: widths[i])
                let gap = String(repeating: " ", count: max(0, widths[i] - DisplayWidth.of(text)))
                let shown = header || !columns[i].isState
                    ? text : Palette.paint(text, Palette.colour(ofState: text), on: terminal)
                let last = n == visible.count - 1
                if columns[i].rightAligned {
                    parts.append(gap + shown)
                } else {
                    parts.append(last ? shown : shown + gap)  // no trailing spaces
                }
            }
            var s = parts.joined(separator: "  ")
            while s.hasSuffix(" ") { s.removeLast() }
            return s
        }
        var lines = [line(headers, header: true)] + cells.map { line($0, header: false) }
        let hidden = columns.indices.filter { !visible.contains($0) }.map { columns[$0].title }
        if !hidden.isEmpty, let limit = terminal.width {
            lines.append(DisplayWidth.truncate("(--wide also shows \(hidden.joined(separator: ", ")))", to: limit))
        }
        return lines.joined(separator: "\n")
    }

    /// The columns shown and their widths within `limit`: cut the widest free-text column a
    /// column at a time; when all are at their minimum, hide the rightmost optional column and
    /// start again; on a terminal too narrow even for the columns kept, hide from the right.
    private func layout(natural: [Int], headers: [Int], limit: Int?) -> (visible: [Int], widths: [Int]) {
        var visible = Array(natural.indices)
        guard let limit else { return (visible, natural) }
        while true {
            var widths = natural
            func total() -> Int { visible.reduce(0) { $0 + widths[$1] } + 2 * max(0, visible.count - 1) }
            while total() > limit {
                let cuttable = visible.filter { i in
                    guard case .cut(let least) = columns[i].fit else { return false }
                    return widths[i] > max(least, headers[i])
                }
                guard let widest = cuttable.max(by: { widths[$0] < widths[$1] }) else { break }
                widths[widest] -= 1
            }
            if total() <= limit { return (visible, widths) }
            if let drop = visible.last(where: { columns[$0].fit == .optional }) {
                visible.removeAll { $0 == drop }
                continue
            }
            // Still too wide for the columns it keeps (a very narrow terminal): hide from the right.
            if visible.count > 1 {
                visible.removeLast()
                continue
            }
            if let only = visible.first { widths[only] = min(widths[only], limit) }
            return (visible, widths)
        }
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
