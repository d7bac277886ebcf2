import ArgumentParser
import KioskProtocol

/// `kioskctl stats`: stats.day.
struct StatsCommand: KioskCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Show a hall-day's figures (日统计) per category and window, and the bad reviews to call back.",
        discussion: """
            --csv prints one row per category, per window and the total, header first: \
            \(Self.csvColumns.joined(separator: ",")). Durations are in seconds there; empty \
            means no data. Bad reviews are listed only in the readable output.
            """)

    static let csvColumns = [
        "scope", "key", "name", "issued", "served", "noShows", "cancelled", "averageWaitSeconds", "maxWaitSeconds",
        "averageServiceSeconds", "evaluations", "satisfactionRate", "badReviews",
    ]

    @OptionGroup(title: "Connection and output") var connection: ConnectionOptions

    @Option(help: ArgumentHelp("The hall-day (YYYY-MM-DD); today by default.", valueName: "date"))
    var date: String?

    @Flag(help: "Print CSV for a spreadsheet instead of a table.")
    var csv = false

    func validate() throws {
        if let date { try Check.date(date, option: "--date") }
        if csv && connection.json { throw ValidationError("Choose one output: --csv or --json.") }
    }

    func perform(_ link: DaemonLink) throws {
        let result = try link.call(.statsDay, StatsParams(date: date))
        if csv {
            Output.line(Self.csv(result))
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

    static func readable(_ s: JSONValue) -> String {
        var table = Table("scope", "key", "name", ">issued", ">served", ">no-show", ">cancelled", ">avg wait", ">max wait",
            ">avg service", ">ratings", ">satisfied", ">bad")
        for (scope, l) in lines(s) {
            let rated = (l.int("evaluations") ?? 0) > 0
            table.add(scope, scope == "total" ? "" : (l.text("key") ?? ""), l.text("name") ?? "",
                l.text("issued") ?? "0", l.text("served") ?? "0", l.text("noShows") ?? "0", l.text("cancelled") ?? "0",
                Format.duration(l["averageWaitSeconds"]), Format.duration(l["maxWaitSeconds"]),
                Format.duration(l["averageServiceSeconds"]), l.text("evaluations") ?? "0",
                rated ? Format.percent(l["satisfactionRate"]) : "—", l.text("badReviews") ?? "0")
        }
        var text = "Hall \(s.text("hall") ?? "?"), \(s.text("date") ?? "?")\n" + table.render()
        let bad = s["badReviews"]?.arrayValue ?? []
        text += "\n\n"
        if bad.isEmpty {
            text += "No bad reviews."
        } else {
            var reviews = Table("time", "ticket", "window", "staff", "score", "case", "comment")
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
