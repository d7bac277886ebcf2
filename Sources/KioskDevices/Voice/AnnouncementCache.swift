import Synchronization

/// The sound of recent announcements by their event's `seq` (播报音频缓存), shared by the
/// speakers and the screens' WAV.
///
/// Why: espeak-ng never says the same sentence twice to the sample (its noise and filters carry
/// state), and a screen with `voice = true` must play what the hall heard; rendering once also
/// spares the second synthesis. Whichever asks first renders it; a later request reuses it.
final class AnnouncementCache: Sendable {
    private struct Entries: Sendable {
        var audio: [Int64: PCMAudio] = [:]
        var order: [Int64] = []
    }

    private let entries = Mutex(Entries())
    let capacity: Int

    init(capacity: Int = 64) { self.capacity = capacity }

    /// The audio for `seq`, rendered by `render` only if it is not here yet. Two renders racing
    /// for the same `seq` both return the first one stored.
    func audio(for seq: Int64, render: () throws(VoiceError) -> PCMAudio) throws(VoiceError) -> PCMAudio {
        if let hit = entries.withLock({ $0.audio[seq] }) { return hit }
        let fresh = try render()
        return entries.withLock { e in
            if let earlier = e.audio[seq] { return earlier }
            e.audio[seq] = fresh
            e.order.append(seq)
            if e.order.count > capacity { e.audio[e.order.removeFirst()] = nil }
            return fresh
        }
    }
}
