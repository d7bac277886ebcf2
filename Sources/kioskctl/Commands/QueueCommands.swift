import ArgumentParser
import KioskProtocol

/// `kioskctl categories`: queue.categories.
struct CategoriesCommand: KioskCommand {
    static let configuration = CommandConfiguration(
        commandName: "categories",
        abstract: "List the service categories: hours, tickets issued and left today, who is waiting.")

    @OptionGroup(title: "Connection and output") var connection: ConnectionOptions

    func perform(_ link: DaemonLink) throws {
        try link.show(link.call(.queueCategories)) { result in
            let list = result.arrayValue ?? []
            guard !list.isEmpty else { return "No categories are configured." }
            var table = Table("id", "name", "prefix", "hours", "open", ">issued", ">left", ">waiting", ">est. wait", "open windows")
            table.shape("name", .cut(min: 8))
            table.shape("prefix", .optional)
            table.shape("open", state: true)
            table.shape("left", .optional)
            table.shape("open windows", .cut(min: 6))
            for c in list {
                var name = c.text("name") ?? ""
                if c["requiresPrereview"]?.boolValue == true { name += " (pre-review)" }
                let left: String
                if let limit = c.int("dailyLimit") { left = "\(c.int("remaining") ?? 0)/\(limit)" } else { left = "no limit" }
                let windows = c["openWindows"]?.arrayValue?.map(\.plainText) ?? []
                table.add(c.text("id") ?? "", name, c.text("prefix") ?? "", c.text("hours") ?? "",
                    c["open"]?.boolValue == true ? "open" : "closed", c.text("issued") ?? "0", left,
                    c.text("waiting") ?? "0", c.int("waiting") == 0 ? "" : Format.duration(c["estimatedWaitSeconds"]),
                    windows.isEmpty ? "none" : windows.joined(separator: ","))
            }
            return table.render()
        }
    }
}

/// `kioskctl take CATEGORY`: queue.take.
struct TakeCommand: KioskCommand {
    static let configuration = CommandConfiguration(
        commandName: "take",
        abstract: "Issue a ticket (取号) in CATEGORY, as a kiosk would.",
        discussion: """
            The ticket is stored before its number is shown. With --id-number (or --card-token from \
            `kioskctl idcard read`) one person gets one active ticket per category, and older \
            holders get the green channel. With --appointment the category comes from the booking.
            """)

    @OptionGroup(title: "Connection and output") var connection: ConnectionOptions

    @Argument(help: ArgumentHelp("The category id (see `kioskctl categories`); optional with --appointment.", valueName: "category"))
    var category: String?

    @Option(help: ArgumentHelp("The holder's resident ID number.", valueName: "number"))
    var idNumber: String?

    @Option(help: ArgumentHelp(
        "A card token from idcard.read. Tokens belong to the connection that read the card, so from a shell use --read-card.",
        valueName: "token"))
    var cardToken: String?

    @Flag(help: "Read the holder's ID card first (idcard.read on this connection) and issue the ticket to them.")
    var readCard = false

    @Option(help: ArgumentHelp("The card reader for --read-card; the first configured one by default.", valueName: "id"))
    var reader: String?

    @Flag(help: "Ask for the green channel (绿色通道).")
    var green = false

    @Option(help: ArgumentHelp("Check in the appointment with this code (预约取号).", valueName: "code"))
    var appointment: String?

    @Flag(help: "Print the ticket slip on a receipt printer.")
    var print = false

    @Option(help: ArgumentHelp("The receipt printer to use (implies --print); the first configured one by default.", valueName: "id"))
    var printer: String?

    @Option(help: ArgumentHelp("Issue from this counter window (pre-review desks).", valueName: "window"))
    var window: String?

    var answerTimeout: Double? { readCard ? 75 : 30 }

    func validate() throws {
        if category == nil && appointment == nil {
            throw ValidationError("Name a CATEGORY (see `kioskctl categories`), or give --appointment CODE.")
        }
        if let category { try Check.notEmpty(category, "CATEGORY") }
        let holders = [idNumber.map { _ in "--id-number" }, cardToken.map { _ in "--card-token" }, readCard ? "--read-card" : nil]
            .compactMap { $0 }
        if holders.count > 1 {
            throw ValidationError("Give only one of \(holders.joined(separator: ", ")): each names the holder.")
        }
        if reader != nil && !readCard { throw ValidationError("--reader goes with --read-card.") }
        if let idNumber { try Check.idNumber(idNumber) }
        if let appointment { try Check.notEmpty(appointment, "--appointment") }
        if green && appointment != nil {
            throw ValidationError("An appointment already has its own priority; drop --green or --appointment.")
        }
    }

    func perform(_ link: DaemonLink) throws {
        var cardToken = self.cardToken
        if readCard {
            let card = try link.call(.idcardRead, IDCardReadParams(device: reader))
            guard let token = card.text("cardToken") ?? card.text("token") else {
                throw CommandFailure(message: "the card was read but kioskd gave no card token for it")
            }
            if !link.json { Output.note("read the card of \(card.text("name") ?? "the holder")") }
            cardToken = token
        }
        let params = TakeParams(category: category, idNumber: idNumber, cardToken: cardToken, priority: green ? "green" : nil,
            appointmentCode: appointment, print: (print || printer != nil) ? true : nil, printer: printer, window: window)
        let t = try link.call(.queueTake, params)
        link.show(t) { t in
            var text = "Ticket \(TicketText.title(t)), id \(t.text("id") ?? "?")"
            if let p = t.text("priority"), p != "normal" { text += ", \(TicketText.priority(p))" }
            let wait = TicketText.wait(t)
            if !wait.isEmpty { text += ": \(wait)" }
            if let h = t.text("holder") { text += "\n  holder \(h)" }
            if t["printed"]?.boolValue == true { text += "\n  slip printed" }
            return text
        }
        if t["printed"]?.boolValue == false {
            Output.error("the ticket is issued but its slip did not print: \(t.text("printError") ?? "unknown error")")
        }
    }
}

/// `kioskctl ticket`: queue.ticket.
struct TicketCommand: KioskCommand {
    static let configuration = CommandConfiguration(
        commandName: "ticket",
        abstract: "Show one ticket: its state, place in line, window and history.",
        discussion: "Name it by id (kioskctl ticket 17) or number (kioskctl ticket A001, or --number A001 --date 2026-11-20).")

    @OptionGroup(title: "Connection and output") var connection: ConnectionOptions

    @Argument(help: .ticket)
    var ticket: TicketRef?

    @Option(help: ArgumentHelp("The ticket number, e.g. A001.", valueName: "number"))
    var number: String?

    @Option(help: ArgumentHelp("The hall-day of --number (YYYY-MM-DD); today by default.", valueName: "date"))
    var date: String?

    func validate() throws {
        switch (ticket, number) {
        case (nil, nil): throw ValidationError("Name the ticket: its id (kioskctl ticket 17) or --number A001.")
        case (_?, _?): throw ValidationError("Name the ticket once: either an id or --number, not both.")
        default: break
        }
        if let number, !TicketRef.isTicketNumber(number) {
            throw ValidationError("--number must be a ticket number like A001, not \"\(number)\".")
        }
        if let date {
            try Check.date(date, option: "--date")
            if case .id? = ticket?.kind { throw ValidationError("--date goes with a ticket number; an id is unique on its own.") }
        }
    }

    func perform(_ link: DaemonLink) throws {
        let params: TicketLookupParams
        switch ticket?.kind {
        case .id(let id)?: params = TicketLookupParams(id: id)
        case .number(let n)?: params = TicketLookupParams(number: n, date: date)
        case nil: params = TicketLookupParams(number: number?.uppercased(), date: date)
        }
        try link.show(link.call(.queueTicket, params)) { TicketText.detail($0) }
    }
}

/// `kioskctl waiting`: queue.waiting.
struct WaitingCommand: KioskCommand {
    static let configuration = CommandConfiguration(
        commandName: "waiting",
        abstract: "List today's waiting tickets, in call order within each queue.",
        discussion: """
            # is the place in line: 1 is called next, in each queue. Without options every waiting ticket \
            is listed; one transferred to a window shows it under FOR WINDOW. With --window, the \
            tickets that window would call: its categories and those transferred to it.
            """)

    @OptionGroup(title: "Connection and output") var connection: ConnectionOptions

    @Option(help: ArgumentHelp("Only this category.", valueName: "category"))
    var category: String?

    @Option(help: ArgumentHelp("Only the tickets this window serves.", valueName: "window"))
    var window: String?

    func perform(_ link: DaemonLink) throws {
        try link.show(link.call(.queueWaiting, WaitingParams(category: category, window: window))) { r in
            let list = r.arrayValue ?? []
            guard !list.isEmpty else { return "nobody is waiting" }
            return TicketText.table(list) + "\n\(list.count) waiting"
        }
    }
}

/// `kioskctl requeue TICKET`: queue.requeue.
struct RequeueCommand: KioskCommand {
    static let configuration = CommandConfiguration(
        commandName: "requeue",
        abstract: "Put a no-show ticket (过号) back at the end of its queue, keeping its number.")

    @OptionGroup(title: "Connection and output") var connection: ConnectionOptions

    @Argument(help: .ticket)
    var ticket: TicketRef

    func perform(_ link: DaemonLink) throws {
        let id = try ticket.resolve(link)
        try link.show(link.call(.queueRequeue, TicketParams(ticket: id))) { t in
            let wait = TicketText.wait(t)
            return "\(TicketText.title(t)) is back in the queue" + (wait.isEmpty ? "." : ": \(wait).")
        }
    }
}

/// `kioskctl cancel TICKET`: queue.cancel.
struct CancelCommand: KioskCommand {
    static let configuration = CommandConfiguration(
        commandName: "cancel",
        abstract: "Withdraw a waiting or called ticket.")

    @OptionGroup(title: "Connection and output") var connection: ConnectionOptions

    @Argument(help: .ticket)
    var ticket: TicketRef

    @Option(help: ArgumentHelp("Why, for the record (up to 200 characters).", valueName: "text"))
    var reason: String?

    func validate() throws {
        try Check.length(reason, max: 200, "--reason")
    }

    func perform(_ link: DaemonLink) throws {
        let id = try ticket.resolve(link)
        try link.show(link.call(.queueCancel, TicketParams(ticket: id, reason: reason))) { t in
            "Cancelled \(TicketText.title(t))" + (t.text("cancelReason").map { ": \($0)." } ?? ".")
        }
    }
}

/// `kioskctl print-ticket TICKET`: queue.printTicket.
struct PrintTicketCommand: KioskCommand {
    static let configuration = CommandConfiguration(
        commandName: "print-ticket",
        abstract: "Print a waiting ticket's slip again (when the first one jammed).",
        discussion: "Exits with status 2 when the slip did not print, with the printer's reason.")

    @OptionGroup(title: "Connection and output") var connection: ConnectionOptions

    @Argument(help: .ticket)
    var ticket: TicketRef

    @Option(help: ArgumentHelp("The receipt printer; the first configured one by default.", valueName: "id"))
    var printer: String?

    func perform(_ link: DaemonLink) throws {
        let id = try ticket.resolve(link)
        let t = try link.call(.queuePrintTicket, PrintTicketParams(ticket: id, printer: printer))
        link.show(t) { t in
            t["printed"]?.boolValue == false ? "\(TicketText.title(t)): not printed." : "Printed the slip of \(TicketText.title(t))."
        }
        if t["printed"]?.boolValue == false {
            throw CommandFailure(message: "the slip did not print: \(t.text("printError") ?? "unknown error") (print_failed)")
        }
    }
}

/// `kioskctl appointment book`: appointment.book.
struct AppointmentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "appointment",
        abstract: "Appointments (预约): book one so its holder can check in with `take --appointment`.",
        subcommands: [Book.self])

    struct Book: KioskCommand {
        static let configuration = CommandConfiguration(
            commandName: "book",
            abstract: "Store an appointment booking (the same booking twice is accepted once).",
            discussion: """
                Example:
                  kioskctl appointment book --category A --code YY20261121001 \\
                    --slot-start 2026-11-21T09:00:00+08:00 --slot-end 2026-11-21T09:30:00+08:00
                """)

        @OptionGroup(title: "Connection and output") var connection: ConnectionOptions

        @Option(help: ArgumentHelp("The category booked.", valueName: "category"))
        var category: String

        @Option(help: ArgumentHelp("The booking code the holder will present (1 to 64 characters).", valueName: "code"))
        var code: String

        @Option(help: ArgumentHelp("Start of the slot, ISO 8601 with offset (2026-11-21T09:00:00+08:00).", valueName: "time"))
        var slotStart: String

        @Option(help: ArgumentHelp("End of the slot, ISO 8601 with offset.", valueName: "time"))
        var slotEnd: String

        @Option(help: ArgumentHelp("The holder's resident ID number, checked at check-in.", valueName: "number"))
        var idNumber: String?

        func validate() throws {
            try Check.notEmpty(category, "--category")
            try Check.notEmpty(code, "--code")
            try Check.length(code, max: 64, "--code")
            guard let start = Format.parseISO(slotStart) else {
                throw ValidationError("--slot-start must be an ISO 8601 time with offset, like 2026-11-21T09:00:00+08:00.")
            }
            guard let end = Format.parseISO(slotEnd) else {
                throw ValidationError("--slot-end must be an ISO 8601 time with offset, like 2026-11-21T09:30:00+08:00.")
            }
            guard start < end else { throw ValidationError("--slot-start must come before --slot-end.") }
            if let idNumber { try Check.idNumber(idNumber) }
        }

        func perform(_ link: DaemonLink) throws {
            let params = AppointmentBookParams(category: category, code: code, slotStart: slotStart, slotEnd: slotEnd,
                idNumber: idNumber)
            try link.show(link.call(.appointmentBook, params)) { a in
                var f = Fields()
                f.add("category", a.text("category"))
                let start = a.text("slotStart"), end = a.text("slotEnd")
                f.add("slot", "\(Format.dateTime(start)) – \(Format.dateTime(end, sameDayAs: start.map { String($0.prefix(10)) }))")
                f.add("holder", a.text("holder"))
                f.add("ticket", a.text("ticket").map { "id \($0) (already checked in)" })
                return "Appointment \(a.text("code") ?? code) booked\n" + f.render()
            }
        }
    }
}
