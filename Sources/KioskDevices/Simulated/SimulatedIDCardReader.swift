import Foundation
import KioskCore

/// An ID card reader that exists only in software: the demo's reader (`kioskctl sim card …`
/// ends up in `present(card:)`) and the tests'.
///
/// It behaves like a SAM reader as the kiosk sees it: `readCard` waits for a placement, each
/// placement is read once, a card left lying there is not read again until it is removed and
/// presented anew, and an unplugged reader fails every wait at once.
public final class SimulatedIDCardReader: IDCardReader {
    typealias Waiter = CheckedContinuation<Result<IDCard, DeviceError>, Never>

    struct State: Sendable {
        var connected = true
        /// The card lying on the reader, read or not.
        var onReader: IDCard?
        /// Whether that card's placement has not been read yet.
        var unread = false
        var nextWait = 0
        /// Waits in progress (registered or not yet registered), oldest first by id.
        var open: Set<Int> = []
        var waiters: [Int: Waiter] = [:]
        /// Outcomes decided before their wait registered (an immediate timeout or cancel).
        var early: [Int: Result<IDCard, DeviceError>] = [:]
    }

    public let id: String
    public let kind = DeviceConfig.Kind.idcardReader
    public let transport = DeviceConfig.Transport.simulated
    public let endpoint = "simulated"

    private let box: DeviceStateBox<State>
    private let presentations = PresentationSignal()

    public init(id: String, clock: any HallClock = SystemClock()) {
        self.id = id
        box = DeviceStateBox(State(), health: .ready(since: clock.now()), clock: clock)
    }

    public var health: DeviceHealth { box.health }

    public func observeHealth(_ observer: @escaping @Sendable (DeviceHealth) -> Void) {
        box.observe(observer)
    }

    // MARK: Simulation controls

    /// Places `card` on the reader (replacing any card lying there). The oldest waiting
    /// `readCard` gets it; with nobody waiting, the next `readCard` does.
    /// Throws `unavailable` when the reader is unplugged: the card is not read.
    public func present(card: IDCard) throws(DeviceError) {
        let id = self.id
        let resume = try box.mutate(assess: Self.assess) { (s, _) throws(DeviceError) -> (Waiter, IDCard)? in
            guard s.connected else { throw .unavailable(id: id, reason: "disconnected") }
            s.onReader = card
            s.unread = true
            guard let first = s.waiters.keys.min(), let waiter = s.waiters.removeValue(forKey: first) else {
                return nil
            }
            s.open.remove(first)
            s.unread = false
            return (waiter, card)
        }
        presentations.send(card.cardType)
        if let (waiter, card) = resume { waiter.resume(returning: .success(card)) }
    }

    /// Lifts the card off the reader (an unread placement is lost).
    public func remove() {
        box.mutate(assess: Self.assess) { s, _ in
            s.onReader = nil
            s.unread = false
        }
    }

    /// Plugs the reader in or pulls its cable. Unplugging fails every wait with `unavailable`
    /// and forgets the card; the reader is `absent` until plugged in again.
    public func setConnected(_ connected: Bool) {
        let id = self.id
        let failed = box.mutate(assess: Self.assess) { s, _ -> [Waiter] in
            s.connected = connected
            guard !connected else { return [] }
            s.onReader = nil
            s.unread = false
            let waiters = Array(s.waiters.values)
            for key in s.waiters.keys { s.open.remove(key) }
            s.waiters = [:]
            return waiters
        }
        for waiter in failed { waiter.resume(returning: .failure(.unavailable(id: id, reason: "disconnected"))) }
    }

    // MARK: IDCardReader

    public func readCard(timeout: Duration) async throws(DeviceError) -> IDCard {
        let id = self.id
        // A placement already waiting, or an unplugged reader, needs no timer.
        let start = box.mutate(assess: Self.assess) { s, _ -> Result<IDCard, DeviceError>? in
            if !s.connected { return .failure(.unavailable(id: id, reason: "disconnected")) }
            if s.unread, let card = s.onReader {
                s.unread = false
                return .success(card)
            }
            return nil
        }
        if let start { return try start.get() }
        let wait = box.mutate(assess: Self.assess) { s, _ -> Int in
            s.nextWait += 1
            s.open.insert(s.nextWait)
            return s.nextWait
        }
        let seconds = timeout.seconds
        let timer = Task { [weak self] in
            try? await Task.sleep(for: timeout)
            guard !Task.isCancelled else { return }
            self?.finish(wait, .failure(.timeout(id: id, seconds: seconds)))
        }
        defer { timer.cancel() }
        let result = await withTaskCancellationHandler {
            await withCheckedContinuation { (c: Waiter) in register(wait, c) }
        } onCancel: {
            finish(wait, .failure(.cancelled(id: id)))
        }
        return try result.get()
    }

    public func observePresentations(_ observer: @escaping @Sendable (IDCard.CardType) -> Void) {
        presentations.observe(observer)
    }

    public func status() async -> ReaderStatus {
        box.read { s, health in
            ReaderStatus(connected: s.connected, cardPresent: s.onReader != nil, health: health)
        }
    }

    // MARK: Internals

    static func assess(_ s: State) -> (DeviceHealth.State, String) {
        s.connected ? (.ok, "ready") : (.absent, "disconnected")
    }

    /// Parks the continuation of wait `wait`, unless its outcome is already known.
    private func register(_ wait: Int, _ c: Waiter) {
        let id = self.id
        let now = box.mutate(assess: Self.assess) { s, _ -> Result<IDCard, DeviceError>? in
            guard s.open.contains(wait) else { return .failure(.cancelled(id: id)) }
            if let early = s.early.removeValue(forKey: wait) {
                s.open.remove(wait)
                return early
            }
            if !s.connected {
                s.open.remove(wait)
                return .failure(.unavailable(id: id, reason: "disconnected"))
            }
            if s.unread, let card = s.onReader {
                s.unread = false
                s.open.remove(wait)
                return .success(card)
            }
            s.waiters[wait] = c
            return nil
        }
        if let now { c.resume(returning: now) }
    }

    /// Ends wait `wait` with `outcome` (timeout or cancel) if it is still open; first outcome wins.
    private func finish(_ wait: Int, _ outcome: Result<IDCard, DeviceError>) {
        let waiter = box.mutate(assess: Self.assess) { s, _ -> Waiter? in
            guard s.open.contains(wait) else { return nil }
            if let waiter = s.waiters.removeValue(forKey: wait) {
                s.open.remove(wait)
                return waiter
            }
            if s.early[wait] == nil { s.early[wait] = outcome }
            return nil
        }
        waiter?.resume(returning: outcome)
    }
}
