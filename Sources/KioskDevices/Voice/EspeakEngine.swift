import CEspeak
import Foundation
import Synchronization

/// Engine `espeak-ng`: offline Mandarin synthesis through libespeak-ng (离线语音合成), straight to
/// PCM in memory.
///
/// Why the voice `cmn-latn-pinyin` and not plain `cmn`: Debian 12's espeak-ng 1.51 `cmn` voice
/// reads many characters with English rules (请 comes out as "king-three", 号 as "hey-a-four"),
/// while `cmn-latn-pinyin` reads 请, 号, 到, 零…九 as Mandarin and letters A–Z by their usual
/// names (checked with `espeak-ng -q --ipa`).
/// Why one lock for the whole process: libespeak-ng keeps its voice, its callback and its
/// buffers in globals, so two syntheses at once would mix their samples.
public struct EspeakEngine: VoiceEngine {
    public static let voiceName = "cmn-latn-pinyin"
    /// Words per minute: a little slower than espeak's 175, as announcements in a hall are.
    public static let wordsPerMinute: Int32 = 150

    public init() {}

    public func check() throws(VoiceError) -> PCMAudio.Format {
        let rate = try Self.library.withLock { state throws(VoiceError) in try state.ready() }
        return PCMAudio.Format(sampleRate: rate, channels: 1)
    }

    public func render(_ text: AnnouncementText) throws(VoiceError) -> PCMAudio {
        try Self.library.withLock { state throws(VoiceError) -> PCMAudio in
            let rate = try state.ready()
            let sink = SampleSink()
            let speech = text.speech
            let status: espeak_ERROR = speech.withCString { pointer in
                espeak_Synth(
                    pointer, strlen(pointer) + 1, 0, POS_CHARACTER, 0, UInt32(espeakCHARS_UTF8), nil,
                    Unmanaged.passUnretained(sink).toOpaque())
            }
            guard status == EE_OK else { throw .engine("synthesis failed (espeak error \(status.rawValue))") }
            return PCMAudio(format: .init(sampleRate: rate, channels: 1), samples: sink.samples)
        }
    }

    // MARK: The library's global state

    /// Samples handed to the callback during one `espeak_Synth` (which runs it synchronously).
    private final class SampleSink {
        var samples: [Int16] = []
    }

    private struct LibraryState {
        /// The sample rate once initialised, or why it failed (not retried: data files do not
        /// appear while the daemon runs, and the reason stays visible in the device's health).
        var initialised: Result<Int, VoiceError>?

        mutating func ready() throws(VoiceError) -> Int {
            if initialised == nil { initialised = Self.initialise() }
            return try initialised!.get()
        }

        private static func initialise() -> Result<Int, VoiceError> {
            let rate = espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0, nil, 0)
            guard rate > 0 else { return .failure(.engine("espeak-ng cannot start (is espeak-ng-data installed?)")) }
            espeak_SetSynthCallback { wav, count, events in
                guard let wav, count > 0, let user = events?.pointee.user_data else { return 0 }
                let sink = Unmanaged<SampleSink>.fromOpaque(user).takeUnretainedValue()
                sink.samples.append(contentsOf: UnsafeBufferPointer(start: wav, count: Int(count)))
                return 0
            }
            guard espeak_SetVoiceByName(EspeakEngine.voiceName) == EE_OK else {
                return .failure(.engine("espeak-ng has no voice \(EspeakEngine.voiceName)"))
            }
            _ = espeak_SetParameter(espeakRATE, EspeakEngine.wordsPerMinute, 0)
            return .success(Int(rate))
        }
    }

    private static let library = Mutex(LibraryState())
}
