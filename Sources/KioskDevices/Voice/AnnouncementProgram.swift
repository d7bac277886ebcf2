/// The whole sound of one announcement (播报音频): the chime, then the words `repeat` times,
/// with a short pause after the chime and between the repeats so they do not run together.
///
/// One function builds it for the speakers and for the screens' WAV, so a screen with
/// `voice = true` plays exactly what the hall heard.
public struct AnnouncementProgram: Sendable {
    /// Silence after the chime and between repeats.
    public static let defaultPauseMilliseconds = 300

    public var chime: PCMAudio?
    public var repeatCount: Int
    public var pauseMilliseconds: Int

    public init(chime: PCMAudio?, repeatCount: Int, pauseMilliseconds: Int = Self.defaultPauseMilliseconds) {
        self.chime = chime
        self.repeatCount = max(1, repeatCount)
        self.pauseMilliseconds = pauseMilliseconds
    }

    /// `speech` framed: chime (converted to the speech's format), pause, speech, pause, speech…
    public func assemble(_ speech: PCMAudio) -> PCMAudio {
        let pause = PCMAudio.silence(milliseconds: pauseMilliseconds, format: speech.format)
        var out = PCMAudio(format: speech.format)
        if let chime {
            out.append(chime.converted(to: speech.format))
            out.append(pause)
        }
        for index in 0..<repeatCount {
            if index > 0 { out.append(pause) }
            out.append(speech)
        }
        return out
    }
}
