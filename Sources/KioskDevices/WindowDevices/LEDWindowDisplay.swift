import Foundation
import KioskCore

/// A window display (窗口屏) at an address on an RS-485 bus, speaking `led-a5`: each text is one
/// command frame, answered by the display. Its health is its answers: `ok` while it acknowledges,
/// `fault` when it stays silent through the profile's retries or reports a non-zero status,
/// `absent` while its bus is.
public final class LEDWindowDisplay: WindowDisplay {
    public let id: String
    public let kind = DeviceConfig.Kind.windowDisplay
    public let transport = DeviceConfig.Transport.serial
    public let window: String
    public let profile: WindowDeviceProfile
    public let address: UInt16
    public let bus: RS485Bus
    public var endpoint: String { "\(bus.endpoint) addr \(address)" }

    struct State: FollowsBus {
        var bus: RS485Bus.State = .absent("not opened yet")
        /// Why the last command failed; nil after a success.
        var failure: String?
        var showing: WindowDisplayContent?

        /// A strip whose bus went away may have lost its text (power, reset): shown again on
        /// return, and whether it answered before says nothing about it then.
        mutating func busChanged() {
            guard bus != .open else { return }
            showing = nil
            failure = nil
        }
    }

    private let box: DeviceStateBox<State>

    public init(id: String, window: String, address: UInt16, profile: WindowDeviceProfile, bus: RS485Bus, clock: any HallClock) {
        self.id = id
        self.window = window
        self.address = address
        self.profile = profile
        self.bus = bus
        box = bus.deviceBox(State(), clock: clock, assess: Self.assess)
    }

    public var health: DeviceHealth { box.health }
    public var showing: WindowDisplayContent? { box.state.showing }
    public func observeHealth(_ observer: @escaping @Sendable (DeviceHealth) -> Void) { box.observe(observer) }

    public func show(_ content: WindowDisplayContent) async throws(DeviceError) {
        guard let text = GB2312.encode(content.text) else {
            // A profile or window name with a character the strip cannot show: said, not garbled.
            throw .invalidJob(id: id, message: "\"\(content.text)\" has characters outside GB2312, which the display cannot show")
        }
        let frame = LEDA5.encode(LEDA5.Command(address: address, mode: content.mode, colour: content.colour,
            brightness: profile.brightness, text: text))
        let outcome = await bus.send(frame, answeredBy: address, timeout: .milliseconds(profile.timeoutMilliseconds),
            retries: profile.retries)
        let failure: String?
        switch outcome {
        case .answered(let reply) where reply.isOK: failure = nil
        case .answered(let reply): failure = String(format: "the display reports status %02X", reply.status)
        case .noAnswer(let tries): failure = "no answer from address \(address) (\(tries) tr\(tries == 1 ? "y" : "ies"))"
        case .unavailable(let why): failure = "its bus is unavailable: \(why)"
        case .sent: failure = nil
        }
        // Without a bus the display was not asked: its health is the bus's (absent or fault).
        if case .unavailable = outcome { throw .fault(id: id, message: failure ?? "its bus is unavailable") }
        box.mutate(assess: Self.assess) { s, note in
            s.failure = failure
            if let failure { note.record(failure) } else { s.showing = content }
        }
        if let failure { throw .fault(id: id, message: failure) }
    }

    static func assess(_ s: State) -> (DeviceHealth.State, String) {
        switch s.bus {
        case .absent(let why): return (.absent, "bus: \(why)")
        case .fault(let why): return (.fault, "bus: \(why)")
        case .open:
            if let failure = s.failure { return (.fault, failure) }
            return s.showing == nil ? (.ok, "ready (nothing shown yet)") : (.ok, "ready")
        }
    }
}
