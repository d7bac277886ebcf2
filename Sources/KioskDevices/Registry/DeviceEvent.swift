import KioskCore

/// Something that happened to a device, for the daemon to publish as an event.
public enum DeviceEvent: Sendable, Equatable {
    /// The device's health changed state or reason (`device.status`).
    case statusChanged(id: String, health: DeviceHealth)

    /// The event topic the daemon publishes this under (contract).
    public var topic: String {
        switch self {
        case .statusChanged: EventTopic.deviceStatus
        }
    }

    public var deviceID: String {
        switch self {
        case .statusChanged(let id, _): id
        }
    }
}
