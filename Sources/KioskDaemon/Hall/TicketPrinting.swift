import KioskCore
import KioskProtocol

/// How the hall service prints a ticket slip, without knowing about device drivers.
public protocol TicketPrinting: Sendable {
    /// Throws `device_unavailable` when the printer cannot print now (so nothing is issued).
    func checkReady(printer: String?) async throws
    /// Prints the slip of an issued ticket. Runs after the ticket is committed.
    func printSlip(for ticket: TicketView, config: HallConfig, printer: String?) async throws
}
