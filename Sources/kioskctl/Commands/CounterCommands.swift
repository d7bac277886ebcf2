import ArgumentParser
import KioskProtocol

/// Readable results of the window steps.
private enum StepText {
    static func at(_ t: JSONValue, fallback window: String) -> String {
        TicketText.window(t) ?? "window \(window)"
    }
}

/// `kioskctl call WINDOW`: queue.call.
struct CallCommand: KioskCommand {
    static let configuration = CommandConfiguration(
        commandName: "call",
        abstract: "Call the next ticket (叫号) to WINDOW, or a given waiting ticket out of order.",
        discussion: """
            The window must be open (kioskctl window open W --staff NAME) and free. Prints \
            "nobody is waiting" (exit 0) when the window's queues are empty.
            """)

    @OptionGroup(title: "Connection and output") var connection: ConnectionOptions

    @Argument(help: .window)
    var window: String

    @Option(help: ArgumentHelp("Call this waiting ticket instead of the next one: id or number.", valueName: "ticket"))
    var ticket: TicketRef?

    func validate() throws { try Check.notEmpty(window, "WINDOW") }

    func perform(_ link: DaemonLink) throws {
        let id = try ticket?.resolve(link)
        try link.show(link.call(.queueCall, WindowTicketParams(window: window, ticket: id))) { t in
            guard !t.isNull else { return "nobody is waiting" }
            return "\(t.text("number") ?? "?") → \(StepText.at(t, fallback: window))   \(t.text("categoryName") ?? t.text("category") ?? ""), id \(t.text("id") ?? "?")"
        }
    }
}

/// The steps on the ticket a window holds: recall, start, finish, no-show.
protocol WindowStepCommand: KioskCommand {
    var window: String { get }
    var ticket: TicketRef? { get }
    static var method: Method { get }
    static func describe(_ t: JSONValue, window: String) -> String
}

extension WindowStepCommand {
    func validate() throws { try Check.notEmpty(window, "WINDOW") }

    func perform(_ link: DaemonLink) throws {
        let id = try ticket?.resolve(link)
        try link.show(link.call(Self.method, WindowTicketParams(window: window, ticket: id))) { Self.describe($0, window: window) }
    }
}

private let stepTicketHelp = ArgumentHelp(
    "The window's ticket, to be sure the step applies to the right one: id or number.", valueName: "ticket")

struct RecallCommand: WindowStepCommand {
    static let configuration = CommandConfiguration(
        commandName: "recall",
        abstract: "Call WINDOW's current ticket again (重呼) on the screens and speakers.")
    static let method = Method.queueRecall

    @OptionGroup(title: "Connection and output") var connection: ConnectionOptions
    @Argument(help: .window) var window: String
    @Option(help: stepTicketHelp) var ticket: TicketRef?

    static func describe(_ t: JSONValue, window: String) -> String {
        let n = t.int("recalls") ?? 0
        return "\(t.text("number") ?? "?") recalled to \(StepText.at(t, fallback: window)) (\(Format.ordinal(n)) recall)."
    }
}

struct StartCommand: WindowStepCommand {
    static let configuration = CommandConfiguration(
        commandName: "start",
        abstract: "Mark that WINDOW's called ticket has arrived and service has begun.")
    static let method = Method.queueStart

    @OptionGroup(title: "Connection and output") var connection: ConnectionOptions
    @Argument(help: .window) var window: String
    @Option(help: stepTicketHelp) var ticket: TicketRef?

    static func describe(_ t: JSONValue, window: String) -> String {
        var text = "Serving \(TicketText.title(t)) at \(StepText.at(t, fallback: window))"
        if let waited = Format.secondsBetween(t.text("issuedAt"), t.text("calledAt")) {
            text += " (waited \(Format.duration(waited)))"
        }
        return text + "."
    }
}

struct FinishCommand: WindowStepCommand {
    static let configuration = CommandConfiguration(
        commandName: "finish",
        abstract: "Finish WINDOW's ticket in service (办结); the window is free to call again.")
    static let method = Method.queueFinish

    @OptionGroup(title: "Connection and output") var connection: ConnectionOptions
    @Argument(help: .window) var window: String
    @Option(help: stepTicketHelp) var ticket: TicketRef?

    static func describe(_ t: JSONValue, window: String) -> String {
        var text = "Finished \(TicketText.title(t)) at \(StepText.at(t, fallback: window))"
        if let s = Format.secondsBetween(t.text("startedAt"), t.text("finishedAt")) { text += " after \(Format.duration(s))" }
        return text + "."
    }
}

struct NoShowCommand: WindowStepCommand {
    static let configuration = CommandConfiguration(
        commandName: "no-show",
        abstract: "Mark WINDOW's called ticket as not having come (过号); the window is free again.",
        discussion: "`kioskctl requeue TICKET` puts it back in line if the holder turns up.")
    static let method = Method.queueNoShow

    @OptionGroup(title: "Connection and output") var connection: ConnectionOptions
    @Argument(help: .window) var window: String
    @Option(help: stepTicketHelp) var ticket: TicketRef?

    static func describe(_ t: JSONValue, window: String) -> String {
        "\(TicketText.title(t)) marked no-show at \(StepText.at(t, fallback: window)); "
            + "`kioskctl requeue \(t.text("number") ?? t.text("id") ?? "TICKET")` puts it back in line."
    }
}

/// `kioskctl transfer WINDOW`: queue.transfer.
struct TransferCommand: KioskCommand {
    static let configuration = CommandConfiguration(
        commandName: "transfer",
        abstract: "Move WINDOW's ticket to another category's queue or to one window (转办), keeping its number.",
        discussion: "It joins the back of that queue, or the front with --front.")

    @OptionGroup(title: "Connection and output") var connection: ConnectionOptions

    @Argument(help: .window)
    var window: String

    @Option(help: ArgumentHelp("Send it to this category's queue.", valueName: "category"))
    var toCategory: String?

    @Option(help: ArgumentHelp("Send it to this window only.", valueName: "window"))
    var toWindow: String?

    @Flag(help: "Put it at the front of that queue instead of the back.")
    var front = false

    @Option(help: stepTicketHelp)
    var ticket: TicketRef?

    func validate() throws {
        try Check.notEmpty(window, "WINDOW")
        switch (toCategory, toWindow) {
        case (nil, nil): throw ValidationError("Say where the ticket goes: --to-category C or --to-window W.")
        case (_?, _?): throw ValidationError("Give either --to-category or --to-window, not both.")
        default: break
        }
        if toWindow == window { throw ValidationError("The ticket is already at window \(window); name another window.") }
    }

    func perform(_ link: DaemonLink) throws {
        let id = try ticket?.resolve(link)
        let params = TransferParams(window: window, ticket: id, toCategory: toCategory, toWindow: toWindow,
            position: front ? "front" : nil)
        try link.show(link.call(.queueTransfer, params)) { t in
            let target = toWindow.map { "window \($0)" } ?? "category \(toCategory ?? t.text("category") ?? "?")"
            let wait = TicketText.wait(t)
            let warnings = (t["warnings"]?.arrayValue ?? []).map { "\n  note: \($0.plainText)" }.joined()
            return "\(TicketText.title(t)) transferred from window \(window) to \(target)" + (front ? " (front)" : "")
                + (wait.isEmpty ? "." : ": \(wait).") + warnings
        }
    }
}

/// `kioskctl evaluate TICKET SCORE`: evaluation.submit.
struct EvaluateCommand: KioskCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Record the holder's rating (好差评) of a finished case: 1 非常不满意 … 5 非常满意.",
        discussion: "One rating per case. Scores 1 and 2 are bad reviews, listed by `kioskctl stats` for a call-back.")

    @OptionGroup(title: "Connection and output") var connection: ConnectionOptions

    @Argument(help: .ticket)
    var ticket: TicketRef

    @Argument(help: ArgumentHelp("1 (very dissatisfied) to 5 (very satisfied).", valueName: "score"))
    var score: Int

    @Option(help: ArgumentHelp("The case number (办件编号), up to 64 characters.", valueName: "number"))
    var caseNumber: String?

    @Option(help: ArgumentHelp("What the holder said, up to 500 characters.", valueName: "text"))
    var comment: String?

    func validate() throws {
        guard (1...5).contains(score) else {
            throw ValidationError("SCORE must be 1 (非常不满意) to 5 (非常满意), not \(score).")
        }
        try Check.length(caseNumber, max: 64, "--case-number")
        try Check.length(comment, max: 500, "--comment")
    }

    func perform(_ link: DaemonLink) throws {
        let id = try ticket.resolve(link)
        let params = EvaluationParams(ticket: id, score: score, caseNumber: caseNumber, comment: comment)
        try link.show(link.call(.evaluationSubmit, params)) { e in
            var text = "Recorded \(e.text("score") ?? "\(score)")"
            if let label = e.text("label") { text += " (\(label))" }
            text += " for \(e.text("number") ?? ticket.description)"
            if let w = e.text("window") { text += " at window \(w)" }
            if let s = e.text("staff") { text += " (\(s))" }
            text += "."
            if e["bad"]?.boolValue == true { text += "\nThis is a bad review: call the holder back within one working day." }
            return text
        }
    }
}

/// `kioskctl windows`: window.list.
struct WindowsCommand: KioskCommand {
    static let configuration = CommandConfiguration(
        commandName: "windows",
        abstract: "List the counter windows: open or not, who staffs them, their ticket and queue.")

    @OptionGroup(title: "Connection and output") var connection: ConnectionOptions

    func perform(_ link: DaemonLink) throws {
        try link.show(link.call(.windowList)) { r in
            let list = r.arrayValue ?? []
            guard !list.isEmpty else { return "No windows are configured." }
            var table = Table("id", "name", "serves", "status", "staff", "since", "current", ">waiting")
            table.shape("name", .cut(min: 6))
            table.shape("serves", .optional)
            table.shape("status", state: true)
            table.shape("staff", .cut(min: 6))
            for w in list {
                var name = w.text("name") ?? ""
                if w["prereview"]?.boolValue == true { name += " (pre-review)" }
                let current = w["current"].flatMap { $0.isNull ? nil : $0 }
                    .map { "\($0.text("number") ?? "?") \(TicketText.state($0))" } ?? ""
                table.add(w.text("id") ?? "", name, (w["serves"]?.arrayValue ?? []).map(\.plainText).joined(separator: ","),
                    w.text("status") ?? "", w.text("staff") ?? "", Format.dateTime(w.text("since")), current,
                    w.text("waiting") ?? "0")
            }
            return table.render()
        }
    }
}

/// `kioskctl window open|pause|close W`.
struct WindowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "window",
        abstract: "Open, pause or close a counter window.",
        subcommands: [Open.self, Pause.self, Close.self])

    static func describe(_ w: JSONValue) -> String {
        var text = "Window \(w.text("id") ?? "?")"
        if let name = w.text("name") { text += " (\(name))" }
        text += " is \(w.text("status") ?? "?")"
        if let staff = w.text("staff") { text += " — \(staff)" }
        if let waiting = w.int("waiting") { text += "; \(waiting) waiting for it" }
        return text + "."
    }

    struct Open: KioskCommand {
        static let configuration = CommandConfiguration(
            commandName: "open",
            abstract: "Open window W for a member of staff so it can call tickets.",
            discussion: "Opening an already open window for the same person does nothing.")

        @OptionGroup(title: "Connection and output") var connection: ConnectionOptions
        @Argument(help: .window) var window: String

        @Option(help: ArgumentHelp("Who staffs the window (shown on screens, kept in statistics).", valueName: "name"))
        var staff: String

        func validate() throws {
            try Check.notEmpty(window, "WINDOW")
            try Check.notEmpty(staff, "--staff")
            try Check.length(staff, max: 64, "--staff")
        }

        func perform(_ link: DaemonLink) throws {
            try link.show(link.call(.windowOpen, WindowParams(window: window, staff: staff)), WindowCommand.describe)
        }
    }

    struct Pause: KioskCommand {
        static let configuration = CommandConfiguration(
            commandName: "pause",
            abstract: "Pause open window W (暂停服务): it keeps its staff but calls nobody.")

        @OptionGroup(title: "Connection and output") var connection: ConnectionOptions
        @Argument(help: .window) var window: String

        func validate() throws { try Check.notEmpty(window, "WINDOW") }

        func perform(_ link: DaemonLink) throws {
            try link.show(link.call(.windowPause, WindowParams(window: window)), WindowCommand.describe)
        }
    }

    struct Close: KioskCommand {
        static let configuration = CommandConfiguration(
            commandName: "close",
            abstract: "Close window W; its ticket must be finished, transferred or marked no-show first.")

        @OptionGroup(title: "Connection and output") var connection: ConnectionOptions
        @Argument(help: .window) var window: String

        func validate() throws { try Check.notEmpty(window, "WINDOW") }

        func perform(_ link: DaemonLink) throws {
            try link.show(link.call(.windowClose, WindowParams(window: window)), WindowCommand.describe)
        }
    }
}
