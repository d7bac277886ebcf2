import Foundation
import KioskProtocol
import Testing

@testable import kioskctl

@Suite("kioskctl tables: fitted to the terminal, aligned by display width, states coloured")
struct TableFitTests {
    /// The day's figures as `kioskctl stats` lays them out: 118 columns in full.
    func figures() -> Table {
        let json = """
            [{"key":"A","name":"企业开办","issued":12,"served":9,"noShows":2,"cancelled":1,"averageWaitSeconds":750,
              "maxWaitSeconds":2465,"averageServiceSeconds":500,"evaluations":7,"satisfactionRate":0.857,"badReviews":1},
             {"key":"D","name":"建设工程审批 (pre-review)","issued":3,"served":1,"noShows":0,"cancelled":0,
              "averageWaitSeconds":3720,"maxWaitSeconds":7800,"averageServiceSeconds":1500,"evaluations":1,
              "satisfactionRate":1,"badReviews":0},
             {"key":"total","issued":15,"served":10,"noShows":2,"cancelled":1,"averageWaitSeconds":1203,
              "maxWaitSeconds":7800,"averageServiceSeconds":580,"evaluations":8,"satisfactionRate":0.875,"badReviews":1}]
            """
        let lines = (try? JSONCoding.decoder.decode(JSONValue.self, from: Data(json.utf8)))?.arrayValue ?? []
        return StatsCommand.figures(lines, first: "issued")
    }

    func lines(_ text: String) -> [String] { text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) }

    @Test func aTableWiderThanTheTerminalIsFittedToIt() {
        let text = figures().render(on: Terminal(width: 80, colour: false))
        #expect(lines(text).allSatisfy { DisplayWidth.of($0) <= 80 }, "\n\(text)")
        // Free text is cut first ("…"), then optional columns go, right to left, and the last line says which.
        #expect(text == """
            KEY  NAME             ISSUED  SERVED  NO-SHOW  AVG WAIT  AVG SVC  SATISFIED  BAD
            A    企业开办             12       9        2   12m 30s   8m 20s      85.7%    1
            D    建设工程审批 (…       3       1        0     1h 2m      25m       100%    0
                 total                15      10        2    20m 3s   9m 40s      87.5%    1
            (--wide also shows cancelled, max wait, ratings)
            """)
    }

    @Test func withoutALimitEveryColumnIsShownInFull() {
        let text = figures().render(on: Terminal(width: nil, colour: false))
        #expect(lines(text).first?.hasSuffix("RATINGS  SATISFIED  BAD") == true)
        #expect(text.contains("建设工程审批 (pre-review)"))
        #expect(!text.contains("--wide"))
        #expect(lines(text).map { DisplayWidth.of($0) }.max()! > 80)
    }

    @Test func aTableThatFitsIsLeftAlone() {
        var t = Table("id", "name")
        t.add("1", "1号窗口")
        #expect(t.render(on: Terminal(width: 80, colour: false)) == "ID  NAME\n1   1号窗口")
    }

    @Test func cjkCellsLineUpByDisplayColumns() {
        let text = figures().render(on: Terminal(width: nil, colour: false))
        // The right-aligned ISSUED figures end in the same display column as their header on every row.
        func end(of token: String, after name: String, in row: String) -> Int {
            let from = row.range(of: name)!.upperBound
            let r = row.range(of: token, range: from..<row.endIndex)!
            return DisplayWidth.of(String(row[..<r.upperBound]))
        }
        let rows = lines(text)
        let header = end(of: "ISSUED", after: "NAME", in: rows[0])
        #expect(end(of: "12", after: "企业开办", in: rows[1]) == header, "\n\(text)")
        #expect(end(of: "3", after: "(pre-review)", in: rows[2]) == header, "\n\(text)")
        #expect(end(of: "15", after: "total", in: rows[3]) == header, "\n\(text)")
        // However narrow the terminal, no line is wider than it.
        for n in [100, 60, 40, 20] {
            let fitted = figures().render(on: Terminal(width: n, colour: false))
            #expect(lines(fitted).allSatisfy { DisplayWidth.of($0) <= n }, "\n\(fitted)")
        }
    }

    @Test func statesAreColouredOnlyWhenTheTerminalTakesColour() {
        var t = Table("id", "health", "last error")
        t.shape("health", state: true)
        t.add("printer0", "fault: paper out", "")
        t.add("idreader0", "ok", "")
        t.add("lp1", "absent: unplugged", "")
        t.add("lp2", "degraded: paper near end", "")
        let coloured = t.render(on: Terminal(width: 80, colour: true))
        #expect(coloured.contains("\u{1B}[31mfault: paper out\u{1B}[0m"))
        #expect(coloured.contains("\u{1B}[32mok\u{1B}[0m"))
        #expect(coloured.contains("\u{1B}[90mabsent: unplugged\u{1B}[0m"))
        #expect(coloured.contains("\u{1B}[33mdegraded: paper near end\u{1B}[0m"))
        #expect(!lines(coloured)[0].contains("\u{1B}"))  // not the header
        let plain = t.render(on: Terminal(width: 80, colour: false))
        #expect(!plain.contains("\u{1B}"))
        // Colour changes nothing else: without the escapes, the same text.
        #expect(coloured.replacingOccurrences(of: "\u{1B}[31m", with: "").replacingOccurrences(of: "\u{1B}[32m", with: "")
            .replacingOccurrences(of: "\u{1B}[90m", with: "").replacingOccurrences(of: "\u{1B}[33m", with: "")
            .replacingOccurrences(of: "\u{1B}[0m", with: "") == plain)
    }
}

@Suite("kioskctl's terminal: width from COLUMNS or the tty, colour only on a tty and never with NO_COLOR")
struct TerminalTests {
    @Test func aTerminalGetsColourUnlessNoColorIsSet() {
        #expect(Terminal.detect(wide: false, isTTY: true, environment: ["COLUMNS": "80"]).colour)
        #expect(!Terminal.detect(wide: false, isTTY: true, environment: ["COLUMNS": "80", "NO_COLOR": "1"]).colour)
        // no-color.org: any non-empty value disables colour; an empty one does not.
        #expect(!Terminal.detect(wide: false, isTTY: true, environment: ["NO_COLOR": "0"]).colour)
        #expect(Terminal.detect(wide: false, isTTY: true, environment: ["NO_COLOR": ""]).colour)
        #expect(!Terminal.detect(wide: false, isTTY: true, environment: ["TERM": "dumb"]).colour)
    }

    @Test func aPipeGetsNoColourAndEveryColumn() {
        #expect(Terminal.detect(wide: false, isTTY: false, environment: [:]) == Terminal(width: nil, colour: false))
    }

    @Test func columnsSetsTheWidthEvenForAPipeAndWideLiftsIt() {
        #expect(Terminal.detect(wide: false, isTTY: false, environment: ["COLUMNS": "80"]).width == 80)
        #expect(Terminal.detect(wide: false, isTTY: true, environment: ["COLUMNS": "132"]).width == 132)
        #expect(Terminal.detect(wide: true, isTTY: true, environment: ["COLUMNS": "80"]).width == nil)
        #expect(Terminal.detect(wide: false, isTTY: false, environment: ["COLUMNS": "abc"]).width == nil)
    }

    @Test(arguments: [20, 40, 64])
    func wrappedTextFitsAndLosesNothing(_ width: Int) {
        let text = "Config/demo.toml: hall 500107-01 九龙坡区行政服务中心, 4 categories, 5 windows, 3 devices, "
            + "/a/very/long/path/without/any/spaces/in/it/at/all/kioskd.sqlite"
        let lines = DisplayWidth.wrap(text, to: width)
        #expect(lines.allSatisfy { DisplayWidth.of($0) <= width }, "\(lines)")
        #expect(lines.joined().filter { $0 != " " } == text.filter { $0 != " " })
        #expect(DisplayWidth.wrap("short", to: width) == ["short"])
    }
}
