import Foundation
import KioskClient
import KioskProtocol
import KioskTestSupport
import Testing

/// The `[voice]` device in the real daemon: every call announced through ALSA (its file plugin,
/// a real libasound path), recorded as voice.* events, listed as a device; a voice that cannot
/// play never fails a call; screens with `voice = true` get each call's WAV.
@Suite struct VoiceDaemonTests {
    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// A daemon whose voice plays the shipped clips to `pcm`, written to `out.raw` when it is "hallfile".
    static func daemon(pcm: String) throws -> (DaemonHarness, port: Int, out: String, env: [String: String]) {
        let port = RawHTTP.freePort()
        let d = try DaemonHarness(extraConfig: """

            [http]
            listen = "127.0.0.1:\(port)"

            [[screens]]
            id = "hall"
            name = "大厅主屏"
            voice = true

            [voice]
            engine = "clips"
            clips = "\(repo.appendingPathComponent("Config/voice/zh").path)"
            chime = "\(repo.appendingPathComponent("Config/voice/chime.wav").path)"
            device = "\(pcm)"
            repeat = 2
            """)
        let out = d.dir.appendingPathComponent("out.raw").path
        let asound = d.dir.appendingPathComponent("asound.conf").path
        try "pcm.hallfile { type file; slave.pcm \"null\"; file \"|cat >> \(out)\"; format \"raw\" }\n"
            .write(toFile: asound, atomically: true, encoding: .utf8)
        return (d, port, out, ["ALSA_CONFIG_PATH": "/usr/share/alsa/alsa.conf:\(asound)"])
    }

    @Test func eachCallIsAnnouncedInOrderAndRecordedAsEvents() throws {
        let (d, port, out, env) = try Self.daemon(pcm: "hallfile")
        try d.start(environment: env)
        defer { _ = d.stop() }
        let watcher = try d.client()
        try watcher.call("events.subscribe", ["topics": ["voice.*"]])
        let devices = try d.client().call("device.list").arrayValue ?? []
        #expect(devices.contains { $0["id"] == .string("voice") && $0["kind"] == .string("voice") })
        let kiosk = try d.client(role: "kiosk"), counter = try d.client(role: "counter")
        try kiosk.call("queue.take", ["category": "A"])
        try kiosk.call("queue.take", ["category": "C"])
        try counter.call("window.open", ["window": "1", "staff": "王芳"])
        try counter.call("window.open", ["window": "2", "staff": "李强"])
        let first = try counter.call("queue.call", ["window": "1"])
        try counter.call("queue.call", ["window": "2"])
        #expect(first["number"] == .string("A001"))
        var events: [JSONValue] = []
        while events.filter({ $0["topic"] == .string("voice.finished") }).count < 2, let e = try watcher.nextEvent(timeout: 30) {
            events.append(.object(["topic": .string(e.topic), "data": e.data]))
        }
        let topics = events.compactMap { $0["topic"]?.stringValue }
        #expect(topics == ["voice.started", "voice.finished", "voice.started", "voice.finished"])
        #expect(events.first?["data"]?["ticket"]?["number"] == .string("A001"))
        #expect(events.first?["data"]?["text"] == .string("请A001号到1号窗口办理"))
        #expect(events.first?["data"]?["repeat"] == .int(2))
        #expect(events.last?["data"]?["window"] == .string("2"))
        // What was played reached ALSA: two announcements, each chime + words twice.
        let played = FileManager.default.contents(atPath: out)?.count ?? 0
        #expect(played > 100_000, "\(played) bytes written to the PCM")
        // The screen's copy of the first announcement.
        let stream = try d.client()
        try stream.call("events.subscribe", ["since": 0, "topics": ["ticket.called"]])
        let called = try #require(try stream.nextEvent(timeout: 10))
        let wav = try RawHTTP.request(port: port, "GET", "/screens/hall/announcements/\(called.seq).wav")
        #expect(wav.status == 200 && wav.header("Content-Type") == "audio/wav")
        #expect(wav.body.hasPrefix("RIFF"))
        #expect(try RawHTTP.request(port: port, "GET", "/screens/hall/announcements/1.wav").status == 404)
    }

    @Test func kioskctlListsTheScreensAndSaysAndTestsTheVoice() throws {
        let (d, port, out, env) = try Self.daemon(pcm: "hallfile")
        try d.start(environment: env)
        defer { _ = d.stop() }
        let ctl = DaemonHarness.binary("kioskctl")
        let screens = try ToolRun.run(ctl, ["screens", "--socket", d.socket], environment: ["COLUMNS": "80"])
        #expect(screens.status == 0)
        #expect(screens.stdout.contains("http://127.0.0.1:\(port)/screens/hall"), "\(screens.stdout)")
        #expect(screens.stdout.contains("大厅主屏"))
        let before = FileManager.default.contents(atPath: out)?.count ?? 0
        let say = try ToolRun.run(ctl, ["say", "请A001号到1号窗口办理", "--socket", d.socket])
        #expect(say.status == 0, "\(say.stdout)\(say.stderr)")
        #expect(say.stdout.contains("said 请A001号到1号窗口办理 on alsa:hallfile"), "\(say.stdout)")
        #expect((FileManager.default.contents(atPath: out)?.count ?? 0) > before, "nothing reached the PCM")
        let test = try ToolRun.run(ctl, ["voice", "test", "--socket", d.socket])
        #expect(test.status == 0 && test.stdout.contains("voice: passed"), "\(test.stdout)\(test.stderr)")
    }

    @Test func aVoiceThatCannotPlayFaultsAndNeverFailsACall() throws {
        let (d, _, _, env) = try Self.daemon(pcm: "no_such_pcm")
        try d.start(environment: env)
        defer { _ = d.stop() }
        #expect(try eventually(30) {
            (try d.client().call("device.status", ["id": "voice"]))["health"]?["state"] == .string("fault")
        })
        let reason = try d.client().call("device.status", ["id": "voice"])["health"]?["reason"]?.stringValue ?? ""
        #expect(reason.contains("no_such_pcm"), "\(reason)")
        let counter = try d.client(role: "counter")
        try d.client(role: "kiosk").call("queue.take", ["category": "A"])
        try counter.call("window.open", ["window": "1", "staff": "王芳"])
        #expect(try counter.call("queue.call", ["window": "1"])["number"] == .string("A001"))
        let test = try ToolRun.run(DaemonHarness.binary("kioskctl"), ["voice", "test", "--socket", d.socket])
        #expect(test.status == 2 && test.stdout.contains("FAILED"), "\(test.stdout)\(test.stderr)")
    }
}
