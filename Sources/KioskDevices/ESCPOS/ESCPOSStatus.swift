/// Reading the one-byte answers to `DLE EOT n`, the real-time status a printer sends back even
/// while it is offline. This is how a real driver learns "paper near end" (纸将尽) or "cover open"
/// before a citizen is left without a ticket.
///
/// Every valid answer has bits 1 and 4 set and bits 0 and 7 clear (mask 0x93 = 0x12), which tells
/// a status byte from stray data on the line.
public enum ESCPOSStatus {
    /// Whether `byte` has the fixed bits of a `DLE EOT` answer.
    public static func isStatusByte(_ byte: UInt8) -> Bool { byte & 0x93 == 0x12 }

    /// `DLE EOT 4` (roll paper sensor): bits 5–6 paper end, bits 2–3 paper near end.
    /// nil when `byte` is not a status byte.
    public static func paperLevel(fromPaperSensor byte: UInt8) -> PaperLevel? {
        guard isStatusByte(byte) else { return nil }
        if byte & 0x60 != 0 { return .out }
        if byte & 0x0C != 0 { return .nearEnd }
        return .ok
    }

    /// What `DLE EOT 2` (offline cause) says.
    public struct OfflineCause: Sendable, Equatable {
        /// Bit 2: the cover is open.
        public var coverOpen: Bool
        /// Bit 3: paper is being fed with the feed button.
        public var feedButton: Bool
        /// Bit 5: printing stopped because the paper ran out.
        public var paperEnd: Bool
        /// Bit 6: an error occurred (see `DLE EOT 3`).
        public var error: Bool

        public init(coverOpen: Bool = false, feedButton: Bool = false, paperEnd: Bool = false, error: Bool = false) {
            self.coverOpen = coverOpen
            self.feedButton = feedButton
            self.paperEnd = paperEnd
            self.error = error
        }
    }

    /// `DLE EOT 2` decoded; nil when `byte` is not a status byte.
    public static func offlineCause(_ byte: UInt8) -> OfflineCause? {
        guard isStatusByte(byte) else { return nil }
        return OfflineCause(
            coverOpen: byte & 0x04 != 0, feedButton: byte & 0x08 != 0,
            paperEnd: byte & 0x20 != 0, error: byte & 0x40 != 0)
    }
}
