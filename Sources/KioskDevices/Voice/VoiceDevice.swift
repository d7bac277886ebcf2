import Dispatch
import Foundation
import KioskCore
import Synchronization

/// The hall's voice (语音叫号设备): announces calls like 请A012号到3号窗口办理 on the local
/// speakers, one at a time, in call order, and renders the same sound for the screens.
///
/// Why its own dispatch queue: an announcement blocks for seconds (ALSA drains at the speed of
/// speech), so synthesis and playback run on a serial queue owned by this device, never on the
/// Swift concurrency pool and never in the caller. Being serial is also the guarantee that two
/// announcements never talk over each other: the queue runs them strictly in arrival order.
///
/// Behaviour: `announce` returns at once, whatever the device's state. When a request's turn
/// comes it is dropped if older than `max_delay_seconds` (a hall does not want A012 called two
/// minutes after its window moved on); otherwise it is synthesized and played: chime, then the
/// words `repeat` times. Observers hear `started`, `finished` or `dropped` for each request.
/// Health: `ok` while announcements render and play; `fault` with the reason (missing clip,
/// broken WAV, ALSA device that cannot be opened) when they do not — checked at start-up and at
/// every announcement, so a clip put back or a speaker plugged in again turns it `ok` at the
/// next call. A fault never reaches the caller: the call that triggered it has long returned.
public final class VoiceDevice: Device {
    public struct Options: Sendable {
        /// An ALSA configuration path list loaded privately for this device (see
        /// `ALSAOutput.configPath`); nil uses ALSA's own.
        public var alsaConfigPath: String?
        /// Silence after the chime and between repeats.
        public var pauseMilliseconds: Int
        /// Where `device = "auto"` looks for sound cards (`asound/cards` under it).
        public var procRoot: String

        public init(alsaConfigPath: String? = nil, pauseMilliseconds: Int = AnnouncementProgram.defaultPauseMilliseconds,
            procRoot: String = "/proc") {
            self.alsaConfigPath = alsaConfigPath
            self.pauseMilliseconds = pauseMilliseconds
            self.procRoot = procRoot
        }
    }

    /// What failed last in each stage; either one makes the device `fault`. Kept apart so that a
    /// WAV rendered for a screen does not clear a fault of the speakers.
    struct State: Sendable {
        var engineFailure: String?
        var outputFailure: String?
        var checked = false

        var assessment: (DeviceHealth.State, String) {
            if let engineFailure { return (.fault, engineFailure) }
            if let outputFailure { return (.fault, outputFailure) }
            return checked ? (.ok, "ready") : (.absent, "not checked yet")
        }
    }

    public let id: String
    public let kind = DeviceConfig.Kind.voice
    /// ALSA has no transport of its own among `DeviceConfig.Transport`; its PCMs are device files.
    public let transport = DeviceConfig.Transport.file
    public let endpoint: String
    public let settings: VoiceSettings

    private let engine: any VoiceEngine
    private let output: ALSAOutput?
    private let options: Options
    private let clock: any HallClock
    private let box: DeviceStateBox<State>
    private let queue: DispatchQueue
    /// Kept in a struct, not as bare closures in the Mutex (see docs/architecture.md, Concurrency).
    private struct Observer { let notify: @Sendable (VoiceNotification) -> Void }
    private let observers = Mutex<[Observer]>([])
    private let cache = AnnouncementCache()
    private let watcher = DevicePoller()

    /// The device `[voice]` describes, with the engine it names. Checks itself at once (on its
    /// queue): `health` is `fault` soon after if clips are missing or the PCM cannot be opened.
    public convenience init(
        id: String = VoiceSettings.deviceID, settings: VoiceSettings, options: Options = Options(), clock: any HallClock = SystemClock()
    ) {
        self.init(id: id, settings: settings, engine: makeVoiceEngine(settings), options: options, clock: clock)
    }

    public init(
        id: String, settings: VoiceSettings, engine: any VoiceEngine, options: Options = Options(),
        clock: any HallClock = SystemClock()
    ) {
        self.id = id
        self.settings = settings
        self.engine = engine
        self.options = options
        self.clock = clock
        switch settings.output {
        case .alsa(let pcm):
            output = ALSAOutput(pcm: pcm, configPath: options.alsaConfigPath)
            endpoint = "alsa:\(pcm)"
        case .none:
            output = nil
            endpoint = "none"
        case .auto where SoundCards.present(procRoot: options.procRoot):
            output = ALSAOutput(pcm: "default", configPath: options.alsaConfigPath)
            endpoint = "alsa:default"
        case .auto:
            output = nil
            endpoint = "none"
        }
        let initial = DeviceHealth(state: .absent, reason: "not checked yet", since: clock.now())
        box = DeviceStateBox(State(), health: initial, clock: clock)
        queue = DispatchQueue(label: "kioskd.device.\(id).voice")
        queue.async { [self] in _ = check() }
    }

    deinit { watcher.stop() }

    public var health: DeviceHealth { box.health }

    /// While the device is in `fault`, checks it again (engine, chime, output) every `interval`,
    /// backing off while it stays broken, so a clip put back or a speaker plugged in shows `ok`
    /// without waiting for the next call. A healthy device is left alone (no PCM opened).
    public func startWatching(every interval: Duration = .seconds(10)) {
        watcher.start(every: interval, on: queue) { [weak self] in
            guard let self, health.state == .fault else { return true }
            return check() == nil
        }
    }

    public func stopWatching() { watcher.stop() }

    public func observeHealth(_ observer: @escaping @Sendable (DeviceHealth) -> Void) {
        box.observe(observer)
    }

    /// Adds an observer of `started` / `finished` / `dropped`; called on the device's queue, in
    /// order, one notification at a time. Keep it short (publish an event and return).
    public func observe(_ observer: @escaping @Sendable (VoiceNotification) -> Void) {
        observers.withLock { $0.append(Observer(notify: observer)) }
    }

    // MARK: Announcing

    /// Queues `request` and returns at once; it is played after everything queued before it.
    public func announce(_ request: VoiceRequest) {
        queue.async { [self] in play(request) }
    }

    /// The words of `request` as displayed (请A012号到3号窗口办理).
    public func text(for request: VoiceRequest) -> AnnouncementText {
        AnnouncementText(template: settings.template, number: request.number, window: request.windowName)
    }

    /// The complete announcement of `request` (chime + words × repeat) as a WAV file, for
    /// `/screens/{id}/announcements/{seq}.wav`: the very samples the speakers play for that `seq`
    /// (rendered once, by whichever comes first). Rendered off the playing queue, so a screen
    /// does not wait for the speakers; a failure also puts the device in `fault`.
    public func announcementWAV(for request: VoiceRequest) async throws(VoiceError) -> [UInt8] {
        let result: Result<[UInt8], VoiceError> = await withCheckedContinuation { continuation in
            DispatchQueue.global().async { [self] in
                continuation.resume(returning: Result { () throws(VoiceError) in WAVFile.encode(try audio(for: request)) })
            }
        }
        return try result.get()
    }

    /// Waits until everything queued before this call has been played or dropped.
    public func idle() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            queue.async { continuation.resume() }
        }
    }

    // MARK: Technician's entry points

    /// What `say` and `test` played.
    public struct Playback: Sendable, Equatable {
        public var text: String
        public var seconds: Double
        /// Whether it went to local speakers (false with `device = "none"`).
        public var playedLocally: Bool
    }

    /// Plays `text` now (after what is already queued), with the chime, once: `kioskctl say`.
    public func say(_ text: String) async throws(VoiceError) -> Playback {
        let words = AnnouncementText(saying: text)
        let result: Result<Playback, VoiceError> = await onQueue { [self] in
            Result { () throws(VoiceError) in try playNow(words, repeatCount: 1) }
        }
        return try result.get()
    }

    /// The online test (在线测试) of `kioskctl voice test`: checks the engine, the chime and the
    /// output, then plays a fixed announcement through the same path as a call.
    public func test() async -> DeviceTestResult {
        let text = AnnouncementText(template: settings.template, number: "A001", window: "1号窗口")
        let outcome: Result<Playback, VoiceError> = await onQueue { [self] in
            Result { () throws(VoiceError) in
                if let failure = check() { throw failure }
                return try playNow(text, repeatCount: settings.repeatCount)
            }
        }
        let message: String
        switch outcome {
        case .success(let playback):
            let seconds = String(format: "%.1f", playback.seconds)
            let why = settings.output == .auto ? "device = \"auto\" and no sound card" : "device = \"none\""
            let where_ = playback.playedLocally ? "on \(endpoint)" : "(no local output: \(why))"
            message = "played \(playback.text) (\(seconds) s) \(where_)"
        case .failure(let error):
            message = error.description
        }
        let passed = (try? outcome.get()) != nil
        return DeviceTestResult(id: id, kind: kind, passed: passed, message: message, health: health, at: clock.now())
    }

    // MARK: On the queue

    private func onQueue<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            queue.async { continuation.resume(returning: body()) }
        }
    }

    private func play(_ request: VoiceRequest) {
        let shown = text(for: request).display
        func notify(_ kind: VoiceNotification.Kind, _ reason: String? = nil) {
            let note = VoiceNotification(
                kind: kind, ticketId: request.ticketId, number: request.number, window: request.windowId, text: shown,
                repeatCount: settings.repeatCount, device: id, reason: reason, seq: request.seq)
            for observer in observers.withLock({ $0 }) { observer.notify(note) }
        }
        let waited = clock.now().timeIntervalSince(request.calledAt)
        if waited > Double(settings.maxDelaySeconds) {
            notify(.dropped, "waited \(Int(waited)) s for its turn, more than max_delay_seconds = \(settings.maxDelaySeconds)")
            return
        }
        let audio: PCMAudio
        do {
            audio = try self.audio(for: request)
        } catch {
            notify(.dropped, error.description)
            return
        }
        notify(.started)
        do {
            try playLocally(audio)
            notify(.finished)
        } catch {
            notify(.dropped, error.description)
        }
    }

    /// The sound of a call, from the cache or rendered now.
    private func audio(for request: VoiceRequest) throws(VoiceError) -> PCMAudio {
        try cache.audio(for: request.seq) { () throws(VoiceError) in try render(text(for: request)) }
    }

    /// Renders and plays `text` on the calling (queue) thread.
    private func playNow(_ text: AnnouncementText, repeatCount: Int) throws(VoiceError) -> Playback {
        let audio = try render(text, repeatCount: repeatCount)
        try playLocally(audio)
        return Playback(text: text.display, seconds: audio.seconds, playedLocally: output != nil)
    }

    /// Chime and words × repeat; records the engine stage's outcome in the health.
    private func render(_ text: AnnouncementText, repeatCount: Int? = nil) throws(VoiceError) -> PCMAudio {
        do {
            let speech = try engine.render(text)
            let chime = try settings.chime.map { path throws(VoiceError) in try Self.readChime(path) }
            let program = AnnouncementProgram(
                chime: chime, repeatCount: repeatCount ?? settings.repeatCount, pauseMilliseconds: options.pauseMilliseconds)
            record(engine: nil)
            return program.assemble(speech)
        } catch {
            record(engine: error)
            throw error
        }
    }

    /// Plays on the local output, if any; records the output stage's outcome in the health.
    private func playLocally(_ audio: PCMAudio) throws(VoiceError) {
        guard let output else { return }
        do {
            try output.play(audio)
            record(output: nil)
        } catch {
            record(output: error)
            throw error
        }
    }

    /// The start-up and test check: engine, chime, output. Returns the first failure.
    private func check() -> VoiceError? {
        let format: PCMAudio.Format
        do {
            format = try engine.check()
            if let chime = settings.chime { _ = try Self.readChime(chime) }
            record(engine: nil)
        } catch {
            record(engine: error)
            return error
        }
        guard let output else {
            record(output: nil)
            return nil
        }
        do {
            try output.check(format: format)
            record(output: nil)
            return nil
        } catch {
            record(output: error)
            return error
        }
    }

    private static func readChime(_ path: String) throws(VoiceError) -> PCMAudio {
        do {
            return try WAVFile.read(path: path)
        } catch {
            throw .brokenWAV("chime \(error.message)")
        }
    }

    private func record(engine failure: VoiceError?) {
        box.mutate(assess: \.assessment) { state, note in
            state.engineFailure = failure?.description
            state.checked = true
            if let failure { note.record(failure.description) }
        }
    }

    private func record(output failure: VoiceError?) {
        box.mutate(assess: \.assessment) { state, note in
            state.outputFailure = failure?.description
            state.checked = true
            if let failure { note.record(failure.description) }
        }
    }
}
