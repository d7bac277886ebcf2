import Testing

import KioskConfig
import KioskCore

/// `[voice]` and `voice_name` on `[[windows]]`: defaults, paths relative to the file, and
/// errors that name the line and key.
@Suite struct VoiceConfigTests {
    @Test func noVoiceTableMeansNoVoice() throws {
        #expect(try Fixture.parse(Fixture.minimal).voice == nil)
    }

    @Test func emptyVoiceTableTakesTheDefaults() throws {
        let voice = try #require(try Fixture.parse(Fixture.minimal + "[voice]\n").voice)
        #expect(voice == VoiceSettings())
        #expect(voice.engine == .espeakNG)
        #expect(voice.output == .alsa("default"))
        #expect(voice.template == "请{number}号到{window}办理")
        #expect(voice.repeatCount == 2)
        #expect(voice.chime == nil)
        #expect(voice.maxDelaySeconds == 60)
    }

    @Test func everyKeyIsReadAndPathsResolveAgainstTheFile() throws {
        let voice = try #require(
            try Fixture.parse(
                Fixture.minimal + """
                    [voice]
                    engine = "clips"
                    clips = "voice/zh"
                    device = "plughw:1"
                    template = "{number}号请到{window}"
                    repeat = 3
                    chime = "voice/chime.wav"
                    max_delay_seconds = 30
                    """
            ).voice)
        #expect(
            voice
                == VoiceSettings(
                    engine: .clips, clips: "/etc/kioskd/voice/zh", output: .alsa("plughw:1"),
                    template: "{number}号请到{window}", repeatCount: 3, chime: "/etc/kioskd/voice/chime.wav",
                    maxDelaySeconds: 30))
    }

    @Test func deviceNoneMeansNoLocalOutput() throws {
        let voice = try Fixture.parse(Fixture.minimal + "[voice]\ndevice = \"none\"\n").voice
        #expect(voice?.output == VoiceSettings.Output.none)
    }

    @Test func deviceAutoIsDecidedByTheMachine() throws {
        let voice = try Fixture.parse(Fixture.minimal + "[voice]\ndevice = \"auto\"\n").voice
        #expect(voice?.output == VoiceSettings.Output.auto)
    }

    @Test func clipsEngineNeedsItsFolder() {
        let error = Fixture.refusal(Fixture.minimal + "[voice]\nengine = \"clips\"\n")
        #expect(error?.file == "hall.toml")
        #expect(error?.key == "voice.clips")
        #expect(error?.message == "is required for engine = \"clips\" (the folder of WAV clips)")
    }

    @Test func unknownEngineIsRefusedWithTheChoices() {
        let error = Fixture.refusal(Fixture.minimal + "[voice]\nengine = \"festival\"\n")
        #expect(error?.line == 10)
        #expect(error?.key == "voice.engine")
        #expect(error?.message == "must be one of \"espeak-ng\", \"clips\", not \"festival\"")
    }

    @Test func templateWithoutTheNumberIsRefused() {
        let error = Fixture.refusal(Fixture.minimal + "[voice]\ntemplate = \"请到{window}办理\"\n")
        #expect(error?.line == 10)
        #expect(error?.key == "voice.template")
        #expect(error?.message == "must contain {number}")
    }

    @Test func templateWithAMistypedPlaceholderIsRefused() {
        let error = Fixture.refusal(Fixture.minimal + "[voice]\ntemplate = \"请{number}号到{windwo}办理\"\n")
        #expect(error?.key == "voice.template")
        #expect(error?.message == "unknown placeholder {windwo}; use {number} and {window}")
        let unclosed = Fixture.refusal(Fixture.minimal + "[voice]\ntemplate = \"请{number号\"\n")
        #expect(unclosed?.message == "has a \"{\" without its \"}\"")
    }

    @Test func repeatAndDelayMustBePositive() {
        let repeatError = Fixture.refusal(Fixture.minimal + "[voice]\nrepeat = 0\n")
        #expect(repeatError?.line == 10)
        #expect(repeatError?.key == "voice.repeat")
        #expect(repeatError?.message == "must be a positive integer")
        let delayError = Fixture.refusal(Fixture.minimal + "[voice]\nrepeat = 1\nmax_delay_seconds = \"60\"\n")
        #expect(delayError?.line == 11)
        #expect(delayError?.key == "voice.max_delay_seconds")
        #expect(delayError?.message == "expected an integer, found string \"60\"")
    }

    @Test func emptyDeviceAndUnknownKeyAreRefused() {
        let empty = Fixture.refusal(Fixture.minimal + "[voice]\ndevice = \"\"\n")
        #expect(empty?.key == "voice.device")
        #expect(empty?.message == "must not be empty")
        let typo = Fixture.refusal(Fixture.minimal + "[voice]\nrepeats = 2\n")
        #expect(typo?.line == 10)
        #expect(typo?.key == "voice.repeats")
        #expect(typo?.message == "unknown key; did you mean repeat?")
    }

    @Test func windowVoiceNameDefaultsToItsName() throws {
        let config = try Fixture.parse(
            Fixture.minimal + """
                [[windows]]
                id = "3"
                name = "3号窗口"
                serves = ["A"]
                voice_name = "三号窗口"

                [[windows]]
                id = "4"
                name = "4号窗口"
                serves = ["A"]
                """)
        #expect(config.windows[0].voiceName == "三号窗口")
        #expect(config.windows[0].spokenName == "三号窗口")
        #expect(config.windows[1].voiceName == nil)
        #expect(config.windows[1].spokenName == "4号窗口")
    }

    @Test func emptyWindowVoiceNameIsRefused() {
        let error = Fixture.refusal(
            Fixture.minimal + """
                [[windows]]
                id = "3"
                name = "3号窗口"
                serves = ["A"]
                voice_name = " "
                """)
        #expect(error?.line == 13)
        #expect(error?.key == "windows[0].voice_name")
        #expect(error?.message == "must not be empty")
    }

    /// The [voice] device is "voice" in the device list: a [[devices]] entry may not take that id
    /// while there is a [voice] table (it would hide the voice from device.list and device.test).
    @Test func aDeviceEntryMayNotTakeTheVoicesID() throws {
        let entry = "[[devices]]\nid = \"voice\"\nkind = \"receipt-printer\"\ntransport = \"simulated\"\n"
        let error = Fixture.refusal(Fixture.minimal + entry + "[voice]\nengine = \"espeak-ng\"\n")
        #expect(error?.key == "devices[0].id", "\(String(describing: error))")
        #expect(error?.message.contains("[voice] table's device") == true, "\(String(describing: error))")
        // Without a [voice] table the id is free.
        #expect(try Fixture.parse(Fixture.minimal + entry).devices.map(\.id) == ["voice"])
    }
}
