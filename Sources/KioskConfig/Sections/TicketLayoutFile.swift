import KioskCore
import TOMLKit

/// A ticket layout file (`[[devices]] layout = "tickets/standard.toml"`): `[[block]]` tables,
/// top to bottom, each exactly one of `text`, `blank`, `qr` or `feed`.
extension TicketTemplate {
    static let blockKeys: Set<String> = ["text", "english", "bold", "size", "when", "paper", "blank", "qr", "feed"]
    static let textOnlyKeys = ["english", "bold", "size", "when", "paper"]

    /// Reads the layout at `absolutePath`; errors name `shownAs` (the path as written).
    static func load(_ absolutePath: String, shownAs: String) throws(ConfigError) -> TicketTemplate {
        let root = try TOMLFile.read(absolutePath, shownAs: shownAs)
        try root.refuseUnknownKeys(["block"], noun: "table")
        guard let tables = try root.tables("block"), !tables.isEmpty else {
            throw root.error("block", "a ticket layout needs at least one [[block]]")
        }
        var blocks: [Block] = []
        for table in tables { blocks.append(try block(table)) }
        guard blocks.contains(where: { if case .text(let t) = $0 { t.chinese.contains("{number}") } else { false } }) else {
            throw root.error("block", "no block prints {number}: a ticket without its number is useless")
        }
        return TicketTemplate(blocks: blocks)
    }

    private static func block(_ table: TableReader) throws(ConfigError) -> Block {
        try table.refuseUnknownKeys(blockKeys)
        let kinds = ["text", "blank", "qr", "feed"].filter { table.table[$0] != nil }
        guard kinds.count == 1, let kind = kinds.first else {
            throw table.error(
                kinds.isEmpty ? "a block needs one of text, blank, qr or feed" : "a block is one of text, blank, qr or feed, not "
                    + kinds.joined(separator: " and "))
        }
        if kind != "text", let stray = textOnlyKeys.first(where: { table.table[$0] != nil }) {
            throw table.error(stray, "only a text block takes \(stray)")
        }
        switch kind {
        case "blank": return .blank(lines: try lines(table, "blank"))
        case "feed": return .feed(lines: try lines(table, "feed"))
        case "qr":
            guard try table.bool("qr") == true else { throw table.error("qr", "write qr = true, or leave the block out") }
            return .qr
        default:
            let chinese = try table.requiredString("text")
            let english = try table.string("english")
            for (key, text) in [("text", chinese), ("english", english ?? "")] {
                let unknown = TicketTemplate.unknownPlaceholders(in: text)
                if let name = unknown.first {
                    throw table.error(
                        key, "unknown placeholder {\(name)}; known: "
                            + placeholders.keys.sorted().map { "{\($0)}" }.joined(separator: " "))
                }
            }
            return .text(Text(
                chinese, english: english, bold: try table.bool("bold") ?? false, size: try size(table),
                when: try table.choice("when", among: Condition.allCases), paperMM: try paper(table)))
        }
    }

    private static func lines(_ table: TableReader, _ key: String) throws(ConfigError) -> Int {
        guard let n = try table.int(key, atLeast: 1), n <= 10 else {
            throw table.error(key, "must be a number of lines from 1 to 10")
        }
        return n
    }

    /// `size = 2` (a factor 1…8) or `size = "max"` (as large as the line allows).
    private static func size(_ table: TableReader) throws(ConfigError) -> Size {
        guard let value = table.table["size"] else { return .normal }
        if value.type == .string, value.string == "max" { return .max }
        guard value.type == .int, let n = value.int, (1...8).contains(n) else {
            throw table.error("size", "must be a magnification from 1 to 8, or \"max\"")
        }
        return .times(n)
    }

    private static func paper(_ table: TableReader) throws(ConfigError) -> Int? {
        guard let text = try table.string("paper") else { return nil }
        switch text {
        case "58mm": return 58
        case "80mm": return 80
        default: throw table.error("paper", "must be \"58mm\" or \"80mm\", not \"\(text)\"")
        }
    }
}
