import ArgumentParser
import KioskProtocol

/// `kioskctl stats`: stats.day.
struct StatsCommand: KioskCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Show a hall-day's figures (日统计) per category and window, and the bad reviews to call back.",
        discussion: """
            Categories count the numbers they issued; windows issue nothing and count the tickets \
            they called. A no-show that was requeued is still one of the day's no-shows.

            --csv prints one row per category, per window and the total, header first: \
            \(Self.csvColumns.joined(separator: ",")). Durations are in seconds there; empty \
            means no data (a window's issued is empty). The file starts with a UTF-8 byte order \
            mark, so Excel opens the Chinese names correctly; --no-bom leaves it out. Bad reviews \
            are listed only in the readable output.
            """)

    /// The CSV header; new columns go at the end, so scripts that read by position keep working.
    static let csvColumns = [
        "scope", "key", "name", "issued", "served", "noShows", "cancelled", "averageWaitSeconds", "maxWaitSeconds",
        "averageServiceSeconds", "evaluations", "satisfactionRate", "badReviews", "called",
    ]

    /// U+FEFF at the start: how Excel (on a Chinese Windows desk, GBK by default) knows the file is UTF-8.
    static let byteOrderMark = "\u{FEFF}"

    @OptionGroup(title: "Connection and output") var connection: ConnectionOptions

    @Option(help: ArgumentHelp("The hall-day (YYYY-MM-DD); today by default.", valueName: "date"))
    var date: String?

    @Flag(help: "Print CSV for a spreadsheet instead of a table.")
    var csv = false

    @Flag(name: .customLong("no-bom"), help: "With --csv: leave out the UTF-8 byte order mark (for tools that do not expect one).")
    var noBOM = false

    func validate() throws {
        if let date { try Check.date(date, option: "--date") }
        if csv && connection.json { throw ValidationError("Choose one output: --csv or --json.") }
        if noBOM && !csv { throw ValidationError("--no-bom is for --csv output.") }
    }

    func perform(_ link: DaemonLink) throws {
        let result = try link.call(.statsDay, StatsParams(date: date))
        if csv {
            Output.line((noBOM ? "" : Self.byteOrderMark) + Self.csv(result))
            return
        }
        link.show(result, Self.readable)
    }

    /// (scope, line) in CSV order: categories, windows, total.
    static func lines(_ s: JSONValue) -> [(String, JSONValue)] {
        (s["categories"]?.arrayValue ?? []).map { ("category", $0) }
            + (s["windows"]?.arrayValue ?? []).map { ("window", $0) }
            + (s["total"].map { [("total", $0)] } ?? [])
    }

    static func csv(_ s: JSONValue) -> String {
        var out = [csvColumns.joined(separator: ",")]
        for (scope, l) in lines(s) {
            let cells = [scope] + csvColumns.dropFirst().map { key in l[key].map { $0.isNull ? "" : $0.plainText } ?? "" }
            out.append(cells.map(csvField).joined(separator: ","))
        }
        return out.joined(separator: "\n")
    }

    /// RFC 4180 quoting, only when needed.
    static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// One table of lines: categories (and the total) lead with what they issued, windows with
    /// what they called. Free text gives way first, then the rarer figures.
    static func figures(_ lines: [JSONValue], first: String) -> Table {
        var table = Table("key", "name", ">\(first)", ">served", ">no-show", ">cancelled", ">avg wait", ">max wait",
            ">avg svc", ">ratings", ">satisfied", ">bad")
        table.shape("name", .cut(min: 6))
        table.shape("cancelled", .optional)
        table.shape("max wait", .optional)
        table.shape("ratings", .optional)
        for l in lines {
            let total = l.text("key") == "total"
            let rated = (l.int("evaluations") ?? 0) > 0
            table.add(total ? "" : (l.text("key") ?? ""), total ? "total" : (l.text("name") ?? ""),
                l.text(first) ?? "0", l.text("served") ?? "0", l.text("noShows") ?? "0", l.text("cancelled") ?? "0",
                Format.duration(l["averageWaitSeconds"]), Format.duration(l["maxWaitSeconds"]),
                Format.duration(l["averageServiceSeconds"]), l.text("evaluations") ?? "0",
                rated ? Format.percent(l["satisfactionRate"]) : "—", l.text("badReviews") ?? "0")
        }
        return table
    }

    static func readable(_ s: JSONValue) -> String {
        let categories = (s["categories"]?.arrayValue ?? []) + (s["total"].map { [$0] } ?? [])
        let windows = s["windows"]?.arrayValue ?? []
        var text = "Hall \(s.text("hall") ?? "?"), \(s.text("date") ?? "?")\n\n"
            + "By category\n" + figures(categories, first: "issued").render() + "\n\n"
            + (windows.isEmpty ? "No windows." : "By window\n" + figures(windows, first: "called").render())
        let bad = s["badReviews"]?.arrayValue ?? []
        text += "\n\n"
        if bad.isEmpty {
            text += "No bad reviews."
        } else {
            var reviews = Table("time", "ticket", "window", "staff", "score", "case", "comment")
            reviews.shape("staff", .cut(min: 6))
            reviews.shape("case", .optional)
            reviews.shape("comment", .cut(min: 10))
            for e in bad {
                let score = [e.text("score"), e.text("label")].compactMap { $0 }.joined(separator: " ")
                reviews.add(Format.clock(e.text("submittedAt")), e.text("number") ?? "", e.text("window") ?? "",
                    e.text("staff") ?? "", score, e.text("caseNumber") ?? "", e.text("comment") ?? "")
            }
            text += "Bad reviews to call back within one working day (\(bad.count)):\n" + reviews.render()
        }
        return text
    }
}
