import Foundation
import KioskClient
import KioskProtocol
import KioskTestSupport
import Testing

/// What a person reads from kioskctl, against a real kioskd: hall time with its offset, tables that
/// fit an 80-column terminal, colour only at a terminal, the stats a hall reports, the CSV Excel opens.
@Suite("kioskctl output", .serialized)
struct KioskctlOutputTests {
    /// The offset of the test hall (Asia/Shanghai).
    static let hallOffset = "+08:00"

    @Test("devices: SINCE is hall time with its offset, and device.list says so on the wire")
    func deviceSinceIsHallTime() throws {
        try KioskctlHall.with { hall in
            let json = try hall.ctl("devices", "--json")
            #expect(json.status == 0, "\(json)")
            let list = try JSONCoding.decoder.decode(JSONValue.self, from: Data(json.stdout.utf8)).arrayValue ?? []
            let since = try #require(list.first?["health"]?["since"]?.stringValue)
            #expect(since.hasSuffix(Self.hallOffset), "\(since)")

            let table = try hall.ctl(environment: ["COLUMNS": "80"], "devices")
            #expect(table.status == 0, "\(table)")
            let rows = table.stdout.split(separator: "\n").map(String.init)
            #expect(rows.first?.contains("SINCE") == true, "\(table)")
            let printer = try #require(rows.first { $0.hasPrefix("printer0") })
            // The wall-clock time the daemon reported, in the hall's zone, followed by the offset.
            let wall = String(since[since.index(since.firstIndex(of: "T")!, offsetBy: 1)...].prefix(8))
            #expect(printer.contains("\(wall) \(Self.hallOffset)"), "\(table)")
        }
    }

    @Test("the daemon log's timestamps are hall time with their offset")
    func logIsHallTime() throws {
        let daemon = try DaemonHarness()
        let config = try String(contentsOfFile: daemon.configPath, encoding: .utf8)
        try daemon.rewriteConfig(config.replacingOccurrences(of: "log_level = \"warning\"", with: "log_level = \"info\""))
        let before = Date()
        try daemon.start(environment: ["JOURNAL_STREAM": ""])
        _ = daemon.stop()
        let line = try #require(daemon.log().split(separator: "\n").first { $0.contains("starting for") }.map(String.init))
        // "2026-11-22T04:37:05.112+08:00 info kioskd: kioskd 0.1.0 starting for …"
        let stamp = String(line.prefix { $0 != " " })
        #expect(stamp.hasSuffix(Self.hallOffset), "\(line)")
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let at = try #require(f.date(from: stamp), "\(line)")
        #expect(abs(at.timeIntervalSince(before)) < 120, "\(line)")
    }

    @Test("stats: a requeued no-show still counts; windows show what they called, not ISSUED")
    func statsNoShowsAndWindows() throws {
        try KioskctlHall.with { hall in
            #expect(try hall.ctl("take", "A").status == 0)
            #expect(try hall.ctl("window", "open", "1", "--staff", "王芳").status == 0)
            #expect(try hall.ctl("call", "1").status == 0)
            #expect(try hall.ctl("no-show", "1").status == 0)
            #expect(try hall.ctl("requeue", "A001").status == 0)

            let json = try hall.ctl("stats", "--json")
            let s = try JSONCoding.decoder.decode(JSONValue.self, from: Data(json.stdout.utf8))
            #expect(s["total"]?["noShows"] == .int(1), "\(json)")
            #expect(s["categories"]?.arrayValue?.first?["noShows"] == .int(1), "\(json)")
            let windows = s["windows"]?.arrayValue ?? []
            #expect(!windows.isEmpty && windows.allSatisfy { $0["issued"] == nil && $0["called"] != nil }, "\(json)")

            let table = try hall.ctl("stats")
            let byWindow = try #require(table.stdout.range(of: "By window\n")).upperBound
            let header = table.stdout[byWindow...].prefix { $0 != "\n" }
            #expect(header.hasPrefix("KEY  NAME"), "\(table)")
            #expect(header.contains("CALLED") && !header.contains("ISSUED"), "\(table)")
        }
    }

    @Test("stats at 80 columns: the whole report, every line within the width")
    func statsSnapshotAt80Columns() throws {
        try KioskctlHall.with { hall in
            for category in ["A", "A", "B", "C"] { #expect(try hall.ctl("take", category).status == 0) }
            let r = try hall.ctl(environment: ["COLUMNS": "80"], "stats")
            #expect(r.status == 0, "\(r)")
            let lines = r.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            #expect(lines.allSatisfy { displayColumns($0) <= 80 }, "\(r.stdout)")
            let body = lines.dropFirst().joined(separator: "\n")  // the first line holds today's date
            #expect(lines.first?.hasPrefix("Hall 500107-01, ") == true)
            #expect(body == """

                By category
                KEY  NAME          ISSUED  SERVED  NO-SHOW  AVG WAIT  AVG SVC  SATISFIED  BAD
                A    企业开办           2       0        0         —        —          —    0
                B    不动产登记         1       0        0         —        —          —    0
                C    社保医保           1       0        0         —        —          —    0
                D    建设工程审批       0       0        0         —        —          —    0
                     total              4       0        0         —        —          —    0
                (--wide also shows cancelled, max wait, ratings)

                By window
                KEY  NAME      CALLED  SERVED  NO-SHOW  AVG WAIT  AVG SVC  SATISFIED  BAD
                1    1号窗口        0       0        0         —        —          —    0
                2    2号窗口        0       0        0         —        —          —    0
                P1   预审窗口       0       0        0         —        —          —    0
                (--wide also shows cancelled, max wait, ratings)

                No bad reviews.

                """, "\(r.stdout)")
            // --wide: every column, whatever COLUMNS says.
            let wide = try hall.ctl(environment: ["COLUMNS": "80"], "stats", "--wide")
            #expect(wide.stdout.contains("CANCELLED") && wide.stdout.contains("RATINGS"))
            #expect(!wide.stdout.contains("--wide also shows"))
        }
    }

    @Test("stats --csv starts with a UTF-8 byte order mark for Excel; --no-bom leaves it out")
    func csvByteOrderMark() throws {
        try KioskctlHall.with { hall in
            #expect(try hall.ctl("take", "A").status == 0)
            // The bytes themselves: reading the output as a String would drop a BOM.
            func firstBytes(_ args: String) throws -> String {
                let command = "'\(KioskctlHall.kioskctl.path)' stats --csv \(args) --socket '\(hall.daemon.socket)' | od -An -tx1 -N9"
                return try ToolRun.run("/bin/sh", ["-c", command]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            }
            #expect(try firstBytes("") == "ef bb bf 73 63 6f 70 65 2c")  // BOM, "scope,"
            #expect(try firstBytes("--no-bom") == "73 63 6f 70 65 2c 6b 65 79")  // "scope,key"
            let misuse = try hall.ctl("stats", "--no-bom")
            #expect(misuse.status == 64, "\(misuse)")
        }
    }

    @Test("sim printer and sim card say what changed in a sentence, each fact once")
    func simOutput() throws {
        try KioskctlHall.with { hall in
            let printer = try hall.ctl("sim", "printer", "--paper", "out")
            #expect(printer.status == 0, "\(printer)")
            let lines = printer.stdout.split(separator: "\n").map(String.init)
            #expect(lines.first == "printer0: fault: paper out", "\(printer)")
            #expect(printer.stdout.components(separatedBy: "fault").count == 2, "\(printer)")  // once
            #expect(lines.contains { $0.hasPrefix("  paper") && $0.hasSuffix("out") }, "\(printer)")
            #expect(lines.contains { $0.hasPrefix("  since") && $0.contains(Self.hallOffset) }, "\(printer)")

            let card = try hall.ctl("sim", "card", "--name", "张三", "--id-number", "11010519491231002X")
            #expect(card.status == 0, "\(card)")
            #expect(card.stdout == "Card placed on idreader0: resident ID card 张* 1101**********002X.\n", "\(card)")
            let off = try hall.ctl("sim", "card", "--remove")
            #expect(off.stdout == "Card taken off idreader0.\n", "\(off)")
        }
    }

    @Test("at a terminal states are coloured and tables fit it; NO_COLOR or a pipe gets plain text")
    func colourOnlyAtATerminal() throws {
        try KioskctlHall.with { hall in
            #expect(try hall.ctl("sim", "printer", "--paper", "out").status == 0)
            let tty = try hall.atTerminal(["devices"], environment: [:])
            #expect(tty.contains("\u{1B}[31mfault: paper out\u{1B}[0m"), "\(tty.debugDescription)")
            #expect(tty.contains("\u{1B}[32mok\u{1B}[0m"), "\(tty.debugDescription)")
            // script's pty has no size: kioskctl fits 80 columns.
            let visible = tty.replacingOccurrences(of: "\r", with: "")
                .replacingOccurrences(of: #"\u{1B}\[[0-9;]*m"#, with: "", options: .regularExpression)
            #expect(visible.split(separator: "\n").allSatisfy { displayColumns(String($0)) <= 80 }, "\(visible)")

            let noColour = try hall.atTerminal(["devices"], environment: ["NO_COLOR": "1"])
            #expect(noColour.contains("fault: paper out") && !noColour.contains("\u{1B}["), "\(noColour.debugDescription)")
            let pipe = try hall.ctl("devices")
            #expect(!pipe.stdout.contains("\u{1B}["))
        }
    }
}

extension KioskctlHall {
    /// kioskctl's output when its stdout is a terminal: run under `script`, which gives it a pty.
    func atTerminal(_ args: [String], environment: [String: String]) throws -> String {
        let command = ([Self.kioskctl.path] + args + ["--socket", daemon.socket]).map { "'\($0)'" }.joined(separator: " ")
        let r = try ToolRun.run("/usr/bin/script", ["-qec", command, "/dev/null"], environment: environment,
            removing: ["KIOSKD_SOCKET", "COLUMNS", "NO_COLOR", "TERM"].filter { environment[$0] == nil })
        guard r.status == 0 else { throw HarnessError("script failed: \(r.status) \(r.stderr)") }
        return r.stdout
    }
}

/// Terminal columns of `text`: CJK ideographs and fullwidth forms take two.
func displayColumns(_ text: String) -> Int {
    text.unicodeScalars.reduce(0) { w, s in
        switch s.value {
        case 0x1100...0x115F, 0x2E80...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
            0xFFE0...0xFFE6, 0x20000...0x3FFFD: w + 2
        default: w + 1
        }
    }
}
