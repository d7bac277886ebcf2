import Foundation
import KioskCore

/// Builds the driver of a window-device entry: on its bus with its profile, or simulated. An entry
/// whose profile is missing or of the wrong family, or whose address the family cannot carry, is
/// registered in `fault` with the reason, so the technician sees exactly what to fix.
enum WindowDeviceFactory {
    static func make(_ config: DeviceConfig, profiles: [String: WindowDeviceProfile], buses: [String: RS485Bus],
        clock: any HallClock) -> any Device {
        let window = config.window ?? ""
        let family: WindowDeviceProfile.Family = config.kind == .windowDisplay ? .ledA5 : .keypad68
        let name = config.profile ?? family.rawValue
        // A path (`profile = "profiles/vendor.toml"`, resolved against the config) names its own file.
        let fromFile = name.hasSuffix(".toml")
            ? (try? String(contentsOfFile: name, encoding: .utf8)).flatMap { try? WindowDeviceProfile.parse($0, file: name) } : nil
        let builtIn = WindowDeviceProfile.Family(rawValue: name).map(WindowDeviceProfile.builtIn)
        guard let profile = fromFile ?? profiles[name] ?? builtIn else {
            return DriverlessDevice(config: config, state: .fault,
                reason: "no window-device profile \"\(name)\" (Devices/profiles/\(name).toml)", clock: clock)
        }
        guard profile.family == family else {
            return DriverlessDevice(config: config, state: .fault,
                reason: "profile \(name) is for \(profile.family.rawValue) devices; a \(config.kind.rawValue) speaks \(family.rawValue)", clock: clock)
        }
        if config.transport == .simulated {
            if config.kind == .windowDisplay {
                return SimulatedWindowDisplay(id: config.id, window: window, profile: profile, clock: clock)
            }
            return SimulatedWindowKeys(id: config.id, kind: config.kind, window: window, profile: profile, clock: clock)
        }
        guard let path = config.path, let bus = buses[path], let address = config.address else {
            return DriverlessDevice(config: config, state: .fault, reason: "a serial window device needs path and address", clock: clock)
        }
        if config.kind == .windowDisplay {
            guard address > 0, address <= 0xFFFF else {
                return DriverlessDevice(config: config, state: .fault, reason: "led-a5 addresses are 1 to 65535 (0 is broadcast)", clock: clock)
            }
            return LEDWindowDisplay(id: config.id, window: window, address: UInt16(address), profile: profile, bus: bus, clock: clock)
        }
        guard address <= 0xFF else {
            return DriverlessDevice(config: config, state: .fault, reason: "keypad-68 addresses are 0 to 255", clock: clock)
        }
        return BusWindowKeys(id: config.id, kind: config.kind, window: window, address: UInt8(address), profile: profile,
            bus: bus, clock: clock)
    }
}
