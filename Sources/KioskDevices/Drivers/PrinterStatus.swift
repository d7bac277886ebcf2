/// How much paper is left on the roll, as the paper sensors report it (纸将尽 / 缺纸).
public enum PaperLevel: String, Sendable, Equatable, Codable, CaseIterable {
    case ok
    /// The near-end sensor tripped: a few metres left; still prints.
    case nearEnd = "near_end"
    /// No paper: nothing prints until the roll is changed.
    case out
}

/// A receipt printer's answer to "how are you?" (the `DLE EOT` status on a real one).
public struct PrinterStatus: Sendable, Equatable, Codable {
    public var connected: Bool
    /// nil when the printer cannot be asked (disconnected or no driver).
    public var paper: PaperLevel?
    /// nil when unknown.
    public var coverOpen: Bool?
    public var health: DeviceHealth

    public init(connected: Bool, paper: PaperLevel?, coverOpen: Bool?, health: DeviceHealth) {
        self.connected = connected
        self.paper = paper
        self.coverOpen = coverOpen
        self.health = health
    }
}
