import Foundation
import KioskClient
import KioskProtocol
import Testing

/// The read-only HTTP listener against the real kioskd binary, with a plain HTTP client: health,
/// the methods and paths it refuses, the screen page, its state and its event stream.
@Suite struct HTTPListenerTests {
    static let idNumber = "110101199003077571"

    /// A valid resident ID number (check digit by ISO 7064 MOD 11-2) with sequence `n`.
    static func idNumber(_ n: Int) -> String {
        let body = "11010119900307" + String(format: "%03d", n)
        let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
        let sum = zip(body, weights).reduce(0) { $0 + Int(String($1.0))! * $1.1 }
        return body + String(Array("10X98765432")[sum % 11])
    }

    /// A daemon with `[http]` on a free port and two screens: the whole hall, and B at window 1.
    static func daemon(daemonExtra: String = "") throws -> (DaemonHarness, Int) {
        let port = RawHTTP.freePort()
        let d = try DaemonHarness(extraConfig: """

            [http]
            listen = "127.0.0.1:\(port)"

            [[screens]]
            id = "hall"
            name = "大厅主屏"
            calls = 4
            notice = "请携带身份证原件"

            [[screens]]
            id = "b"
            name = "不动产区"
            categories = ["B"]
            windows = ["1"]
            """, daemonExtra: daemonExtra)
        try d.start()
        // The listener binds beside the socket; wait until it answers.
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline, (try? RawHTTP.request(port: port, "GET", "/healthz"))?.status != 200 { usleep(50_000) }
        return (d, port)
    }

    @Test func healthIsOkAndOnlyGetAndHeadAreAnswered() throws {
        let (d, port) = try Self.daemon()
        defer { _ = d.stop() }
        let ok = try RawHTTP.request(port: port, "GET", "/healthz")
        #expect(ok.status == 200 && ok.body == "ok\n")
        let head = try RawHTTP.request(port: port, "HEAD", "/healthz")
        #expect(head.status == 200 && head.body.isEmpty)
        for method in ["POST", "PUT", "DELETE", "PATCH"] {
            let refused = try RawHTTP.request(port: port, method, "/healthz")
            #expect(refused.status == 405, "\(method)")
            #expect(refused.header("Allow") == "GET, HEAD")
        }
        #expect(try RawHTTP.request(port: port, "GET", "/nowhere").status == 404)
        #expect(try RawHTTP.request(port: port, "GET", "/screens/nope").status == 404)
        #expect(try RawHTTP.request(port: port, "GET", "/screens/nope/state").status == 404)
        #expect(try RawHTTP.request(port: port, "GET", "/screens/assets/missing.js").status == 404)
    }

    @Test func oversizedHeadersAreRefusedAndTheListenerCarriesOn() throws {
        let (d, port) = try Self.daemon()
        defer { _ = d.stop() }
        let huge = String(repeating: "x", count: 200_000)
        let refused = try RawHTTP.request(port: port, "GET", "/healthz", headers: ["X-Big": huge])
        #expect(refused.status == 0 || (400..<500).contains(refused.status), "\(refused.head)")
        #expect(try RawHTTP.request(port: port, "GET", "/healthz").status == 200)
        #expect(try d.client().call("daemon.status")["storage"]?["state"] == .string("ok"))
    }

    /// Idle and slow HTTP clients hold only their own connections: kiosks on the socket, health
    /// and screens are served meanwhile. (500, not 1,000: the test process has 1,024 descriptors;
    /// `kiosk-bench --only screens` measures 1,000.)
    @Test func idleAndSlowlorisClientsDoNotHurtTheSocketOrOtherScreens() throws {
        let (d, port) = try Self.daemon()
        defer { _ = d.stop() }
        var idle: [RawHTTP] = []
        for _ in 0..<500 { idle.append(try RawHTTP(port: port)) }
        // Slowloris: headers that never end, a few bytes at a time.
        let slow = (0..<20).compactMap { _ in try? RawHTTP(port: port) }
        for c in slow { c.send("GET /screens/hall/state HTTP/1.1\r\nHost: x\r\n") }
        for round in 0..<5 {
            for c in slow { c.send("X-Slow-\(round): y\r\n") }
            let kiosk = try d.client(role: "kiosk")
            #expect(try kiosk.call("queue.take", ["category": "A"])["number"] != nil, "round \(round)")
            #expect(try RawHTTP.request(port: port, "GET", "/healthz").status == 200)
            #expect(try RawHTTP.request(port: port, "GET", "/screens/hall/state").status == 200)
            usleep(200_000)
        }
        #expect(try d.client().call("daemon.status")["storage"]?["state"] == .string("ok"))
        withExtendedLifetime(idle) {}
        withExtendedLifetime(slow) {}
    }

    @Test func theScreenPageAndItsFilesAreServedFromTheDaemon() throws {
        let (d, port) = try Self.daemon()
        defer { _ = d.stop() }
        let page = try RawHTTP.request(port: port, "GET", "/screens/hall")
        #expect(page.status == 200)
        #expect(page.header("Content-Type")?.hasPrefix("text/html") == true)
        #expect(page.body.contains("<meta charset=\"utf-8\">"))
        #expect(page.body.contains("/screens/assets/screen.js"))
        #expect(!page.body.contains("http://") && !page.body.contains("https://"), "nothing from outside the hall")
        let js = try RawHTTP.request(port: port, "GET", "/screens/assets/screen.js")
        #expect(js.status == 200 && js.header("Content-Type")?.hasPrefix("text/javascript") == true)
        #expect(js.body.contains("EventSource"))
        #expect(try RawHTTP.request(port: port, "GET", "/screens/assets/screen.css").status == 200)
    }

    /// Takes A tickets with an ID number, opens windows 1 and 2 and calls twice at 1, once at 2.
    static func someCalls(_ d: DaemonHarness) throws {
        let kiosk = try d.client(role: "kiosk")
        for n in 0..<4 { try kiosk.call("queue.take", ["category": "A", "idNumber": .string(n == 0 ? idNumber : Self.idNumber(n))]) }
        _ = try? kiosk.call("queue.take", ["category": "B"])
        let counter = try d.client(role: "counter")
        try counter.call("window.open", ["window": "1", "staff": "王芳"])
        try counter.call("window.open", ["window": "2", "staff": "李强"])
        try counter.call("queue.call", ["window": "1"])
        try counter.call("queue.recall", ["window": "1"])
        try counter.call("queue.call", ["window": "2"])
    }

    @Test func theStateHasTheRecentCallsNewestFirstAndNoPersonalData() throws {
        let (d, port) = try Self.daemon()
        defer { _ = d.stop() }
        try Self.someCalls(d)
        let head = try d.client().call("events.subscribe", ["since": 0])["head"]
        let r = try RawHTTP.request(port: port, "GET", "/screens/hall/state")
        #expect(r.status == 200 && r.header("Content-Type")?.hasPrefix("application/json") == true)
        let state = try JSONDecoder().decode(JSONValue.self, from: Data(r.body.utf8))
        #expect(state["seq"] == head)
        #expect(state["hall"]?["name"] == .string("九龙坡区行政服务中心"))
        #expect(state["screen"]?["notice"] == .string("请携带身份证原件"))
        let calls = state["calls"]?.arrayValue ?? []
        // Newest first: 2's call, then 1's recall, then 1's call.
        #expect(calls.map { $0["window"]?["id"] } == [.string("2"), .string("1"), .string("1")])
        #expect(calls.map { $0["recall"] } == [.bool(false), .bool(true), .bool(false)])
        #expect(calls.map { $0["ticket"]?["number"] } == [.string("A002"), .string("A001"), .string("A001")])
        #expect(calls.first?["window"]?["name"] == .string("2号窗口"))
        #expect(state["waiting"]?["A"] == .int(2))
        #expect(state["windows"]?.arrayValue?.first { $0["id"] == .string("1") }?["state"] == .string("open"))
        for secret in [Self.idNumber, Self.idNumber(1), "1101", "王芳", "李强", "holder", "staff"] {
            #expect(!r.body.contains(secret), "\(secret) in the screen state")
        }
        // The B screen shows window 1's B calls only: none here.
        let b = try JSONDecoder().decode(JSONValue.self, from: Data(try RawHTTP.request(port: port, "GET", "/screens/b/state").body.utf8))
        #expect(b["calls"]?.arrayValue?.isEmpty == true)
        #expect(b["waiting"] == .object(["B": .int(1)]))
    }

    /// The events of a stream, as (id, event, data) in arrival order.
    static func messages(_ text: String) -> [(id: Int, event: String, data: String)] {
        let body = dechunked(text.components(separatedBy: "\r\n\r\n").dropFirst().joined(separator: "\r\n\r\n"))
        return body.components(separatedBy: "\n\n").compactMap { block in
            var id: Int?, event: String?, data: String?
            for line in block.components(separatedBy: "\n") {
                if line.hasPrefix("id: ") { id = Int(line.dropFirst(4)) }
                if line.hasPrefix("event: ") { event = String(line.dropFirst(7)) }
                if line.hasPrefix("data: ") { data = String(line.dropFirst(6)) }
            }
            guard let id, let event, let data else { return nil }
            return (id, event, data)
        }
    }

    /// The payload of a chunked body (as far as it arrived): each chunk is `size-in-hex CRLF data CRLF`.
    static func dechunked(_ body: String) -> String {
        var bytes = Array(body.utf8)[...], out: [UInt8] = []
        while let crlf = bytes.firstRange(of: [13, 10]), let size = Int(String(decoding: bytes[..<crlf.lowerBound], as: UTF8.self), radix: 16),
            size > 0, bytes.count >= crlf.upperBound - bytes.startIndex + size {
            let start = crlf.upperBound
            out += bytes[start..<(start + size)]
            bytes = bytes[(start + size)...].drop { $0 == 13 || $0 == 10 }
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func openStream(port: Int, _ path: String, headers: [String: String] = [:], receiveBuffer: Int32? = nil) throws -> RawHTTP {
        let c = try RawHTTP(port: port, receiveBuffer: receiveBuffer)
        var text = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n"
        for (k, v) in headers { text += "\(k): \(v)\r\n" }
        c.send(text + "\r\n")
        return c
    }

    @Test func theStreamReplaysAfterSinceThenGoesLiveInOrderWithoutPersonalData() throws {
        let (d, port) = try Self.daemon()
        defer { _ = d.stop() }
        try Self.someCalls(d)
        let stream = try Self.openStream(port: port, "/screens/hall/events?since=0")
        let replayed = stream.read(until: { Self.messages($0).contains { $0.event == "ticket.called" && $0.data.contains("A002") } }, timeout: 10)
        #expect(replayed.contains("Content-Type: text/event-stream") || replayed.lowercased().contains("content-type: text/event-stream"))
        let ids = Self.messages(replayed).map(\.id)
        #expect(!ids.isEmpty && ids == ids.sorted() && Set(ids).count == ids.count, "\(replayed.suffix(3000))")
        #expect(Self.messages(replayed).map(\.event).contains("ticket.recalled"))
        // Every call carries when it was made, in the hall's time — a recall too (its ticket's
        // calledAt is the first call's), as the screen's /state gives it.
        for call in Self.messages(replayed) where ["ticket.called", "ticket.recalled"].contains(call.event) {
            let at = try #require(call.data.firstMatch(of: /"at":"([^"]+)"/)?.1, "\(call.data)")
            #expect(at.hasSuffix("+08:00"), "\(at)")
        }
        // Live: a call made now arrives after everything replayed.
        try d.client(role: "counter").call("queue.start", ["window": "2"])
        try d.client(role: "counter").call("queue.finish", ["window": "2"])
        try d.client(role: "counter").call("queue.call", ["window": "2"])
        let live = stream.read(until: { Self.messages($0).contains { $0.data.contains("A003") && $0.event == "ticket.called" } }, timeout: 10)
        let all = Self.messages(live)
        #expect(all.last?.event == "ticket.called" && all.last?.data.contains("\"A003\"") == true)
        #expect(all.last!.id > ids.max()!)
        for secret in [Self.idNumber, Self.idNumber(1), "1101", "王芳", "李强", "\"holder\"", "\"staff\""] {
            #expect(!live.contains(secret), "\(secret) in the screen stream")
        }
    }

    @Test func lastEventIDResumesAfterItAndABadOneIsRefused() throws {
        let (d, port) = try Self.daemon()
        defer { _ = d.stop() }
        try Self.someCalls(d)
        let all = Self.messages(try Self.openStream(port: port, "/screens/hall/events?since=0")
            .read(until: { Self.messages($0).contains { $0.data.contains("A002") && $0.event == "ticket.called" } }, timeout: 10))
        let middle = all[all.count / 2].id
        // The header wins over the URL a browser reconnects to.
        let resumed = Self.messages(try Self.openStream(port: port, "/screens/hall/events?since=0", headers: ["Last-Event-ID": "\(middle)"])
            .read(until: { Self.messages($0).contains { $0.data.contains("A002") && $0.event == "ticket.called" } }, timeout: 10))
        #expect(resumed.map(\.id) == all.map(\.id).filter { $0 > middle })
        for bad in ["abc", "-1", "1e3", "99999999999999999999"] {
            let r = try RawHTTP.request(port: port, "GET", "/screens/hall/events", headers: ["Last-Event-ID": bad])
            #expect(r.status == 400, "\(bad)")
            #expect(r.body.contains("Last-Event-ID"))
        }
        #expect(try RawHTTP.request(port: port, "GET", "/screens/hall/events?since=x").status == 400)
    }

    @Test func aScreenStreamsOnlyItsCategoriesAndWindows() throws {
        let (d, port) = try Self.daemon()
        defer { _ = d.stop() }
        let stream = try Self.openStream(port: port, "/screens/b/events")
        _ = stream.read(until: { $0.contains("retry:") }, timeout: 10)
        try Self.someCalls(d)  // A calls at 1 and 2, one B ticket issued
        let text = stream.read(until: { Self.messages($0).contains { $0.event == "ticket.issued" && $0.data.contains("B001") } }, timeout: 10)
        let got = Self.messages(text)
        #expect(got.contains { $0.data.contains("\"B001\"") }, "\(text.suffix(3000))")
        #expect(!got.contains { $0.data.contains("\"category\":\"A\"") }, "\(got.map(\.data))")
        #expect(!got.contains { $0.event == "window.opened" && $0.data.contains("\"window\":\"2\"") })
    }

    @Test func anIdleStreamGetsACommentAtLeastEvery15Seconds() throws {
        let (d, port) = try Self.daemon()
        defer { _ = d.stop() }
        let stream = try Self.openStream(port: port, "/screens/hall/events")
        let first = stream.read(until: { $0.contains("retry:") }, timeout: 10)
        let text = stream.read(until: { $0.count > first.count && $0.dropFirst(first.count).contains("\n: ") || $0.dropFirst(first.count).hasPrefix(": ") }, timeout: 20)
        #expect(text.count > first.count, "no heartbeat within 20 s")
        #expect(text.dropFirst(first.count).contains(": "))
    }
}
