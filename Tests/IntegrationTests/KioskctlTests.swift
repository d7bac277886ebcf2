import Foundation
import KioskClient
import KioskProtocol
import KioskTestSupport
import Testing

/// kioskctl against a real kioskd (DaemonHarness: both binaries from the build folder these tests
/// were built in, a temporary hall open 00:00-24:00), one daemon per test.
@Suite("kioskctl", .serialized)
struct KioskctlTests {
    @Test("take --json prints the new ticket, C001 in a fresh hall")
    func takeJSON() throws {
        try KioskctlHall.with { hall in
            let r = try hall.ctl("take", "C", "--json")
            #expect(r.status == 0, "\(r)")
            let ticket = try JSONCoding.decoder.decode(JSONValue.self, from: Data(r.stdout.utf8))
            #expect(ticket["number"] == .string("C001"))
            #expect(ticket["category"] == .string("C"))
            #expect(ticket["state"] == .string("waiting"))
            #expect(ticket["ahead"] == .int(0))
            // Pretty and sorted: one key per line, "ahead" before "category".
            let lines = r.stdout.split(separator: "\n")
            #expect(lines.count > 5)
            let ahead = try #require(r.stdout.range(of: "\"ahead\""))
            let category = try #require(r.stdout.range(of: "\"category\""))
            #expect(ahead.lowerBound < category.lowerBound)
        }
    }

    @Test("window open then call shows the called number; an empty queue says nobody is waiting")
    func openAndCall() throws {
        try KioskctlHall.with { hall in
            let take = try hall.ctl("take", "A")
            #expect(take.status == 0, "\(take)")
            #expect(take.stdout.contains("A001"))

            let open = try hall.ctl("window", "open", "1", "--staff", "王芳")
            #expect(open.status == 0, "\(open)")
            #expect(open.stdout.contains("open"))
            #expect(open.stdout.contains("王芳"))

            let call = try hall.ctl("call", "1")
            #expect(call.status == 0, "\(call)")
            #expect(call.stdout.contains("A001"))
            #expect(call.stdout.contains("window 1"))

            let windows = try hall.ctl("windows")
            #expect(windows.status == 0, "\(windows)")
            #expect(windows.stdout.contains("A001 called"))

            // The window still holds A001: the daemon refuses, with its reason.
            let again = try hall.ctl("call", "1")
            #expect(again.status == 2, "\(again)")
            #expect(again.stderr.contains("(invalid_state)"))

            #expect(try hall.ctl("finish", "1").status == 2)  // called, not yet in service
            #expect(try hall.ctl("start", "1").status == 0)
            let finish = try hall.ctl("finish", "1")
            #expect(finish.status == 0, "\(finish)")
            #expect(finish.stdout.contains("Finished A001"))

            let empty = try hall.ctl("call", "1")
            #expect(empty.status == 0, "\(empty)")
            #expect(empty.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "nobody is waiting")
            let emptyJSON = try hall.ctl("call", "1", "--json")
            #expect(emptyJSON.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "null")
        }
    }

    @Test("stats --csv: header first, one row per category with its issued count, windows and total")
    func statsCSV() throws {
        try KioskctlHall.with { hall in
            for category in ["A", "A", "B", "C", "A"] {
                let r = try hall.ctl("take", category)
                #expect(r.status == 0, "\(r)")
            }
            let r = try hall.ctl("stats", "--csv", "--no-bom")
            #expect(r.status == 0, "\(r)")
            let rows = r.stdout.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
            #expect(rows.first?.joined(separator: ",") == "scope,key,name,issued,served,noShows,cancelled,averageWaitSeconds,maxWaitSeconds,averageServiceSeconds,evaluations,satisfactionRate,badReviews,called")
            let categories = rows.filter { $0.first == "category" }
            #expect(categories.map { $0[1] } == ["A", "B", "C", "D"])
            let issued = Dictionary(uniqueKeysWithValues: categories.map { ($0[1], $0[3]) })
            #expect(issued == ["A": "3", "B": "1", "C": "1", "D": "0"])
            #expect(categories.first?[2] == "企业开办")
            #expect(rows.filter { $0.first == "window" }.map { $0[1] } == ["1", "2", "P1"])
            let total = try #require(rows.last)
            #expect(total.first == "total")
            #expect(total[3] == "5")
            #expect(rows.allSatisfy { $0.count == 14 })
            // Windows issue nothing: their issued cell is empty.
            #expect(rows.filter { $0.first == "window" }.allSatisfy { $0[3].isEmpty })

            // The readable table lines up CJK names and ends with the bad-review section.
            let table = try hall.ctl("stats")
            #expect(table.status == 0, "\(table)")
            #expect(table.stdout.contains("企业开办"))
            #expect(table.stdout.contains("No bad reviews."))
        }
    }

    @Test("tables align columns by display width: CJK names count two columns")
    func cjkAlignment() throws {
        try KioskctlHall.with { hall in
            let r = try hall.ctl("categories")
            #expect(r.status == 0, "\(r)")
            let rows = r.stdout.split(separator: "\n").map(String.init).filter { $0.contains("00:00-24:00") }
            #expect(rows.count == 4)
            // The hours column starts at the same display column on every row.
            let starts = rows.map { row in displayWidth(String(row[..<row.range(of: "00:00-24:00")!.lowerBound])) }
            #expect(Set(starts).count == 1, "\(r.stdout)")
            #expect(r.stdout.contains("建设工程审批"))
        }
    }

    @Test("watch prints one line per event and stops cleanly on SIGINT")
    func watch() throws {
        try KioskctlHall.with { hall in
            let out = hall.daemon.dir.appendingPathComponent("watch.out")
            let p = try ChildProcess(executable: KioskctlHall.kioskctl.path,
                arguments: ["watch", "ticket.*", "--since", "0", "--socket", hall.daemon.socket], stdout: out.path)
            defer { if p.isRunning { p.terminate() } }

            #expect(try hall.ctl("take", "A").status == 0)
            #expect(try hall.ctl("window", "open", "1", "--staff", "王芳").status == 0)
            #expect(try hall.ctl("call", "1").status == 0)

            let deadline = Date().addingTimeInterval(10)
            var text = ""
            while Date() < deadline {
                text = (try? String(contentsOf: out, encoding: .utf8)) ?? ""
                if text.contains("ticket.called") { break }
                usleep(50_000)
            }
            kill(p.processIdentifier, SIGINT)
            p.waitUntilExit()
            #expect(p.terminationStatus == 0)
            let lines = text.split(separator: "\n")
            #expect(lines.count == 2, "\(text)")  // issued, called: window.* is filtered out
            #expect(lines.first?.contains("ticket.issued") == true)
            #expect(lines.last?.contains("A001 → window 1") == true, "\(text)")
        }
    }

    @Test("an unknown category is the daemon's refusal: exit 2, reason not_found on stderr")
    func unknownCategory() throws {
        try KioskctlHall.with { hall in
            let r = try hall.ctl("take", "Z")
            #expect(r.status == 2, "\(r)")
            #expect(r.stderr.hasPrefix("kioskctl: "))
            #expect(r.stderr.contains("(not_found)"))
            #expect(r.stdout.isEmpty)
        }
    }

    @Test("a command-line mistake is caught before connecting, in a sentence")
    func validation() throws {
        let r = try KioskctlHall.run(KioskctlHall.kioskctl,
            ["transfer", "3", "--socket", "/nonexistent/k.sock"])
        #expect(r.status == 64, "\(r)")
        #expect(r.stderr.contains("--to-category"))
    }

    @Test("no daemon at the socket: exit 1 and a hint to check the service")
    func missingSocket() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kioskctl-none-\(UUID().uuidString.prefix(8))")
        let socket = dir.appendingPathComponent("k.sock").path
        let r = try KioskctlHall.run(KioskctlHall.kioskctl, ["status", "--socket", socket])
        #expect(r.status == 1, "\(r)")
        #expect(r.stderr.contains("cannot connect to \(socket): No such file or directory"))
        #expect(r.stderr.contains("is kioskd running?"))
        #expect(r.stderr.contains("systemctl status kioskd"))

        // KIOSKD_SOCKET is the default when --socket is absent.
        let env = try KioskctlHall.run(KioskctlHall.kioskctl, ["status"], environment: ["KIOSKD_SOCKET": socket])
        #expect(env.status == 1, "\(env)")
        #expect(env.stderr.contains("cannot connect to \(socket)"))
    }

    /// A connection that fails closes its socket once: a second close (it used to happen when
    /// the client's `deinit` closed it again) can close a descriptor another thread of a kiosk
    /// shell has opened meanwhile. Counted from outside, with strace.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: SyncPerCommitTests.strace), "needs strace"))
    func aFailedConnectionClosesItsSocketOnce() throws {
        let socket = "/nonexistent-\(UUID().uuidString.prefix(8))/k.sock"
        let trace = FileManager.default.temporaryDirectory.appendingPathComponent("kioskctl-\(UUID().uuidString.prefix(8)).strace").path
        defer { try? FileManager.default.removeItem(atPath: trace) }
        let r = try KioskctlHall.run(URL(fileURLWithPath: SyncPerCommitTests.strace),
            ["-f", "-qq", "-e", "trace=socket,connect,close", "-o", trace, KioskctlHall.kioskctl.path, "status", "--socket", socket])
        #expect(r.status == 1, "\(r)")
        let lines = try String(contentsOfFile: trace, encoding: .utf8).split(separator: "\n").map(String.init)
        let opened = try #require(lines.firstIndex { $0.contains("socket(AF_UNIX") }, "\(lines)")
        let fd = try #require(lines[opened].split(separator: "=").last.map { $0.trimmingCharacters(in: .whitespaces) })
        let closes = lines[opened...].filter { $0.contains("close(\(fd))") }
        #expect(closes.count == 1 && closes.allSatisfy { $0.hasSuffix("= 0") }, "\(closes)")
    }
}

/// Runs the kioskctl binary (built beside kioskd, found by `DaemonHarness.binary`) against a
/// `DaemonHarness` daemon, capturing its exit status and both streams.
struct KioskctlHall {
    let daemon: DaemonHarness

    struct Result: CustomStringConvertible {
        var status: Int32
        var stdout: String
        var stderr: String
        var description: String { "exit \(status)\n--- stdout\n\(stdout)--- stderr\n\(stderr)" }
    }

    /// Runs `body` with a fresh daemon on a temporary hall (every category open all day).
    static func with(_ body: (KioskctlHall) throws -> Void) throws {
        let daemon = try DaemonHarness()
        try daemon.start()
        defer { daemon.stop() }
        try body(KioskctlHall(daemon: daemon))
    }

    /// Runs kioskctl with `--socket` pointing at this hall.
    func ctl(_ args: String...) throws -> Result {
        try Self.run(Self.kioskctl, args + ["--socket", daemon.socket])
    }

    /// The same, with these environment variables (COLUMNS, NO_COLOR).
    func ctl(environment: [String: String], _ args: String...) throws -> Result {
        try Self.run(Self.kioskctl, args + ["--socket", daemon.socket], environment: environment)
    }

    static var kioskctl: URL { URL(fileURLWithPath: DaemonHarness.binary("kioskctl")) }

    static func run(_ executable: URL, _ args: [String], environment: [String: String] = [:]) throws -> Result {
        guard FileManager.default.isExecutableFile(atPath: executable.path) else {
            throw HarnessError("no \(executable.path): build it first (swift build --product \(executable.lastPathComponent))")
        }
        // A pipe, not a terminal: full tables unless COLUMNS is given.
        let r = try ToolRun.run(executable.path, args, environment: environment,
            removing: ["KIOSKD_SOCKET", "COLUMNS", "NO_COLOR"].filter { environment[$0] == nil })
        return Result(status: r.status, stdout: r.stdout, stderr: r.stderr)
    }
}

/// Terminal columns of `text`: CJK ideographs and fullwidth forms take two.
private func displayWidth(_ text: String) -> Int {
    text.unicodeScalars.reduce(0) { w, s in
        switch s.value {
        case 0x1100...0x115F, 0x2E80...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
            0xFFE0...0xFFE6, 0x20000...0x3FFFD: w + 2
        default: w + 1
        }
    }
}
