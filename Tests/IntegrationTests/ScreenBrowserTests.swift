import Foundation
import KioskClient
import KioskProtocol
import Testing

/// The hall screen page in headless Chromium (through `cdp.py session`, see BrowserSession)
/// against the real kioskd binary and its HTTP listener: what the page shows after load, a burst
/// of calls lit one at a time, a daemon restart, a reload, and a picture of a realistic hall.
/// One browser at a time (the suite is serialized): Chromium is heavy on a two-core machine.
@Suite(.serialized, .enabled(if: BrowserSession.available, "needs chromium (scripts/setup installs chromium and fonts-noto-cjk)"))
struct ScreenBrowserTests {
    static let hallName = "九龙坡区行政服务中心"
    static let screenName = "一楼大厅主屏"
    static var repo: URL { URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent() }

    struct Category { var id: String, name: String }
    struct Window { var id: String, name: String, serves: [String] }

    static let fourCategories = [
        Category(id: "A", name: "企业开办"), Category(id: "B", name: "不动产登记"),
        Category(id: "C", name: "社保医保"), Category(id: "D", name: "公积金"),
    ]

    static func windows(_ n: Int, serving: [String] = ["A"]) -> [Window] {
        (1...n).map { Window(id: "\($0)", name: "\($0)号窗口", serves: serving) }
    }

    /// A whole config (the harness's own has four categories and three windows): a hall open
    /// around the clock, `[http]` on `port` and one screen, "hall", showing everything.
    static func config(_ d: DaemonHarness, port: Int, categories: [Category] = fourCategories, windows: [Window],
                       screenCalls: Int = 6, notice: String? = nil) -> String {
        var text = """
            [daemon]
            socket = "\(d.socket)"
            state_dir = "\(d.stateDir)"
            timezone = "Asia/Shanghai"
            day_starts_at = "00:00"
            log_level = "warning"

            [hall]
            code = "500107-01"
            name = "\(hallName)"

            [queue]

            [http]
            listen = "127.0.0.1:\(port)"

            """
        for c in categories {
            text += """

                [[categories]]
                id = "\(c.id)"
                name = "\(c.name)"
                prefix = "\(c.id)"
                hours = "00:00-24:00"

                """
        }
        for w in windows {
            text += """

                [[windows]]
                id = "\(w.id)"
                name = "\(w.name)"
                serves = [\(w.serves.map { "\"\($0)\"" }.joined(separator: ", "))]

                """
        }
        text += """

            [[devices]]
            id = "printer0"
            kind = "receipt-printer"
            transport = "simulated"
            paper_width_dots = 576

            [[screens]]
            id = "hall"
            name = "\(screenName)"
            calls = \(screenCalls)

            """
        if let notice { text += "notice = \"\(notice)\"\n" }
        return text
    }

    /// A daemon with that config, started, its listener answering.
    static func daemon(windows: [Window], categories: [Category] = fourCategories, notice: String? = nil) throws -> (DaemonHarness, Int) {
        let port = RawHTTP.freePort()
        let d = try DaemonHarness()
        try d.rewriteConfig(config(d, port: port, categories: categories, windows: windows, notice: notice))
        try start(d, port: port)
        return (d, port)
    }

    static func start(_ d: DaemonHarness, port: Int) throws {
        try d.start()
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline, (try? RawHTTP.request(port: port, "GET", "/healthz"))?.status != 200 { usleep(50_000) }
        guard (try? RawHTTP.request(port: port, "GET", "/healthz"))?.status == 200 else {
            throw HarnessError("kioskd's HTTP listener did not answer on \(port): \(d.log())")
        }
    }

    /// SIGTERM and a bounded wait (SIGKILL after `seconds`): true when kioskd ended by itself.
    /// (The harness's own `stop()` waits for ever, and a test must fail rather than hang.)
    @discardableResult
    static func stop(_ d: DaemonHarness, within seconds: Double = 20) -> Bool {
        guard let p = d.process, p.isRunning else { return true }
        d.signal(SIGTERM)
        let deadline = Date().addingTimeInterval(seconds)
        while p.isRunning, Date() < deadline { usleep(20_000) }
        if !p.isRunning { return true }
        d.kill9()
        return false
    }

    /// Takes `count` tickets of `category` and returns their numbers.
    @discardableResult
    static func take(_ d: DaemonHarness, _ category: String, _ count: Int) throws -> [String] {
        let kiosk = try d.client(role: "kiosk")
        return try (0..<count).map { _ in try kiosk.call("queue.take", ["category": .string(category)])["number"]?.stringValue ?? "" }
    }

    static func open(_ counter: KioskClient, _ windows: [String]) throws {
        for w in windows { try counter.call("window.open", ["window": .string(w), "staff": "张敏"]) }
    }

    @discardableResult
    static func call(_ counter: KioskClient, _ window: String) throws -> String {
        guard let number = try counter.call("queue.call", ["window": .string(window)])["number"]?.stringValue else {
            throw HarnessError("nobody waiting for window \(window)")
        }
        return number
    }

    /// Finishes the window's ticket (start, then finish).
    static func finish(_ counter: KioskClient, _ window: String) throws {
        try counter.call("queue.start", ["window": .string(window)])
        try counter.call("queue.finish", ["window": .string(window)])
    }

    /// Opens the page and waits until it has loaded /state and its stream is open.
    static func browser(port: Int, query: String = "?hl=300", width: Int = 1920, height: Int = 1080) throws -> BrowserSession {
        let b = try BrowserSession(url: "http://127.0.0.1:\(port)/screens/hall\(query)", width: width, height: height)
        do {
            try b.wait("window.kioskScreen && kioskScreen.loaded && kioskScreen.connected", seconds: 60)
        } catch {
            b.close()
            throw error
        }
        return b
    }

    /// The page's calls, newest first, as "number@window" with "*" for a recall.
    static func calls(_ b: BrowserSession, _ fn: String = "calls") throws -> [String] {
        try (b.eval("kioskScreen.\(fn)()").arrayValue ?? []).map {
            "\($0["number"]?.stringValue ?? "?")@\($0["window"]?.stringValue ?? "?")" + ($0["recall"] == .bool(true) ? "*" : "")
        }
    }

    static func seqs(_ b: BrowserSession, _ fn: String = "calls") throws -> [Int64] {
        try (b.eval("kioskScreen.\(fn)()").arrayValue ?? []).map { $0["seq"]?.intValue ?? -1 }
    }

    /// What the server's /state says, as "number@window" (+ "*"), newest first, and its seqs.
    static func stateCalls(port: Int) throws -> (calls: [String], seqs: [Int64]) {
        let r = try RawHTTP.request(port: port, "GET", "/screens/hall/state")
        let state = try JSONDecoder().decode(JSONValue.self, from: Data(r.body.utf8))
        let calls = state["calls"]?.arrayValue ?? []
        return (calls.map {
            "\($0["ticket"]?["number"]?.stringValue ?? "?")@\($0["window"]?["id"]?.stringValue ?? "?")" + ($0["recall"] == .bool(true) ? "*" : "")
        }, calls.map { $0["seq"]?.intValue ?? -1 })
    }

    /// Waits until every call the page holds has had its moment (nothing lit, nothing queued).
    static let settled = "kioskScreen.highlighted === null && kioskScreen.pending().length === 0"

    // MARK: - 1

    @Test func thePageLoadsAndShowsCallsMadeAfterIt() throws {
        let (d, port) = try Self.daemon(windows: Self.windows(3))
        defer { Self.stop(d, within: 3) }  // after the browser: cleanup, not a check
        try Self.take(d, "A", 4)
        let counter = try d.client(role: "counter")
        try Self.open(counter, ["1", "2"])
        let b = try Self.browser(port: port)
        defer { b.close() }

        let first = try b.text()
        #expect(first.contains(Self.hallName), "\(first)")
        #expect(first.contains(Self.screenName), "\(first)")
        #expect(try Self.calls(b).isEmpty)
        #expect(!first.contains("A001"))

        let n1 = try Self.call(counter, "1")
        try b.wait("kioskScreen.calls().length === 1 && document.body.innerText.includes('\(n1)')")
        let text1 = try b.text()
        #expect(text1.contains(n1) && text1.contains("1号窗口"), "\(text1)")
        #expect(try Self.calls(b) == ["\(n1)@1"])
        #expect(try b.eval("kioskScreen.calls()[0].windowName") == .string("1号窗口"))
        // It is lit (or was, if the 300 ms already passed): the page presented it.
        try b.wait("kioskScreen.highlights().length === 1")

        let n2 = try Self.call(counter, "2")
        try b.wait("kioskScreen.calls().length === 2 && document.body.innerText.includes('\(n2)')")
        let text2 = try b.text()
        #expect(text2.contains(n2) && text2.contains("2号窗口") && text2.contains(n1), "\(text2)")
        #expect(try Self.calls(b) == ["\(n2)@2", "\(n1)@1"])

        try counter.call("queue.recall", ["window": "1"])
        try b.wait("kioskScreen.calls().length === 3 && kioskScreen.calls()[0].recall === true")
        #expect(try Self.calls(b) == ["\(n1)@1*", "\(n2)@2", "\(n1)@1"])
        #expect(try b.text().contains("重呼"))
        try b.wait(Self.settled)
        // The page holds exactly what the server holds.
        let server = try Self.stateCalls(port: port)
        #expect(try Self.calls(b) == server.calls)
        #expect(try Self.seqs(b) == server.seqs)
    }

    // MARK: - 2

    /// Records, on every change of the page, the call lit in the big panel and the row marked
    /// current in the list: a MutationObserver runs after each change, so no moment is missed.
    static let litRecorder = """
        (() => { window.__lit = []; const now = document.getElementById('now');
        const rec = () => { if (!now.classList.contains('lit')) return;
          const number = document.getElementById('now-number').textContent;
          const cur = document.querySelector('#recent-list .call.current .call-number');
          const row = cur ? cur.textContent : '';
          const to = document.getElementById('now-to').textContent;
          const last = window.__lit[window.__lit.length - 1];
          if (!last || last.number !== number || last.row !== row) window.__lit.push({ number, row, to }); };
        new MutationObserver(rec).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
        return true; })()
        """

    @Test func fiveCallsInOneSecondAllAppearAndEachIsLitInTurn() throws {
        let (d, port) = try Self.daemon(windows: Self.windows(6))
        defer { Self.stop(d, within: 3) }  // after the browser: cleanup, not a check
        try Self.take(d, "A", 6)
        let counter = try d.client(role: "counter")
        try Self.open(counter, ["1", "2", "3", "4", "5"])
        let b = try Self.browser(port: port, query: "?hl=300")
        defer { b.close() }
        try b.eval(Self.litRecorder.replacingOccurrences(of: "\n", with: " "))

        // Five windows call back to back (well within a second).
        let started = Date()
        let called = try ["1", "2", "3", "4", "5"].map { (window: $0, number: try Self.call(counter, $0)) }
        let took = Date().timeIntervalSince(started)

        try b.wait("kioskScreen.calls().length === 5 && kioskScreen.highlights().length >= 5 && \(Self.settled)", seconds: 60)
        #expect(try Self.calls(b) == called.reversed().map { "\($0.number)@\($0.window)" }, "calls made in \(took) s")
        let seqs = try Self.seqs(b)
        #expect(seqs == seqs.sorted(by: >) && Set(seqs).count == 5, "\(seqs)")
        // Each once, oldest first.
        #expect(try b.eval("kioskScreen.highlights()").arrayValue?.map { $0.intValue ?? -1 } == Array(seqs.reversed()))
        let text = try b.text()
        for c in called {
            #expect(text.contains(c.number) && text.contains("\(c.window)号窗口"), "\(c) not in \(text)")
        }
        // What the screen showed, moment by moment: each call lit in the big panel and its row
        // marked current, in call order, with its window.
        let lit = try b.eval("window.__lit").arrayValue ?? []
        #expect(lit.map { $0["number"]?.stringValue ?? "" } == called.map(\.number), "\(lit)")
        #expect(lit.map { $0["row"]?.stringValue ?? "" } == called.map(\.number), "\(lit)")
        for (moment, c) in zip(lit, called) {
            #expect(moment["to"]?.stringValue?.contains("\(c.window)号窗口") == true, "\(moment)")
        }
        // Afterwards: nothing lit, the newest shown as just called.
        #expect(try b.eval("document.getElementById('now').classList.contains('lit')") == .bool(false))
        #expect(try b.eval("document.getElementById('now-number').textContent") == .string(called.last!.number))
    }

    // MARK: - 3

    @Test func aRestartedDaemonIsFollowedInOrderAndTheMarkGoes() throws {
        let (d, port) = try Self.daemon(windows: Self.windows(3))
        defer { Self.stop(d, within: 3) }  // after the browser: cleanup, not a check
        try Self.take(d, "A", 6)
        let counter = try d.client(role: "counter")
        try Self.open(counter, ["1", "2", "3"])
        let n1 = try Self.call(counter, "1")
        let b = try Self.browser(port: port)
        defer { b.close() }
        #expect(try Self.calls(b) == ["\(n1)@1"])
        #expect(try b.eval("document.getElementById('link').hidden") == .bool(true))

        // A hall screen holds its event stream open: kioskd must still stop on SIGTERM.
        let stopped = Self.stop(d, within: 10)
        #expect(stopped, "kioskd did not end within 10 s of SIGTERM while a screen's event stream was open (killed with SIGKILL)")
        if stopped { #expect(d.process?.terminatedBySignal == false && d.process?.terminationStatus == 0, "kioskd's exit on SIGTERM") }
        try b.wait("kioskScreen.connected === false")
        // After 0.8 s without a stream the page says so.
        try b.wait("!document.getElementById('link').hidden && document.body.innerText.includes('正在重新连接')")

        try Self.start(d, port: port)
        // Calls made the moment it is back (before the page's next try, 2 s apart, reaches it).
        let again = try d.client(role: "counter")
        let n2 = try Self.call(again, "2")
        let n3 = try Self.call(again, "3")
        try again.call("queue.recall", ["window": "1"])
        let expected = ["\(n1)@1*", "\(n3)@3", "\(n2)@2", "\(n1)@1"]

        try b.wait("kioskScreen.connected && kioskScreen.calls().length >= 4 && \(Self.settled)", seconds: 60)
        #expect(try Self.calls(b) == expected)
        let seqs = try Self.seqs(b)
        #expect(seqs == seqs.sorted(by: >) && Set(seqs).count == seqs.count, "\(seqs)")
        // The three calls made after the restart were each lit once, in order.
        #expect(try b.eval("kioskScreen.highlights()").arrayValue?.map { $0.intValue ?? -1 } == Array(seqs.prefix(3).reversed()))
        // The mark is gone, and the page agrees with the server.
        try b.wait("document.getElementById('link').hidden === true")
        let text = try b.text()
        #expect(!text.contains("正在重新连接"), "\(text)")
        #expect(text.contains(n2) && text.contains(n3) && text.contains("重呼"), "\(text)")
        let server = try Self.stateCalls(port: port)
        #expect(server.calls == expected && server.seqs == seqs)
    }

    // MARK: - 4

    @Test func aReloadShowsTheSameRecentCalls() throws {
        let (d, port) = try Self.daemon(windows: Self.windows(3))
        defer { Self.stop(d, within: 3) }  // after the browser: cleanup, not a check
        try Self.take(d, "A", 8)
        let counter = try d.client(role: "counter")
        try Self.open(counter, ["1", "2", "3"])
        // Some calls before the page loads (it reads them from /state) ...
        try Self.call(counter, "1")
        try Self.call(counter, "2")
        try counter.call("queue.recall", ["window": "1"])
        let b = try Self.browser(port: port)
        defer { b.close() }
        // ... and some after (it has them from the stream): seven in all, one more than it shows.
        try Self.call(counter, "3")
        try Self.finish(counter, "2")
        try Self.call(counter, "2")
        try counter.call("queue.recall", ["window": "3"])
        try Self.finish(counter, "1")
        try Self.call(counter, "1")
        try b.wait("kioskScreen.calls().length === 7 && \(Self.settled)", seconds: 60)

        let shown = "JSON.stringify(kioskScreen.shown().map(c => [c.seq, c.number, c.window, c.windowName, c.recall]))"
        let list = "document.getElementById('recent-list').innerText"
        let now = "document.getElementById('now-number').textContent + ' ' + document.getElementById('now-to').textContent"
        let before = try b.eval(shown), beforeList = try b.eval(list), beforeNow = try b.eval(now)
        #expect(try b.eval("kioskScreen.shown().length") == .int(6))
        #expect(beforeList.stringValue?.contains("重呼") == true)

        try b.eval("window.__beforeReload = true")
        try b.reload()
        try b.wait("!window.__beforeReload && window.kioskScreen && kioskScreen.loaded && kioskScreen.connected", seconds: 60)
        #expect(try b.eval(shown) == before)
        #expect(try b.eval(list) == beforeList)
        #expect(try b.eval(now) == beforeNow)
        // Calls from before the reload are not lit again.
        #expect(try b.eval("kioskScreen.highlights().length") == .int(0))
        let server = try Self.stateCalls(port: port)
        #expect(try Self.seqs(b, "shown") == server.seqs)
    }

    // MARK: - 5

    static let eightCategories = [
        Category(id: "A", name: "企业开办"), Category(id: "B", name: "不动产登记"), Category(id: "C", name: "社保医保"),
        Category(id: "D", name: "公积金"), Category(id: "E", name: "出入境"), Category(id: "F", name: "税务综合"),
        Category(id: "G", name: "交通车驾管"), Category(id: "H", name: "综合咨询"),
    ]
    static let notice = "温馨提示：请携带本人身份证原件及相关材料，按号依次办理；听到叫号后请在三分钟内到对应窗口，过号请到咨询台重新取号。"

    /// Width and height from a PNG's IHDR.
    static func pngSize(_ path: String) -> (Int, Int)? {
        guard let data = FileManager.default.contents(atPath: path), data.count > 24,
            data.prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        else { return nil }
        let be = { (at: Int) in data[at..<(at + 4)].reduce(0) { $0 << 8 | Int($1) } }
        return (be(16), be(20))
    }

    @Test func aRealisticHallAt1920x1080() throws {
        let windows = (1...11).map { i in
            Window(id: "\(i)", name: "\(i)号窗口", serves: [["A"], ["A", "H"], ["C"], ["B"], ["E"], ["F"], ["D"], ["E"], ["F"], ["A"], ["G"]][i - 1])
        } + [Window(id: "12", name: "不动产登记综合受理12号窗口", serves: ["B"])]
        let (d, port) = try Self.daemon(windows: windows, categories: Self.eightCategories, notice: Self.notice)
        defer { Self.stop(d, within: 3) }  // after the browser: cleanup, not a check
        let taken = [("A", 12), ("B", 7), ("C", 23), ("D", 4), ("E", 9), ("F", 15), ("G", 31), ("H", 2)]
        for (category, n) in taken { try Self.take(d, category, n) }
        let counter = try d.client(role: "counter")
        try Self.open(counter, ["3", "5", "6", "7", "11", "12"])
        // Four calls and a recall before the page loads; the newest one after, lit in the picture.
        var numbers: [String] = []
        for w in ["5", "12", "6", "3"] { numbers.append(try Self.call(counter, w)) }
        try counter.call("queue.recall", ["window": "6"])
        let b = try Self.browser(port: port, query: "?hl=60000")
        defer { b.close() }
        numbers.append(try Self.call(counter, "11"))
        try b.wait("kioskScreen.highlighted && kioskScreen.highlighted.window === '11'")
        try b.wait("document.fonts.status === 'loaded'")
        usleep(1_200_000)  // the lit panel's animation settles before the picture; nothing is asserted on time

        // Into the docs only when asked (as RenderAssetsTests does): a test run leaves the tree clean.
        let path = ProcessInfo.processInfo.environment["KIOSKD_REGENERATE_ASSETS"] == "1"
            ? Self.repo.appendingPathComponent("docs/screens/kioskd-1920x1080.png").path
            : d.dir.appendingPathComponent("kioskd-1920x1080.png").path
        try b.screenshot(path)
        let size = Self.pngSize(path)
        #expect(size.map { $0 == (1920, 1080) } == true, "\(String(describing: size))")

        let text = try b.text()
        #expect(text.contains(Self.hallName) && text.contains(Self.screenName), "\(text)")
        for c in Self.eightCategories { #expect(text.contains(c.name), "\(c.name) not in \(text)") }
        for n in numbers { #expect(text.contains(n), "\(n) not in \(text)") }
        #expect(text.contains("重呼") && text.contains("正在呼叫") && text.contains("11号窗口"), "\(text)")
        #expect(text.contains("请携带本人身份证原件"), "the notice: \(text)")
        #expect(try Self.calls(b, "shown").count == 6)
        // Waiting counts as the server has them: five called, one from each of five categories.
        var waiting: [String: JSONValue] = [:]
        for (category, n) in taken { waiting[category] = .int(Int64(n - (["B", "C", "E", "F", "G"].contains(category) ? 1 : 0))) }
        try b.wait("kioskScreen.waiting().G === 30")
        #expect(try b.eval("kioskScreen.waiting()") == .object(waiting))
        // Nothing spills out of its box (the scrolling notice's track excepted), and no scrolling.
        let over = try b.eval("""
            [...document.querySelectorAll('.app > :not(.notice), .now, .recent, .call, .cat, .waiting-list')]\
            .filter(e => e.scrollHeight > e.clientHeight + 2 || e.scrollWidth > e.clientWidth + 2)\
            .concat([...document.querySelectorAll('.now-number, .now-to, .call-number, .cat-head')].filter(e => e.scrollWidth > e.clientWidth + 2))\
            .map(e => `${e.className} ${e.scrollWidth}x${e.scrollHeight} > ${e.clientWidth}x${e.clientHeight}`)
            """)
        #expect(over == .array([]), "\(over)")
        #expect(try b.eval("document.documentElement.scrollWidth <= innerWidth && document.documentElement.scrollHeight <= innerHeight") == .bool(true))
    }
}
