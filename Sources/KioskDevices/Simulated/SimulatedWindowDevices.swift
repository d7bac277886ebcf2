import Foundation
import KioskCore
import Synchronization

/// A window display without hardware (demo, kiosk-shell development): remembers what it shows.
public final class SimulatedWindowDisplay: WindowDisplay {
    public let id: String
    public let kind = DeviceConfig.Kind.windowDisplay
    public let transport = DeviceConfig.Transport.simulated
    public let endpoint = "simulated"
    public let window: String
    public let profile: WindowDeviceProfile
    private let box: DeviceStateBox<WindowDisplayContent?>

    public init(id: String, window: String, profile: WindowDeviceProfile, clock: any HallClock) {
        self.id = id
        self.window = window
        self.profile = profile
        box = DeviceStateBox(nil, health: .ready(since: clock.now()), clock: clock)
    }

    public var health: DeviceHealth { box.health }
    public var showing: WindowDisplayContent? { box.state }
    public func observeHealth(_ observer: @escaping @Sendable (DeviceHealth) -> Void) { box.observe(observer) }

    public func show(_ content: WindowDisplayContent) async throws(DeviceError) {
        box.mutate(assess: { _ in (.ok, "ready") }) { s, _ in s = content }
    }
}

/// A caller keypad or evaluator without hardware: `press` stands for a key (`kioskctl sim keypad`),
/// and what the daemon shows on it comes back to the presser.
public final class SimulatedWindowKeys: WindowKeys {
    public let id: String
    public let kind: DeviceConfig.Kind
    public let transport = DeviceConfig.Transport.simulated
    public let endpoint = "simulated"
    public let window: String
    public let profile: WindowDeviceProfile
    public let health: DeviceHealth

    private struct State {
        var handler: (@Sendable (WindowKeyPress) -> Void)?
        var shown: String?
        var waiting: [CheckedContinuation<String, Never>] = []
    }

    private let state = Mutex(State())

    public init(id: String, kind: DeviceConfig.Kind, window: String, profile: WindowDeviceProfile, clock: any HallClock) {
        self.id = id
        self.kind = kind
        self.window = window
        self.profile = profile
        health = .ready(since: clock.now())
    }

    public func observeHealth(_ observer: @escaping @Sendable (DeviceHealth) -> Void) {}

    public func onPress(_ handler: @escaping @Sendable (WindowKeyPress) -> Void) { state.withLock { $0.handler = handler } }

    /// Presses a key and returns what the daemon then shows on the device's display.
    public func press(_ press: WindowKeyPress) async -> String {
        await withCheckedContinuation { c in
            let handler = state.withLock { s in
                s.waiting.append(c)
                return s.handler
            }
            guard let handler else {
                show("(not connected)")
                return
            }
            handler(press)
        }
    }

    /// The last text shown on the device.
    public var shown: String? { state.withLock { $0.shown } }

    public func display(_ text: String) async throws(DeviceError) { show(text) }

    private func show(_ text: String) {
        let waiting = state.withLock { s in
            s.shown = text
            defer { s.waiting = [] }
            return s.waiting
        }
        waiting.forEach { $0.resume(returning: text) }
    }
}
