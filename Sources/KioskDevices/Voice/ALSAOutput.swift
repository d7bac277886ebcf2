import CAlsa
import Foundation

/// Local playback through ALSA (本地扬声器输出): open the PCM, set it to the sound's format,
/// write every frame, drain, close.
///
/// Why open and close for each announcement: a USB speaker unplugged and plugged back in, or a
/// PCM defined after start-up, works at the next call without a reconnect loop; opening takes
/// milliseconds next to seconds of speech. `drain` returns when the last sample was played, so
/// the device never starts the next announcement over the end of this one.
public struct ALSAOutput: Sendable {
    /// The PCM name (`default`, `plughw:1`, a name from asound.conf).
    public let pcm: String
    /// nil: ALSA's own configuration (asound.conf, `ALSA_CONFIG_PATH`). Otherwise a list of
    /// files separated by ":", loaded privately for this output only.
    ///
    /// Why a private configuration: libasound reads `ALSA_CONFIG_PATH` once, at the first open in
    /// the process, into one global tree; setting the variable later (a test in a process that
    /// runs others in parallel) is a race on `environ` and is ignored once the tree is loaded.
    /// `snd_config_update_r` builds our own tree from the same kind of path list, and
    /// `snd_pcm_open_lconf` opens the PCM from it, touching no global state.
    public let configPath: String?

    public init(pcm: String, configPath: String? = nil) {
        self.pcm = pcm
        self.configPath = configPath
        _ = Self.silenceOnce
    }

    /// libasound prints its errors to stderr; the device reports them as its health instead.
    private static let silenceOnce: Void = kiosk_alsa_silence_errors()

    /// Checks that the PCM opens and takes `format` (start-up and `voice test`), playing nothing.
    public func check(format: PCMAudio.Format) throws(VoiceError) {
        try open(format: format).close()
    }

    /// Plays `audio` to the end; returns when ALSA has drained it.
    public func play(_ audio: PCMAudio) throws(VoiceError) {
        let opened = try open(format: audio.format)
        defer { opened.close() }
        let handle = opened.pcm
        let channels = audio.format.channels
        var frame = 0
        let total = audio.frameCount
        try audio.samples.withUnsafeBufferPointer { buffer throws(VoiceError) in
            while frame < total {
                let pointer = UnsafeRawPointer(buffer.baseAddress! + frame * channels)
                let written = snd_pcm_writei(handle, pointer, snd_pcm_uframes_t(total - frame))
                if written >= 0 {
                    frame += Int(written)
                    continue
                }
                // An underrun (-EPIPE) or a suspend (-ESTRPIPE) is recoverable; anything else is a fault.
                let recovered = snd_pcm_recover(handle, Int32(written), 1)
                if recovered < 0 { throw .output("ALSA \"\(pcm)\": write failed: \(Self.reason(Int32(written)))") }
            }
        }
        let drained = snd_pcm_drain(handle)
        if drained < 0 { throw .output("ALSA \"\(pcm)\": drain failed: \(Self.reason(drained))") }
    }

    /// An open PCM and the private configuration it was opened from, kept until it is closed.
    private struct Opened {
        let pcm: OpaquePointer
        let top: OpaquePointer?
        let update: OpaquePointer?

        func close() {
            snd_pcm_close(pcm)
            Self.free(top, update)
        }

        static func free(_ top: OpaquePointer?, _ update: OpaquePointer?) {
            if let top { snd_config_delete(top) }
            if let update { snd_config_update_free(update) }
        }
    }

    private func open(format: PCMAudio.Format) throws(VoiceError) -> Opened {
        var handle: OpaquePointer?
        var top: OpaquePointer?
        var update: OpaquePointer?
        var status: Int32
        if let configPath {
            status = snd_config_update_r(&top, &update, configPath)
            guard status >= 0, top != nil else {
                Opened.free(top, update)
                throw .output("ALSA configuration \(configPath): \(Self.reason(status))")
            }
            status = snd_pcm_open_lconf(&handle, pcm, SND_PCM_STREAM_PLAYBACK, 0, top)
        } else {
            status = snd_pcm_open(&handle, pcm, SND_PCM_STREAM_PLAYBACK, 0)
        }
        guard status >= 0, let handle else {
            Opened.free(top, update)
            throw .output("cannot open ALSA device \"\(pcm)\": \(Self.reason(status))")
        }
        let opened = Opened(pcm: handle, top: top, update: update)
        // Half a second of buffer: enough for a loaded machine, little enough to stop quickly.
        status = snd_pcm_set_params(
            handle, SND_PCM_FORMAT_S16_LE, SND_PCM_ACCESS_RW_INTERLEAVED, UInt32(format.channels),
            UInt32(format.sampleRate), 1, 500_000)
        guard status >= 0 else {
            opened.close()
            throw .output("ALSA device \"\(pcm)\" refuses \(format): \(Self.reason(status))")
        }
        return opened
    }

    private static func reason(_ status: Int32) -> String {
        String(cString: snd_strerror(status))
    }
}
