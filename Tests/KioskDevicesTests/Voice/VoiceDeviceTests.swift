import Dispatch
import Foundation
import KioskCore
import Testing

@testable import KioskDevices

/// The voice device through a real libasound `file` PCM: what reaches the "speakers" is exactly
/// chime + words × repeat per call, in call order, never interleaved; faults never block a call.
@Suite(.enabled(if: VoiceSupport.alsa, "needs libasound's alsa.conf (scripts/setup installs libasound2-dev)"))
struct VoiceDeviceTests {
    static let pause = 10  // ms: 80 frames of silence at 8 kHz

    /// A clips device on the sink's PCM, with a manual clock at `now`.
    static func device(
        _ clips: SyntheticClips, _ sink: ALSAFileSink, clock: ManualClock, repeatCount: Int = 2,
        pcm: String = ALSAFileSink.pcm, maxDelay: Int = 60
    ) -> VoiceDevice {
        let settings = VoiceSettings(
            engine: .clips, clips: clips.folder, output: .alsa(pcm), repeatCount: repeatCount, chime: clips.chimePath,
            maxDelaySeconds: maxDelay)
        return VoiceDevice(
            id: "voice", settings: settings,
            options: .init(alsaConfigPath: sink.configPath, pauseMilliseconds: pause), clock: clock)
    }

    static let start = Date(timeIntervalSince1970: 1_795_224_600)

    @Test func callsQueuedAtOnceArePlayedWholeInCallOrder() async throws {
        let clips = try SyntheticClips()
        let sink = try ALSAFileSink()
        let clock = ManualClock(Self.start)
        let device = Self.device(clips, sink, clock: clock)
        let log = NotificationLog()
        device.observe(log.append)

        let calls: [(String, String, String)] = [("A012", "3", "3号窗口"), ("B7", "12", "12号窗口"), ("A013", "3", "3号窗口")]
        for (index, call) in calls.enumerated() {
            device.announce(.call(call.0, window: call.1, name: call.2, seq: Int64(index + 1), at: clock.now()))
        }
        await device.idle()

        let words: [[String]] = [
            ["请", "A", "零", "一", "二", "号", "到", "三", "号", "窗口", "办理"],
            ["请", "B", "七", "号", "到", "十", "二", "号", "窗口", "办理"],
            ["请", "A", "零", "一", "三", "号", "到", "三", "号", "窗口", "办理"],
        ]
        let expected = words.flatMap { clips.expected(words: $0, repeatCount: 2, pauseMilliseconds: Self.pause) }
        #expect(soundDifference(sink.written, expected) == nil)
        #expect(log.summary == ["started A012", "finished A012", "started B7", "finished B7", "started A013", "finished A013"])
        let first = try #require(log.all.first)
        #expect(
            first
                == VoiceNotification(
                    kind: .started, ticketId: 1, number: "A012", window: "3", text: "请A012号到3号窗口办理", repeatCount: 2,
                    device: "voice", seq: 1))
        #expect(first.topic == "voice.started")
        #expect(device.health.state == .ok)
        #expect(device.kind == .voice)
        #expect(device.endpoint == "alsa:hallfile")
    }

    @Test func anAnnouncementTooOldWhenItsTurnComesIsDroppedAndReported() async throws {
        let clips = try SyntheticClips()
        let sink = try ALSAFileSink()
        let clock = ManualClock(Self.start)
        let device = Self.device(clips, sink, clock: clock, repeatCount: 1, maxDelay: 60)
        let log = NotificationLog()
        device.observe(log.append)

        device.announce(.call("A001", seq: 1, at: Self.start.addingTimeInterval(-61)))
        device.announce(.call("A002", seq: 2, at: Self.start.addingTimeInterval(-59)))
        await device.idle()

        #expect(log.summary == ["dropped A001", "started A002", "finished A002"])
        #expect(log.all[0].reason == "waited 61 s for its turn, more than max_delay_seconds = 60")
        #expect(log.all[0].seq == 1)
        let played = ["请", "A", "零", "零", "二", "号", "到", "三", "号", "窗口", "办理"]
        #expect(soundDifference(sink.written, clips.expected(words: played, repeatCount: 1, pauseMilliseconds: Self.pause)) == nil)
    }

    @Test func aMissingClipIsAFaultThatNeverBlocksACall() async throws {
        let clips = try SyntheticClips()
        let sink = try ALSAFileSink()
        let clock = ManualClock(Self.start)
        let nine = clips.folder + "/九.wav"
        let saved = try #require(FileManager.default.contents(atPath: nine))
        try FileManager.default.removeItem(atPath: nine)

        let device = Self.device(clips, sink, clock: clock, repeatCount: 1)
        // Hold the device's queue inside an observer while calls keep coming: each announce
        // must return at once, however busy or broken the device is.
        let gate = DispatchSemaphore(value: 0)
        let log = NotificationLog()
        device.observe { note in
            log.append(note)
            if note.number == "A001", note.kind == .started { gate.wait() }
        }
        await device.idle()
        #expect(device.health.state == .fault)
        #expect(device.health.reason == "missing clip \"九\" (九.wav in \(clips.folder))")

        device.announce(.call("A001", seq: 1, at: clock.now()))  // needs no 九: plays, then holds the queue
        device.announce(.call("A009", seq: 2, at: clock.now()))
        device.announce(.call("A019", seq: 3, at: clock.now()))
        gate.signal()
        await device.idle()
        #expect(log.summary == ["started A001", "finished A001", "dropped A009", "dropped A019"])
        #expect(log.all[2].reason == "missing clip \"九\" (九.wav in \(clips.folder))")
        #expect(device.health.state == .fault)

        // The clip put back: the next call is announced and the device is ok again.
        try saved.write(to: URL(fileURLWithPath: nine))
        device.announce(.call("A029", seq: 4, at: clock.now()))
        await device.idle()
        #expect(log.summary.last == "finished A029")
        #expect(device.health.state == .ok)
    }

    @Test func aWatchedDeviceRecoversWithoutACall() async throws {
        let clips = try SyntheticClips()
        let sink = try ALSAFileSink()
        let office = clips.folder + "/办理.wav"
        let saved = try #require(FileManager.default.contents(atPath: office))
        try FileManager.default.removeItem(atPath: office)
        let device = Self.device(clips, sink, clock: ManualClock(Self.start))
        await device.idle()
        #expect(device.health.reason == "missing clip \"办理\" (办理.wav in \(clips.folder))")

        device.startWatching(every: .milliseconds(20))
        defer { device.stopWatching() }
        try saved.write(to: URL(fileURLWithPath: office))
        // A generous deadline: the watch retries at backoff delays from 0.5 s.
        let deadline = ContinuousClock.now + .seconds(60)
        while device.health.state != .ok, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(device.health.state == .ok)
        #expect(sink.written.isEmpty)  // the check opened the PCM but played nothing
    }

    @Test func aBrokenClipIsAFaultNamingTheFile() async throws {
        let clips = try SyntheticClips()
        let sink = try ALSAFileSink()
        try Data("not a wav at all".utf8).write(to: URL(fileURLWithPath: clips.folder + "/号.wav"))
        let device = Self.device(clips, sink, clock: ManualClock(Self.start))
        await device.idle()
        #expect(device.health.state == .fault)
        #expect(device.health.reason == "broken WAV: \(clips.folder)/号.wav: not a RIFF/WAVE file")
    }

    @Test func aPCMThatCannotBeOpenedIsAFaultAndCallsStillReturn() async throws {
        let clips = try SyntheticClips()
        let sink = try ALSAFileSink()
        let clock = ManualClock(Self.start)
        let device = Self.device(clips, sink, clock: clock, pcm: "nosuchpcm")
        let log = NotificationLog()
        device.observe(log.append)
        await device.idle()
        #expect(device.health.state == .fault)
        #expect(device.health.reason.hasPrefix("cannot open ALSA device \"nosuchpcm\": "))

        device.announce(.call("A001", seq: 1, at: clock.now()))
        await device.idle()
        #expect(log.summary == ["started A001", "dropped A001"])
        #expect(log.all[1].reason?.hasPrefix("cannot open ALSA device \"nosuchpcm\"") == true)
        #expect(sink.written.isEmpty)

        // A screen's WAV still renders: the engine is fine, only the speakers are not.
        let wav = try await device.announcementWAV(for: .call("A001", seq: 1, at: clock.now()))
        #expect(try WAVFile.decode(wav).samples.isEmpty == false)
        #expect(device.health.state == .fault)
    }

    /// `device = "auto"`: ALSA's default where the kernel lists a sound card, nothing otherwise.
    @Test(arguments: [
        (nil, "none"),
        ("--- no soundcards ---\n", "none"),
        (" 0 [PCH            ]: HDA-Intel - HDA Intel PCH\n                      HDA Intel PCH at 0xf7f10000 irq 32\n", "alsa:default"),
    ] as [(String?, String)])
    func deviceAutoPlaysOnTheSoundCardIfThereIsOne(cards: String?, endpoint: String) throws {
        let proc = FileManager.default.temporaryDirectory.appendingPathComponent("proc-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: proc) }
        try FileManager.default.createDirectory(at: proc.appendingPathComponent("asound"), withIntermediateDirectories: true)
        if let cards { try cards.write(to: proc.appendingPathComponent("asound/cards"), atomically: true, encoding: .utf8) }
        let clips = try SyntheticClips()
        let settings = VoiceSettings(engine: .clips, clips: clips.folder, output: .auto, repeatCount: 1)
        let device = VoiceDevice(id: "voice", settings: settings, options: .init(procRoot: proc.path))
        #expect(device.endpoint == endpoint)
    }

    @Test func deviceNoneStillAnnouncesForTheScreens() async throws {
        let clips = try SyntheticClips()
        let settings = VoiceSettings(engine: .clips, clips: clips.folder, output: .none, repeatCount: 2, chime: clips.chimePath)
        let device = VoiceDevice(id: "voice", settings: settings, options: .init(pauseMilliseconds: Self.pause))
        let log = NotificationLog()
        device.observe(log.append)
        device.announce(.call("A012", seq: 7, at: Date()))
        await device.idle()
        #expect(log.summary == ["started A012", "finished A012"])
        #expect(device.health.state == .ok)
        #expect(device.endpoint == "none")

        let wav = try await device.announcementWAV(for: .call("A012", seq: 7, at: Date()))
        let words = ["请", "A", "零", "一", "二", "号", "到", "三", "号", "窗口", "办理"]
        let expected = clips.expected(words: words, repeatCount: 2, pauseMilliseconds: Self.pause)
        #expect(soundDifference(WAVFile.rawBytes(try WAVFile.decode(wav)), expected) == nil)
    }

    @Test func sayAndTestPlayThroughTheSamePath() async throws {
        let clips = try SyntheticClips()
        let sink = try ALSAFileSink()
        let device = Self.device(clips, sink, clock: ManualClock(Self.start), repeatCount: 2)
        let said = try await device.say("请A1号到窗口")
        #expect(said.text == "请A1号到窗口")
        #expect(said.playedLocally)
        let sayWords = ["请", "A", "一", "号", "到", "窗口"]
        let afterSay = clips.expected(words: sayWords, repeatCount: 1, pauseMilliseconds: Self.pause)
        #expect(soundDifference(sink.written, afterSay) == nil)

        let result = await device.test()
        #expect(result.passed)
        #expect(result.kind == .voice)
        #expect(result.message.hasPrefix("played 请A001号到1号窗口办理 ("))
        #expect(result.message.hasSuffix(" s) on alsa:hallfile"))
        let testWords = ["请", "A", "零", "零", "一", "号", "到", "一", "号", "窗口", "办理"]
        let afterTest = afterSay + clips.expected(words: testWords, repeatCount: 2, pauseMilliseconds: Self.pause)
        #expect(soundDifference(sink.written, afterTest) == nil)

        // Free text with a word there is no clip for: an error naming it, not a crash.
        await #expect(throws: VoiceError.missingClip(name: "您", folder: clips.folder)) { try await device.say("您好") }
    }
}

/// The shipped voice: the default clip set and the espeak-ng engine.
@Suite struct ShippedVoiceTests {
    static let configFolder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Config").path

    @Test func theDefaultClipSetHasEveryWordAndOneFormat() throws {
        let engine = ClipsEngine(folder: Self.configFolder + "/voice/zh")
        let format = try engine.check()
        #expect(format == PCMAudio.Format(sampleRate: 16_000, channels: 1))
        let speech = try engine.render(AnnouncementText(template: VoiceSettings.defaultTemplate, number: "A012", window: "12号窗口"))
        // Eleven or more spoken words: over two seconds, and not silence.
        #expect(speech.seconds > 2 && speech.seconds < 15)
        #expect(speech.samples.contains { abs(Int($0)) > 3000 })
        let chime = try WAVFile.read(path: Self.configFolder + "/voice/chime.wav")
        #expect(chime.seconds > 0.5 && chime.seconds < 1.5)
    }

    @Test(.enabled(if: VoiceSupport.espeak && VoiceSupport.alsa, "needs libespeak-ng's data and libasound (scripts/setup)"))
    func espeakSpeaksMandarinToTheSpeakers() async throws {
        let sink = try ALSAFileSink()
        let settings = VoiceSettings(
            engine: .espeakNG, output: .alsa(ALSAFileSink.pcm), repeatCount: 2, chime: Self.configFolder + "/voice/chime.wav")
        let device = VoiceDevice(id: "voice", settings: settings, options: .init(alsaConfigPath: sink.configPath))
        let log = NotificationLog()
        device.observe(log.append)
        let request = VoiceRequest.call("A012", seq: 1, at: Date())
        device.announce(request)
        await device.idle()
        #expect(log.summary == ["started A012", "finished A012"])
        #expect(device.health.state == .ok)

        // What was played is the screens' WAV, sample for sample.
        let wav = try WAVFile.decode(try await device.announcementWAV(for: request))
        #expect(wav.format == PCMAudio.Format(sampleRate: 22_050, channels: 1))
        #expect(soundDifference(sink.written, WAVFile.rawBytes(wav)) == nil)
        // Chime (~0.8 s) + two readings of a ~4 s sentence: between 5 and 20 s, and loud enough.
        #expect(wav.seconds > 5 && wav.seconds < 20)
        let rms = (wav.samples.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(wav.samples.count)).squareRoot()
        #expect(rms > 500)
    }

    @Test(.enabled(if: VoiceSupport.espeak, "needs libespeak-ng's data (scripts/setup installs espeak-ng)"))
    func espeakReadsTheNumberDigitByDigit() throws {
        // "零一二" as three digits is longer than the value "十二"; the engine must get the digits.
        let engine = EspeakEngine()
        let digits = try engine.render(AnnouncementText(parts: [.number(written: "012", spoken: SpokenNumber.ticketWords("012"))]))
        let value = try engine.render(AnnouncementText(parts: [.words("12")]))
        #expect(digits.seconds > value.seconds)
    }
}
