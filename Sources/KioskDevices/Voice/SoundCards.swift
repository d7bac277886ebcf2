import Foundation

/// Whether this machine has a sound card, for `[voice] device = "auto"`: the kernel lists its
/// cards in `/proc/asound/cards` ("--- no soundcards ---" when there are none; no file at all
/// when the kernel has no sound support, as in most containers and virtual machines).
enum SoundCards {
    static func present(procRoot: String = "/proc") -> Bool {
        guard let text = try? String(contentsOfFile: procRoot + "/asound/cards", encoding: .utf8) else { return false }
        return !text.contains("no soundcards") && text.contains { !$0.isWhitespace }
    }
}
