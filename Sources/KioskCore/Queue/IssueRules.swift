import Foundation

/// The rules for handing out a ticket (取号): opening hours, the daily limit (号源),
/// pre-review (先预审、后排队), one active ticket per person, and the priority it gets.
public enum IssueRules {
    /// Who is asking for the ticket.
    public enum Issuer: Sendable, Equatable {
        /// A self-service terminal, or anyone not at a window.
        case kiosk
        /// Staff at a window (a pre-review desk when that window has `prereview = true`).
        case counter(Window)
    }

    public static func checkOpen(_ category: Category, minuteOfDay: Int) throws {
        guard category.hours.isOpen(atMinute: minuteOfDay) else {
            throw KioskError(
                .closed, "\(category.name) (\(category.id)) takes tickets \(category.hours) only",
                details: ["hours": category.hours.description])
        }
    }

    public static func checkDailyLimit(_ category: Category, issuedToday: Int) throws {
        if let limit = category.dailyLimit, issuedToday >= limit {
            throw KioskError(
                .dailyLimit, "today's \(limit) tickets for \(category.name) (\(category.id)) are all taken",
                details: ["dailyLimit": String(limit)])
        }
    }

    public static func checkPrereview(_ category: Category, issuer: Issuer) throws {
        guard category.requiresPrereview else { return }
        if case .counter(let window) = issuer, window.prereview { return }
        throw KioskError(
            .prereviewRequired,
            "\(category.name) (\(category.id)) needs pre-review first: its tickets are issued at a pre-review window")
    }

    public static func checkNoActiveTicket(_ existing: Ticket?) throws {
        if let existing {
            throw KioskError(
                .duplicateTicket, "this person already holds \(existing.number), which is \(existing.state.rawValue)",
                details: ["number": existing.number, "ticket": String(existing.id)])
        }
    }

    /// Green when asked for, or when the holder's age reaches `green_channel_age`; appointment
    /// when checked in with a code; normal otherwise.
    public static func priority(
        requested: Ticket.Priority?, appointment: Bool, age: Int?, settings: QueueSettings
    ) -> Ticket.Priority {
        if appointment { return .appointment }
        if requested == .green { return .green }
        if let age, age >= settings.greenChannelAge { return .green }
        return .normal
    }
}
