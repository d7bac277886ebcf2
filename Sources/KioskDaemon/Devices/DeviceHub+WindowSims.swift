import KioskCore
import KioskDevices
import KioskProtocol

/// `sim.keypad` and `sim.evaluator`: a key or a rating on a window's simulated device, taking
/// the same path as a real press (the key desk acts, the device's display shows the outcome).
extension DeviceHub {
    func simKeypad(_ p: SimKeypadParams) async throws -> JSONValue {
        guard let action = WindowDeviceProfile.Action(rawValue: p.key == "call" ? "call_next" : p.key.replacingOccurrences(of: "-", with: "_")),
            action != .evaluation else {
            throw KioskError.invalidParams("key must be one of call, recall, start, finish, no_show, pause, resume; got \(p.key)")
        }
        return try await press(WindowKeyPress(action: action), window: p.window, kind: .callerKeypad, device: p.device, key: p.key)
    }

    func simEvaluator(_ p: SimEvaluatorParams) async throws -> JSONValue {
        guard (1...5).contains(p.score) else {
            throw KioskError.invalidParams("score must be 1 (非常不满意) to 5 (非常满意), got \(p.score)")
        }
        return try await press(WindowKeyPress(action: .evaluation, score: p.score), window: p.window, kind: .evaluator,
            device: p.device, key: "evaluation \(p.score)")
    }

    private func press(_ press: WindowKeyPress, window: String, kind: DeviceConfig.Kind, device id: String?, key: String) async throws -> JSONValue {
        let candidates = registry.devices.compactMap { $0 as? SimulatedWindowKeys }
            .filter { keys in keys.kind == kind && (id.map { keys.id == $0 } ?? (keys.window == window)) }
        guard let device = candidates.first else {
            if let real = registry.devices.first(where: { ($0 as? any WindowKeys)?.window == window && $0.kind == kind }) {
                throw KioskError(.invalidState, "window \(window)'s \(kind.rawValue) \(real.id) is a real device; only simulated ones take sim presses")
            }
            throw KioskError(.notFound, "window \(window) has no simulated \(kind.rawValue) (a [[devices]] entry with transport = \"simulated\" and window = \"\(window)\")")
        }
        let shown = await device.press(press)
        return ["device": .string(device.id), "window": .string(device.window), "key": .string(key), "display": .string(shown)]
    }
}
