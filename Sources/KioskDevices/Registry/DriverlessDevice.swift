import KioskCore

/// A configured device kioskd has no driver for yet (a simulated window display), or will not
/// drive (a second entry for a device another entry already has): listed, `absent` or
/// `fault`, with the reason in `lastError`.
///
/// Why register it at all: the technician sees every configured device in `device.list` and
/// learns honestly why one is not working, instead of it silently missing.
public final class DriverlessDevice: Device {
    public let id: String
    public let kind: DeviceConfig.Kind
    public let transport: DeviceConfig.Transport
    public let endpoint: String
    public let health: DeviceHealth

    public init(config: DeviceConfig, state: DeviceHealth.State = .absent, reason: String, clock: any HallClock) {
        id = config.id
        kind = config.kind
        transport = config.transport
        endpoint = config.endpoint
        health = DeviceHealth(state: state, reason: reason, lastError: reason, since: clock.now())
    }

    /// Never called: without a driver nothing changes.
    public func observeHealth(_ observer: @escaping @Sendable (DeviceHealth) -> Void) {}
}
