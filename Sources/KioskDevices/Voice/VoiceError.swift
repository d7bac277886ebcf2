/// Why the voice device (语音播报) could not speak: each case becomes its `fault` reason.
public enum VoiceError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The clips engine has no clip for a word it must say.
    case missingClip(name: String, folder: String)
    /// A clip or the chime is not a usable WAV.
    case brokenWAV(String)
    /// The synthesizer failed (espeak-ng data missing, voice not installed).
    case engine(String)
    /// The ALSA device cannot be opened or written.
    case output(String)

    public var description: String {
        switch self {
        case .missingClip(let name, let folder): "missing clip \"\(name)\" (\(name).wav in \(folder))"
        case .brokenWAV(let message): "broken WAV: \(message)"
        case .engine(let message): "voice engine: \(message)"
        case .output(let message): message
        }
    }
}
