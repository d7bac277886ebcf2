/// An ID card reader's answer to "how are you?" (the SAM status on a real one).
public struct ReaderStatus: Sendable, Equatable, Codable {
    public var connected: Bool
    /// A card lies on the reader (read or not).
    public var cardPresent: Bool
    public var health: DeviceHealth

    public init(connected: Bool, cardPresent: Bool, health: DeviceHealth) {
        self.connected = connected
        self.cardPresent = cardPresent
        self.health = health
    }
}
