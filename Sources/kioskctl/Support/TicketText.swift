import KioskProtocol

/// Readable forms of a ticket (a `TicketView` as JSON).
enum TicketText {
    /// "A001 (企业开办)".
    static func title(_ t: JSONValue) -> String {
        let number = t.text("number") ?? "?"
        if let name = t.text("categoryName") { return "\(number) (\(name))" }
        if let c = t.text("category") { return "\(number) (category \(c))" }
        return number
    }

    /// "3 ahead, about 12m 30s" for a waiting ticket; "" otherwise.
    static func wait(_ t: JSONValue) -> String {
        guard t.text("state") == "waiting", let ahead = t.int("ahead") else { return "" }
        let who = ahead == 0 ? "next in line" : "\(ahead) ahead"
        guard let est = t.int("estimatedWaitSeconds") else { return who }
        return ahead == 0 && est == 0 ? who : "\(who), about \(Format.duration(est))"
    }

    /// "window 3 (王芳)".
    static func window(_ t: JSONValue) -> String? {
        guard let w = t.text("window") else { return nil }
        return t.text("staff").map { "window \(w) (\($0))" } ?? "window \(w)"
    }

    static func state(_ t: JSONValue) -> String {
        switch t.text("state") {
        case "no_show": "no-show"
        case let s?: s
        case nil: "?"
        }
    }

    /// Everything about one ticket, one fact a line.
    static func detail(_ t: JSONValue) -> String {
        let day = t.text("day")
        var f = Fields()
        f.add("id", t.text("id"))
        var state = Self.state(t)
        let wait = wait(t)
        if !wait.isEmpty { state += " — " + wait }
        if t.text("state") == "cancelled", let r = t.text("cancelReason") { state += " (\(r))" }
        f.add("state", state)
        f.add("priority", t.text("priority").map(priority))
        f.add("issued", Format.dateTime(t.text("issuedAt")))
        f.add("window", window(t))
        if let w = t.text("assignedWindow"), t.text("window") != w { f.add("for window", w) }
        f.add("called", t.text("calledAt").map { Format.dateTime($0, sameDayAs: day) })
        f.add("started", t.text("startedAt").map { Format.dateTime($0, sameDayAs: day) })
        f.add("finished", t.text("finishedAt").map { Format.dateTime($0, sameDayAs: day) })
        if let s = Format.secondsBetween(t.text("startedAt"), t.text("finishedAt")) { f.add("service", Format.duration(s)) }
        let moves = [("recall", t.int("recalls") ?? 0), ("requeue", t.int("requeues") ?? 0), ("transfer", t.int("transfers") ?? 0)]
            .filter { $0.1 > 0 }.map { "\($0.1) \($0.0)\($0.1 == 1 ? "" : "s")" }
        f.add("history", moves.joined(separator: ", "))
        f.add("holder", t.text("holder"))
        f.add("appointment", t.text("appointmentCode"))
        if let printed = t["printed"]?.boolValue {
            f.add("slip", printed ? "printed" : "not printed: \(t.text("printError") ?? "unknown error")")
        }
        return title(t) + "\n" + f.render()
    }

    /// "green channel" etc.
    static func priority(_ p: String) -> String {
        switch p {
        case "green": "green channel (绿色通道)"
        case "appointment": "appointment (预约)"
        default: p
        }
    }

    /// A table of tickets (waiting lists).
    static func table(_ tickets: [JSONValue]) -> String {
        var table = Table(">#", "number", ">id", "category", "priority", "issued", ">waited", ">est. wait", "for window", "holder")
        table.shape("id", .optional)
        table.shape("category", .cut(min: 6))
        table.shape("priority", .optional)
        table.shape("for window", .optional)
        table.shape("holder", .cut(min: 8))
        for t in tickets {
            let ahead = t.int("ahead").map { String($0 + 1) } ?? ""
            let priority = t.text("priority") == "normal" ? "" : (t.text("priority") ?? "")
            table.add(ahead, t.text("number") ?? "", t.text("id") ?? "", categoryCell(t), priority,
                Format.clock(t.text("issuedAt")), Format.secondsSince(t.text("issuedAt")).map(Format.duration) ?? "",
                t.int("estimatedWaitSeconds").map(Format.duration) ?? "", t.text("assignedWindow") ?? "",
                t.text("holder") ?? "")
        }
        return table.render()
    }

    static func categoryCell(_ t: JSONValue) -> String {
        let id = t.text("category") ?? ""
        return t.text("categoryName").map { "\(id) \($0)" } ?? id
    }
}
