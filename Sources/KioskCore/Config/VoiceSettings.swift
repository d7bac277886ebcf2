import Foundation

/// `[voice]`: the hall's spoken announcements (语音叫号), e.g. 请A012号到3号窗口办理.
///
/// Absent from the file means no voice at all; present with `device = "none"` means the
/// announcements are still made (a screen with `voice = true` plays them) but nothing is played
/// on this machine's speakers.
public struct VoiceSettings: Sendable, Equatable {
    /// The id the `[voice]` device has among the devices (`device.list`, `device.test voice`).
    public static let deviceID = "voice"

    /// How the words become sound.
    public enum Engine: String, Sendable, Equatable, CaseIterable {
        /// libespeak-ng's Mandarin voice, synthesized on the spot: works with nothing recorded.
        case espeakNG = "espeak-ng"
        /// A folder of recorded WAV clips chained together, as most halls do it.
        case clips
    }

    /// Where the sound goes.
    public enum Output: Sendable, Equatable {
        /// An ALSA PCM name ("default", "hw:0,0", "plughw:1", a name from asound.conf).
        case alsa(String)
        /// No local output.
        case none
        /// ALSA `default` if this machine has a sound card when kioskd starts, else `none`: one
        /// configuration for a hall PC with speakers and a server or demo machine without.
        case auto
    }

    public static let defaultTemplate = "请{number}号到{window}办理"

    public var engine: Engine
    /// The clips folder (absolute, resolved against the config file); used by `engine = "clips"`.
    public var clips: String?
    public var output: Output
    /// The words, with `{number}` (read digit by digit) and `{window}` (the window's voice name).
    public var template: String
    /// How many times each announcement is spoken, after one chime.
    public var repeatCount: Int
    /// A WAV played before each announcement (absolute path); nil for none.
    public var chime: String?
    /// An announcement that waited longer than this for its turn is dropped, not played late.
    public var maxDelaySeconds: Int

    public init(
        engine: Engine = .espeakNG, clips: String? = nil, output: Output = .alsa("default"),
        template: String = VoiceSettings.defaultTemplate, repeatCount: Int = 2, chime: String? = nil,
        maxDelaySeconds: Int = 60
    ) {
        self.engine = engine
        self.clips = clips
        self.output = output
        self.template = template
        self.repeatCount = repeatCount
        self.chime = chime
        self.maxDelaySeconds = maxDelaySeconds
    }
}
