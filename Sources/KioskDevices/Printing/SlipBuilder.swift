/// Accumulates the ESC/POS commands of a slip line by line, wrapping text to the paper's
/// columns, so the layouts read like the slip they print.
struct SlipBuilder {
    let columns: Int
    private(set) var commands: [ESCPOSCommand] = []

    init(columns: Int) { self.columns = columns }

    mutating func add(_ command: ESCPOSCommand) { commands.append(command) }

    /// `text`, wrapped at `columns / magnification`, one LF per printed line.
    mutating func lines(_ text: String, magnification: Int = 1) {
        for line in TextColumns.wrap(text, columns: max(1, columns / max(1, magnification))) {
            if !line.isEmpty { commands.append(.text(line)) }
            commands.append(.lineFeed)
        }
    }

    /// "中文 / English" on one line when it fits, else the two on lines of their own.
    mutating func bilingual(_ chinese: String, _ english: String) {
        let joined = "\(chinese) / \(english)"
        if TextColumns.width(of: joined) <= columns {
            lines(joined)
        } else {
            lines(chinese)
            lines(english)
        }
    }

    mutating func blank() { commands.append(.lineFeed) }
}
