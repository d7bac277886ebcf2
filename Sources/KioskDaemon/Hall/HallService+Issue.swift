import Foundation
import KioskCore
import KioskProtocol
import KioskStore

/// 取号: issuing tickets, appointment check-in and reprints.
extension HallService {
    /// The person a ticket is for, resolved before the transaction.
    struct Holder: Sendable {
        var key: String
        var masked: String
        var age: Int?
    }

    public func take(_ p: TakeParams, caller: Caller, cardHolder: (key: String, masked: String, age: Int?)? = nil) async throws -> TicketView {
        let config = self.config, now = clock.now()
        let day = config.calendar.day(for: now), minute = config.calendar.minuteOfDay(now)

        let requested: Ticket.Priority?
        switch p.priority {
        case nil, "normal": requested = nil
        case "green": requested = .green
        case let other?: throw KioskError.invalidParams("priority must be \"green\" or \"normal\", got \"\(other)\"")
        }
        var resolved: Holder?
        if let idNumber = p.idNumber {
            let id = try IDNumber(validating: idNumber)
            resolved = Holder(key: persons.key(for: id), masked: id.masked, age: id.age(on: day))
        } else if let cardHolder {
            resolved = Holder(key: cardHolder.key, masked: cardHolder.masked, age: cardHolder.age)
        }
        let issuer: IssueRules.Issuer
        if let w = p.window, caller.role == .counter || caller.role == .admin {
            issuer = .counter(try window(w, in: config))
        } else {
            issuer = .kiosk
        }
        if p.appointmentCode == nil { _ = try category(p.category, in: config) }
        if p.print == true { try await printerOrThrow().checkReady(printer: p.printer) }

        let presented = resolved
        let view = try await store.write { w in
            var holder = presented
            var categoryId = p.category
            var appointment: Appointment?
            if let code = p.appointmentCode {
                guard let a = try w.appointment(code: code) else { throw KioskError(.notFound, "no appointment \(code)") }
                if let c = p.category, c != a.category {
                    throw KioskError.invalidParams("appointment \(code) is for category \(a.category), not \(c)")
                }
                try a.checkIn(at: now, personKey: holder?.key, timeZone: config.daemon.timeZone)
                categoryId = a.category
                if holder == nil, let key = a.personKey, let masked = a.personMasked { holder = Holder(key: key, masked: masked, age: nil) }
                appointment = a
            }
            let category = try self.category(categoryId, in: config)
            try IssueRules.checkOpen(category, minuteOfDay: minute)
            try IssueRules.checkPrereview(category, issuer: issuer)
            // The numbers first, checked against the limit after: fewer statements than reading
            // the count before taking it, and a refusal rolls the numbers back with the rest.
            let (sequence, orderKey) = try w.nextTicketNumbers(day: day, category: category.id)
            try IssueRules.checkDailyLimit(category, issuedToday: sequence - 1)
            if let holder {
                try IssueRules.checkNoActiveTicket(w.activeTicket(personKey: holder.key, category: category.id, day: day))
            }
            let priority = IssueRules.priority(
                requested: requested, appointment: appointment != nil, age: holder?.age, settings: config.queue)
            let ticket = try w.insert(Ticket(
                day: day, category: category.id, sequence: sequence,
                number: TicketNumber.format(prefix: category.prefix, sequence: sequence), priority: priority,
                issuedAt: now, orderKey: orderKey, personKey: holder?.key, personMasked: holder?.masked,
                appointmentCode: appointment?.code))
            if var a = appointment {
                a.ticketId = ticket.id
                try w.save(a)
            }
            let view = try QueueLens(config: config, reader: w, day: day).view(ticket)
            try Self.emit(w, EventTopic.ticketIssued, TicketEvent(ticket: view), at: now)
            return view
        }
        guard p.print == true else { return view }
        return await printSlip(view, printer: p.printer)
    }

    /// `queue.printTicket`: prints (again) the slip of a waiting ticket.
    public func reprint(ticket id: Int64, printer: String?) async throws -> TicketView {
        try await printerOrThrow().checkReady(printer: printer)
        let view = try await ticket(id: id, number: nil, date: nil)
        guard view.state == Ticket.State.waiting.rawValue else {
            throw KioskError(.invalidState, "only a waiting ticket's slip is printed; \(view.number) is \(view.state)",
                details: ["state": view.state])
        }
        return await printSlip(view, printer: printer)
    }

    /// Prints after commit: a failure leaves the ticket issued, reported as `printed: false`.
    private func printSlip(_ view: TicketView, printer: String?) async -> TicketView {
        var view = view
        do {
            try await printerOrThrow().printSlip(for: view, config: config, printer: printer)
            view.printed = true
        } catch {
            view.printed = false
            view.printError = (error as? KioskError)?.message ?? String(describing: error)
            logger.warning("ticket \(view.number) issued but not printed: \(view.printError!)")
        }
        return view
    }

    private func printerOrThrow() throws -> TicketPrinting {
        guard let printing else { throw KioskError(.deviceUnavailable, "this kioskd has no receipt printer") }
        return printing
    }

    /// `appointment.book`: stores a booking; the same booking twice is accepted once.
    public func book(_ p: AppointmentBookParams) async throws -> AppointmentView {
        let config = self.config, now = clock.now()
        _ = try category(p.category, in: config)
        guard let start = ISO8601.date(p.slotStart), let end = ISO8601.date(p.slotEnd) else {
            throw KioskError.invalidParams("slotStart and slotEnd must be ISO 8601 timestamps with offset")
        }
        guard start < end else { throw KioskError.invalidParams("slotStart must be before slotEnd") }
        let id = try p.idNumber.map { try IDNumber(validating: $0) }
        let booking = Appointment(code: p.code, category: p.category, slotStart: start, slotEnd: end,
            personKey: id.map(persons.key(for:)), personMasked: id?.masked, createdAt: now)
        let saved = try await store.write { w in
            if let existing = try w.appointment(code: p.code) {
                guard existing.sameBooking(as: booking) else {
                    throw KioskError(.conflict, "appointment code \(p.code) is already booked with other details")
                }
                return existing
            }
            try w.save(booking)
            return booking
        }
        return AppointmentView(saved, timeZone: config.daemon.timeZone)
    }
}

/// Event payload of every `ticket.*` event.
struct TicketEvent: Encodable {
    var ticket: TicketView
    var window: String?
    var windowName: String?
    var from: TransferEnd?
    var to: TransferEnd?
}

struct TransferEnd: Encodable {
    var window: String?
    var category: String?
}

public struct AppointmentView: Codable, Sendable {
    public var code: String
    public var category: String
    public var slotStart: String
    public var slotEnd: String
    public var holder: String?
    public var ticket: Int64?
    init(_ a: Appointment, timeZone: TimeZone) {
        code = a.code
        category = a.category
        slotStart = ISO8601.string(a.slotStart, timeZone: timeZone)
        slotEnd = ISO8601.string(a.slotEnd, timeZone: timeZone)
        holder = a.personMasked
        ticket = a.ticketId
    }
}
