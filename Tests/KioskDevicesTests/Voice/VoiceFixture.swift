import Foundation
import KioskCore
import Synchronization

@testable import KioskDevices

/// A hall's sound without a sound card: ALSA's `file` PCM plugin appends everything played to
/// `out.raw` in a temp folder (TESTING.md, "Sound: ALSA without a sound card").
///
/// Why the device gets the configuration through `Options.alsaConfigPath` instead of the test
/// setting `ALSA_CONFIG_PATH`: libasound reads that variable once, at its first configuration
/// load in the process, into a global tree; the test process runs suites in parallel, so setenv
/// would race with other threads reading the environment, and a second test's folder would be
/// ignored anyway. The device loads "/usr/share/alsa/alsa.conf:<folder>/asound.conf" — the same
/// list the variable would hold — into a private tree with `snd_config_update_r` and opens the
/// PCM from it (`snd_pcm_open_lconf`): the real libasound path, isolated per test.
struct ALSAFileSink {
    let folder: String
    static let pcm = "hallfile"

    init() throws {
        folder = Fixtures.tempDir()
        let conf = """
            pcm.\(Self.pcm) { type file; slave.pcm "null"; file "|cat >> \(folder)/out.raw"; format "raw" }

            """
        try conf.write(toFile: folder + "/asound.conf", atomically: true, encoding: .utf8)
    }

    var configPath: String { "/usr/share/alsa/alsa.conf:\(folder)/asound.conf" }

    /// Everything played so far. The plugin's `cat` has exited when the PCM was closed, which
    /// the device does before it reports `finished`.
    var written: [UInt8] {
        FileManager.default.contents(atPath: folder + "/out.raw").map { [UInt8]($0) } ?? []
    }
}

/// A clips folder of synthetic words: each clip a distinct short pattern, so the bytes played
/// tell exactly which words came in which order.
struct SyntheticClips {
    static let format = PCMAudio.Format(sampleRate: 8000, channels: 1)
    let folder: String
    /// Each clip's samples, by name; built here, independently of the engine.
    let samples: [String: [Int16]]
    let chime: [Int16]
    let chimePath: String

    init(extra: [String] = []) throws {
        let root = Fixtures.tempDir()
        folder = root + "/zh"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var samples: [String: [Int16]] = [:]
        for (index, name) in (ClipsEngine.requiredClips + ["十"] + extra).enumerated() {
            // 40 frames: the clip's number, then a ramp, so no two clips share bytes.
            let clip = (0..<40).map { Int16(index * 100 + $0 + 1) }
            samples[name] = clip
            try Data(WAVFile.encode(PCMAudio(format: Self.format, samples: clip))).write(to: URL(fileURLWithPath: "\(folder)/\(name).wav"))
        }
        self.samples = samples
        chime = (0..<64).map { Int16(-1000 - $0) }
        chimePath = root + "/chime.wav"
        try Data(WAVFile.encode(PCMAudio(format: Self.format, samples: chime))).write(to: URL(fileURLWithPath: chimePath))
    }

    /// The raw bytes one announcement must produce: chime, pause, words, pause, words…
    func expected(words: [String], repeatCount: Int, pauseMilliseconds: Int) -> [UInt8] {
        let pause = [Int16](repeating: 0, count: Self.format.sampleRate * pauseMilliseconds / 1000)
        let speech = words.flatMap { samples[$0]! }
        var all = chime + pause
        for index in 0..<repeatCount {
            if index > 0 { all += pause }
            all += speech
        }
        return all.flatMap { [UInt8(UInt16(bitPattern: $0) & 0xFF), UInt8(UInt16(bitPattern: $0) >> 8)] }
    }
}

/// Collects a device's notifications in the order they were sent.
final class NotificationLog: Sendable {
    private let entries = Mutex<[VoiceNotification]>([])
    func append(_ note: VoiceNotification) { entries.withLock { $0.append(note) } }
    var all: [VoiceNotification] { entries.withLock { $0 } }
    /// "started A012", "finished A012", "dropped A013"
    var summary: [String] { all.map { "\($0.kind.rawValue) \($0.number)" } }
}

extension VoiceRequest {
    static func call(
        _ number: String, window: String = "3", name: String = "3号窗口", seq: Int64 = 1, at: Date
    ) -> VoiceRequest {
        VoiceRequest(ticketId: seq, number: number, windowId: window, windowName: name, seq: seq, calledAt: at)
    }
}

/// Whether libasound and libespeak-ng's data are installed (scripts/setup installs both).
enum VoiceSupport {
    static let alsa = FileManager.default.fileExists(atPath: "/usr/share/alsa/alsa.conf")
    static let espeak =
        FileManager.default.fileExists(atPath: "/usr/lib/x86_64-linux-gnu/espeak-ng-data")
        || FileManager.default.fileExists(atPath: "/usr/lib/aarch64-linux-gnu/espeak-ng-data")
        || FileManager.default.fileExists(atPath: "/usr/share/espeak-ng-data")
}

/// nil when `written` is `expected`; otherwise where they part, in words. Swift Testing would
/// diff two arrays of hundreds of thousands of bytes for minutes, so sound is compared here.
func soundDifference(_ written: [UInt8], _ expected: [UInt8]) -> String? {
    if written == expected { return nil }
    let common = zip(written, expected).prefix { $0 == $1 }.count
    return "\(written.count) bytes written, \(expected.count) expected; first difference at byte \(common)"
}
