import Foundation
import KioskCore

/// A caller keypad (呼叫器) or evaluator (评价器) at an address on an RS-485 bus, speaking
/// `keypad-68`. Each good frame from its address is acknowledged by the bus, then reported once:
/// the same frame again within the profile's `repeat_ms` is the device repeating a press whose
/// acknowledgement it missed, not a second press. Healthy while its bus is open (it only speaks
/// when pressed, so there is nothing else to watch).
public final class BusWindowKeys: WindowKeys {
    public let id: String
    public let kind: DeviceConfig.Kind
    public let transport = DeviceConfig.Transport.serial
    public let window: String
    public let profile: WindowDeviceProfile
    public let address: UInt8
    public let bus: RS485Bus
    public var endpoint: String { "\(bus.endpoint) addr \(address)" }

    struct State: FollowsBus {
        var bus: RS485Bus.State = .absent("not opened yet")
        var handler: (@Sendable (WindowKeyPress) -> Void)?
        var last: (frame: Keypad68.Frame, at: ContinuousClock.Instant)?
        var presses = 0
        var repeats = 0
    }

    private let box: DeviceStateBox<State>

    public init(id: String, kind: DeviceConfig.Kind, window: String, address: UInt8, profile: WindowDeviceProfile,
        bus: RS485Bus, clock: any HallClock) {
        self.id = id
        self.kind = kind
        self.window = window
        self.address = address
        self.profile = profile
        self.bus = bus
        box = bus.deviceBox(State(), clock: clock, assess: Self.assess)
        let profile = self.profile, kind = self.kind
        bus.listen(address: address) { [box] frame in
            guard let action = profile.functions[frame.function] else {
                return .ignore(String(format: "unknown function %02X", frame.function))
            }
            var score: Int?
            if action == .evaluation {
                guard kind == .evaluator || kind == .callerKeypad, frame.data.count == 1, (1...5).contains(Int(frame.data[0])) else {
                    return .ignore("an evaluation needs one data byte 1 to 5, got \(frame.data.map { String(format: "%02X", $0) })")
                }
                score = Int(frame.data[0])
            } else if kind == .evaluator {
                return .ignore("an evaluator only rates; function \(action.rawValue) ignored")
            }
            let press = WindowKeyPress(action: action, score: score)
            return .accept(act: {
                let now = ContinuousClock.now
                let handler = box.mutate(assess: Self.assess) { s, _ -> (@Sendable (WindowKeyPress) -> Void)? in
                    if let last = s.last, last.frame == frame, now - last.at < .milliseconds(profile.repeatMilliseconds) {
                        s.repeats += 1
                        s.last = (frame, now)
                        return nil
                    }
                    s.last = (frame, now)
                    s.presses += 1
                    return s.handler
                }
                handler?(press)
            })
        }
    }

    public var health: DeviceHealth { box.health }
    public func observeHealth(_ observer: @escaping @Sendable (DeviceHealth) -> Void) { box.observe(observer) }

    public func onPress(_ handler: @escaping @Sendable (WindowKeyPress) -> Void) {
        box.mutate(assess: Self.assess) { s, _ in s.handler = handler }
    }

    /// Presses acted on and repeats recognised, since start.
    public var pressCounts: (presses: Int, repeats: Int) { box.read { s, _ in (s.presses, s.repeats) } }

    public func display(_ text: String) async throws(DeviceError) {
        guard let bytes = GB2312.encode(text) else {
            throw .invalidJob(id: id, message: "\"\(text)\" has characters outside GB2312")
        }
        let frame = Keypad68.encode(Keypad68.Frame(address: address, function: profile.displayFunction, data: Array(bytes.prefix(Keypad68.maxDataLength))))
        if case .unavailable(let why) = await bus.send(frame) {
            throw .unavailable(id: id, reason: why)
        }
    }

    static func assess(_ s: State) -> (DeviceHealth.State, String) {
        switch s.bus {
        case .absent(let why): (.absent, "bus: \(why)")
        case .fault(let why): (.fault, "bus: \(why)")
        case .open: (.ok, "ready")
        }
    }
}
