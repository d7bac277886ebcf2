/// The two `DLE EOT` answers `ESCPOSStatus` did not decode yet: printer status (n = 1) and error
/// cause (n = 3). Together with the offline cause (n = 2) and the paper sensor (n = 4) they let
/// a driver say *why* a printer is not printing, which is what a technician needs on site.
///
/// Bit meanings from the Epson ESC/POS reference for `DLE EOT n` (fixed bits 1 and 4 set,
/// bits 0 and 7 clear, as for every status byte).
extension ESCPOSStatus {
    /// What `DLE EOT 1` (printer status) says.
    public struct PrinterState: Sendable, Equatable {
        /// Bit 2: drawer kick-out connector pin 3 is high.
        public var drawerPin3High: Bool
        /// Bit 3: the printer is offline (cover open, paper out, error, feeding).
        public var offline: Bool
        /// Bit 5: waiting for online recovery.
        public var waitingForRecovery: Bool
        /// Bit 6: the paper feed button is pressed.
        public var feedButtonPressed: Bool

        public init(
            drawerPin3High: Bool = false, offline: Bool = false, waitingForRecovery: Bool = false,
            feedButtonPressed: Bool = false
        ) {
            self.drawerPin3High = drawerPin3High
            self.offline = offline
            self.waitingForRecovery = waitingForRecovery
            self.feedButtonPressed = feedButtonPressed
        }
    }

    /// `DLE EOT 1` decoded; nil when `byte` is not a status byte.
    public static func printerState(_ byte: UInt8) -> PrinterState? {
        guard isStatusByte(byte) else { return nil }
        return PrinterState(
            drawerPin3High: byte & 0x04 != 0, offline: byte & 0x08 != 0,
            waitingForRecovery: byte & 0x20 != 0, feedButtonPressed: byte & 0x40 != 0)
    }

    /// What `DLE EOT 3` (error cause) says.
    public struct ErrorCause: Sendable, Equatable {
        /// Bit 2: a mechanical error (e.g. the print head moved out of place) — recoverable.
        public var mechanical: Bool
        /// Bit 3: the autocutter jammed or failed.
        public var autocutter: Bool
        /// Bit 5: an unrecoverable error (head or memory failure): needs service.
        public var unrecoverable: Bool
        /// Bit 6: an automatically recoverable error (print head too hot): clears by itself.
        public var autoRecoverable: Bool

        public init(
            mechanical: Bool = false, autocutter: Bool = false, unrecoverable: Bool = false,
            autoRecoverable: Bool = false
        ) {
            self.mechanical = mechanical
            self.autocutter = autocutter
            self.unrecoverable = unrecoverable
            self.autoRecoverable = autoRecoverable
        }

        /// The errors in words, most serious first; empty when none.
        public var descriptions: [String] {
            var out: [String] = []
            if unrecoverable { out.append("unrecoverable printer error") }
            if autocutter { out.append("autocutter error") }
            if mechanical { out.append("mechanical error") }
            if autoRecoverable { out.append("print head overheated") }
            return out
        }
    }

    /// `DLE EOT 3` decoded; nil when `byte` is not a status byte.
    public static func errorCause(_ byte: UInt8) -> ErrorCause? {
        guard isStatusByte(byte) else { return nil }
        return ErrorCause(
            mechanical: byte & 0x04 != 0, autocutter: byte & 0x08 != 0,
            unrecoverable: byte & 0x20 != 0, autoRecoverable: byte & 0x40 != 0)
    }
}
