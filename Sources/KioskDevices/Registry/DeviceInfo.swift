import KioskCore

/// One line of `device.list`: what a device is, where, and how it is doing.
public struct DeviceInfo: Sendable, Equatable, Codable {
    public var id: String
    public var kind: String
    public var transport: String
    public var endpoint: String
    public var health: DeviceHealth

    public init(_ device: any Device) {
        id = device.id
        kind = device.kind.rawValue
        transport = device.transport.rawValue
        endpoint = device.endpoint
        health = device.health
    }
}
