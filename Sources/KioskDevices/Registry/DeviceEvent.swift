import KioskCore

/// Something that happened to a device, for the daemon to publish as an event.
public enum DeviceEvent: Sendable, Equatable {
    /// The device's health changed state or reason (`device.status`).
    case statusChanged(id: String, health: DeviceHealth)
    /// A card was put on reader `id` (`idcard.presented`): its type only, never the person.
    case cardPresented(id: String, cardType: IDCard.CardType)

    /// The event topic the daemon publishes this under (contract).
    public var topic: String {
        switch self {
        case .statusChanged: EventTopic.deviceStatus
        case .cardPresented: EventTopic.idcardPresented
        }
    }

    public var deviceID: String {
        switch self {
        case .statusChanged(let id, _), .cardPresented(let id, _): id
        }
    }
}
