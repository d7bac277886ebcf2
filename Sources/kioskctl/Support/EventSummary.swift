import KioskProtocol

/// A few words about an event for `kioskctl watch`: "C002 → window 3".
enum EventSummary {
    static func line(_ e: EventMessage.Params) -> String {
        let topic = DisplayWidth.pad(e.topic, to: 20)
        let seq = DisplayWidth.pad("#\(e.seq)", to: 6)
        return "\(Format.clock(e.at))  \(seq)  \(topic)  \(summary(topic: e.topic, data: e.data))"
    }

    static func summary(topic: String, data d: JSONValue) -> String {
        let t = d["ticket"] ?? .null
        let number = t.text("number") ?? "?"
        let at = d.text("window").map { " at window \($0)" } ?? (t.text("window").map { " at window \($0)" } ?? "")
        switch topic {
        case "ticket.issued":
            var s = "\(TicketText.title(t)) issued"
            if let p = t.text("priority"), p != "normal" { s += ", \(p)" }
            let wait = TicketText.wait(t)
            return wait.isEmpty ? s : "\(s), \(wait)"
        case "ticket.called":
            return "\(number) → window \(d.text("window") ?? t.text("window") ?? "?")" + (t.text("staff").map { " (\($0))" } ?? "")
        case "ticket.recalled":
            return "\(number) recalled\(at)" + (t.int("recalls").map { " (\(Format.ordinal($0)) time)" } ?? "")
        case "ticket.started": return "\(number) in service\(at)"
        case "ticket.finished":
            let took = Format.secondsBetween(t.text("startedAt"), t.text("finishedAt")).map { " after \(Format.duration($0))" } ?? ""
            return "\(number) finished\(at)\(took)"
        case "ticket.no_show": return "\(number) no-show\(at)"
        case "ticket.requeued": return "\(number) back in queue \(t.text("category") ?? "?")"
        case "ticket.transferred":
            func end(_ v: JSONValue?) -> String {
                if let w = v?.text("window") { return "window \(w)" }
                return v?.text("category").map { "category \($0)" } ?? "?"
            }
            let from = d["from"]?.text("window").map { "window \($0)" } ?? end(d["from"])
            return "\(number) \(from) → \(end(d["to"]))"
        case "ticket.cancelled":
            return "\(number) cancelled" + (t.text("cancelReason").map { " (\($0))" } ?? "")
        case "window.opened", "window.paused", "window.closed":
            return "window \(d.text("window") ?? "?") \(d.text("status") ?? topic.dropFirst(7).description)"
                + (d.text("staff").map { " — \($0)" } ?? "")
        case "queue.alert":
            let c = [d.text("category"), d.text("name")].compactMap { $0 }.joined(separator: " ")
            if d.text("state") == "cleared" { return "\(c) back to normal (\(d.text("waiting") ?? "?") waiting)" }
            return "\(c) waits too long: \(d.text("waiting") ?? "?") waiting, oldest \(Format.duration(d["oldestWaitSeconds"])), "
                + "newcomer ≈ \(Format.duration(d["estimatedWaitSeconds"]))"
        case "evaluation.submitted":
            let label = d.text("label").map { " \($0)" } ?? ""
            return "\(d.text("number") ?? "?") rated \(d.text("score") ?? "?")\(label)"
                + (d.text("window").map { " at window \($0)" } ?? "") + (d["bad"]?.boolValue == true ? " — bad review" : "")
        case "day.rolled_over":
            return "new hall-day \(d.text("to") ?? "?")" + (d.int("expired").map { $0 > 0 ? ", \($0) unserved tickets expired" : "" } ?? "")
        case "config.reloaded":
            if d["ok"]?.boolValue == false { return "reload FAILED: \(d.text("error") ?? "?")" }
            return "configuration reloaded"
        default:
            break
        }
        if topic.hasPrefix("device.") {
            let id = d.text("id") ?? d.text("device") ?? "?"
            let state = d.text("health.state") ?? d.text("state")
            let reason = d.text("health.reason") ?? d.text("reason")
            return [id, state, reason.map { "(\($0))" }].compactMap { $0 }.joined(separator: " ")
        }
        if topic == "idcard.presented" {
            return "card on \(d.text("device") ?? "?")" + (d.text("name").map { ": \($0)" } ?? "")
        }
        return DisplayWidth.truncate(Format.compactJSON(d), to: 100)
    }
}
