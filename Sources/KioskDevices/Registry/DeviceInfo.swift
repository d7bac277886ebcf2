import KioskCore

/// One line of `device.list`: what a device is, where, and how it is doing.
public struct DeviceInfo: Sendable, Equatable, Codable {
    public var id: String
    public var kind: String
    public var transport: String
    public var endpoint: String
    public var health: DeviceHealth
    /// Window devices: their window, their RS-485 bus and address (real ones), and for a
    /// display what it shows now (a ticket number at most: nothing personal).
    public var window: String?
    public var bus: String?
    public var address: Int?
    public var showing: String?

    public init(_ device: any Device) {
        id = device.id
        kind = device.kind.rawValue
        transport = device.transport.rawValue
        endpoint = device.endpoint
        health = device.health
        switch device {
        case let display as LEDWindowDisplay:
            (bus, address) = (display.bus.endpoint, Int(display.address))
        case let keys as BusWindowKeys:
            (bus, address) = (keys.bus.endpoint, Int(keys.address))
        default:
            break
        }
        if let display = device as? any WindowDisplay {
            window = display.window
            showing = display.showing?.description
        }
        if let keys = device as? any WindowKeys { window = keys.window }
    }
}
