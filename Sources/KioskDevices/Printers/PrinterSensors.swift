/// What a printer's `DLE EOT` answers said, in one value: the input of the health decision.
public struct PrinterSensors: Sendable, Equatable {
    /// `DLE EOT 1` bit 3.
    public var offline: Bool
    /// `DLE EOT 2` bit 2.
    public var coverOpen: Bool
    /// `DLE EOT 4` (or `DLE EOT 2` bit 5 for paper out).
    public var paper: PaperLevel
    /// `DLE EOT 3`, asked only when `DLE EOT 2` reports an error: the errors in words.
    public var errors: [String]

    public init(offline: Bool = false, coverOpen: Bool = false, paper: PaperLevel = .ok, errors: [String] = []) {
        self.offline = offline
        self.coverOpen = coverOpen
        self.paper = paper
        self.errors = errors
    }
}
