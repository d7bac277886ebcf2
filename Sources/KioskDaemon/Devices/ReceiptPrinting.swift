import Foundation
import KioskCore
import KioskDevices
import KioskProtocol

/// Prints ticket slips on the terminal's receipt printer (the daemon side of `TicketPrinting`).
struct ReceiptPrinting: TicketPrinting {
    let registry: DeviceRegistry

    /// The printer `id`, or the terminal's first receipt printer; device errors as refusals.
    func printer(_ id: String?) throws -> any ReceiptPrinter {
        do {
            if let id { return try registry.receiptPrinter(id) }
            guard let first = registry.receiptPrinter else {
                throw KioskError(.deviceUnavailable, "no receipt printer is configured")
            }
            return first
        } catch let e as DeviceError {
            throw e.kioskError
        }
    }

    func checkReady(printer id: String?) async throws {
        let p = try printer(id)
        // A real printer opens its link on first use (or after a replug): ask it, which
        // (re)connects and refreshes its health, before refusing.
        if !p.health.state.isUsable { _ = await p.status() }
        guard p.health.state.isUsable else {
            throw KioskError(.deviceUnavailable, "printer \(p.id) is \(p.health.state.rawValue): \(p.health.reason)",
                details: ["device": p.id, "state": p.health.state.rawValue])
        }
    }

    func printSlip(for ticket: TicketView, config: HallConfig, printer id: String?) async throws {
        let p = try printer(id)
        let slip = TicketSlip(
            hallName: config.hall.name, categoryName: ticket.categoryName ?? ticket.category, number: ticket.number,
            ahead: ticket.ahead ?? 0, estimatedWaitSeconds: ticket.estimatedWaitSeconds ?? 0,
            issuedAt: ISO8601.date(ticket.issuedAt) ?? Date(), timeZone: config.daemon.timeZone,
            qrPayload: TicketSlip.qrPayload(hallCode: config.hall.code, day: HallDay(ticket.day), number: ticket.number),
            priorityLabel: Ticket.Priority(rawValue: ticket.priority).flatMap(TicketSlip.priorityLabel))
        do {
            try await p.printTicket(slip)
        } catch {
            throw error.kioskError
        }
    }
}
