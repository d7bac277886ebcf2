import KioskCore

/// Turns announcement words into sound (语音合成). Both engines are safe to call from any
/// thread: the device's queue plays while the HTTP listener renders WAVs for screens.
public protocol VoiceEngine: Sendable {
    /// What the engine says, in one format for every call of this engine.
    func render(_ text: AnnouncementText) throws(VoiceError) -> PCMAudio
    /// Everything the engine needs is there and usable (a start-up and `voice test` check);
    /// returns the format `render` produces.
    func check() throws(VoiceError) -> PCMAudio.Format
}

/// The engine `[voice]` names.
public func makeVoiceEngine(_ settings: VoiceSettings) -> any VoiceEngine {
    switch settings.engine {
    case .espeakNG: EspeakEngine()
    case .clips: ClipsEngine(folder: settings.clips ?? "voice/zh")
    }
}
