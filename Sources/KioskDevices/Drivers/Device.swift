import KioskCore

/// What every attached device has, whatever it does and however it is connected.
///
/// Transport-agnostic on purpose: a simulated printer, one on `/dev/usb/lp0` and one on
/// `tcp://10.0.0.5:9100` look the same to the daemon. Drivers are reference types holding their
/// state behind a lock (see `DeviceStateBox`), so `health` is a cheap synchronous read.
public protocol Device: AnyObject, Sendable {
    /// The `[[devices]] id` from the configuration ("printer0").
    var id: String { get }
    var kind: DeviceConfig.Kind { get }
    var transport: DeviceConfig.Transport { get }
    /// Where the device is, for people: "/dev/ttyUSB0", "usb:0400:c35a", "tcp://10.0.0.5:9100",
    /// "simulated".
    var endpoint: String { get }
    /// The current health; cheap, never blocks on I/O.
    var health: DeviceHealth { get }
    /// Registers the one observer of health changes (the registry). Called after each change
    /// of state or reason, in order, outside the driver's lock.
    func observeHealth(_ observer: @escaping @Sendable (DeviceHealth) -> Void)
}

extension DeviceConfig {
    /// Where the configured device is, as `Device.endpoint` shows it.
    public var endpoint: String {
        switch transport {
        case .simulated: return "simulated"
        case .usb: return match ?? path ?? "usb"
        case .tcp:
            guard let host else { return path ?? "tcp" }
            return "tcp://\(host)" + (port.map { ":\($0)" } ?? "")
        case .cups: return queue.map { "cups:\($0)" } ?? "cups"
        case .serial, .file: return path ?? transport.rawValue
        }
    }
}
