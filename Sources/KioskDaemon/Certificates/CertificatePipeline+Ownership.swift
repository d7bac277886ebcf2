import Foundation
import KioskCore
import KioskStore

/// On a shared hall database every daemon has a pipeline, but one at a time takes new work
/// (渲染、打印): the holder of the `certificate-pipeline` lease, renewed every `retryInterval`
/// and taken over by another daemon when it runs out (its holder stopped). A print job, though,
/// belongs to the terminal whose printer has it (`PrintAttempt.terminal`): only that daemon
/// looks it up after a crash, whoever holds the lease — another daemon cannot see that printer,
/// and submitting it again elsewhere could print the certificate twice.
extension CertificatePipeline {
    static let leaseName = "certificate-pipeline"
    /// Three missed renewals, at the default 3 s interval, before another daemon takes over.
    var leaseSeconds: TimeInterval { max(10, 3 * retryInterval.seconds) }

    /// Whether this daemon may take new work now (always, on a database of its own).
    var ownsNewWork: Bool { !store.isShared || owner.load(ordering: .acquiring) }

    /// Takes or renews the lease; returns true when this daemon just became the holder.
    @discardableResult
    func renewLease() async -> Bool {
        guard store.isShared else { return false }
        let me = terminal, seconds = leaseSeconds
        let held = (try? await store.write { w in try w.claimLease(Self.leaseName, holder: me, seconds: seconds) }) ?? false
        let was = owner.exchange(held, ordering: .acquiringAndReleasing)
        if held != was {
            logger.notice(held ? "certificate pipeline: this terminal (\(me)) takes new work" : "certificate pipeline: another terminal takes new work")
        }
        return held && !was
    }

    /// Whether an attempt's job is on this terminal's printers (attempts from before terminals
    /// were recorded are this machine's).
    func isMine(_ attempt: PrintAttempt) -> Bool { attempt.terminal == nil || attempt.terminal == terminal }

    /// The certificates this daemon should move on: those with an open attempt of its own, and,
    /// while it takes new work, every unfinished one.
    func unfinishedWork() async throws -> [String] {
        let takesNew = ownsNewWork
        return try await store.read { r -> [String] in
            let open = try r.openPrintAttempts().filter(self.isMine).map(\.serial)
            // Rendered ones waiting for a release (on_pickup) have nothing to do here.
            let releaseFirst = self.settings.requireRelease
            let waiting = takesNew
                ? try [CertificateState.received, .rendered, .printing, .held].flatMap {
                    try r.certificates(state: $0, day: nil, limit: 10_000)
                        .filter { $0.state != .rendered || $0.printMode == .now || !releaseFirst }
                        .map(\.serial.description)
                }
                : []
            var seen = Set<String>()
            return (open + waiting).filter { seen.insert($0).inserted }
        }
    }

    /// Whether `advance` may work on `serial` here: always while this daemon takes new work,
    /// else only to follow a job of its own.
    func mayAdvance(_ serial: String) async -> Bool {
        if ownsNewWork { return true }
        let attempts = (try? await store.read { try $0.printAttempts(serial: serial) }) ?? []
        return attempts.contains { $0.isOpen && isMine($0) }
    }
}
