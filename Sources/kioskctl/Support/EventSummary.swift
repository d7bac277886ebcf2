import KioskProtocol

/// A few words about an event for `kioskctl watch`: "C002 → window 3". Every topic kioskd emits
/// has its own words; a topic this kioskctl does not know yet still reads as "key value" pairs.
enum EventSummary {
    /// "09:12:03 +08:00  #17     ticket.called         C002 → window 3", cut to the terminal's width.
    static func line(_ e: EventMessage.Params, on terminal: Terminal = Terminal.current) -> String {
        let topic = DisplayWidth.pad(e.topic, to: 20)
        let seq = DisplayWidth.pad("#\(e.seq)", to: 6)
        let text = "\(Format.clock(e.at))  \(seq)  \(topic)  \(summary(topic: e.topic, data: e.data))"
        return terminal.width.map { DisplayWidth.truncate(text, to: $0) } ?? text
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
        case "storage.status":
            if d.text("state") == "fault" { return "database FAULT: \(d.text("error") ?? "?")" }
            return "database usable again" + (d.text("fault").map { " (after: \($0))" } ?? "")
        case "config.reloaded":
            if d["ok"]?.boolValue == false { return "reload FAILED: \(d.text("error") ?? "?")" }
            let restart = d["restartNeeded"]?.arrayValue?.map(\.plainText) ?? []
            return "configuration reloaded" + (restart.isEmpty ? "" : "; restart kioskd for \(restart.joined(separator: ", "))")
        default:
            break
        }
        if topic.hasPrefix("certificate.") { return certificate(topic: topic, data: d) }
        switch topic {
        case "device.status":
            let id = d.text("device") ?? d.text("id") ?? "?"
            let state = d.text("state") ?? d.text("health.state") ?? "?"
            let reason = d.text("reason") ?? d.text("health.reason")
            let error = d.text("lastError").flatMap { $0 == reason ? nil : $0 }
            return "\(id) \(state)" + (reason.map { $0 == "ready" ? "" : ": \($0)" } ?? "")
                + (error.map { " (last error: \($0))" } ?? "")
        case "device.added", "device.removed":
            let id = d.text("device") ?? d.text("id") ?? "?"
            let node = [d.text("devnode"), d.text("usb").map { "usb \($0)" }].compactMap { $0 }.joined(separator: ", ")
            return "\(id) \(topic == "device.added" ? "plugged in" : "unplugged")" + (node.isEmpty ? "" : " (\(node))")
        case "idcard.presented":
            return "card on \(d.text("device") ?? "?")" + (d.text("cardType").map { " (\(cardType($0)))" } ?? "")
        default:
            return fields(d)
        }
    }

    /// A certificate's step: "500107-01-20261122-0001 printed on cert0".
    static func certificate(topic: String, data d: JSONValue) -> String {
        let serial = d.text("serial") ?? "?"
        let printer = d.text("printer").map { " on \($0)" } ?? ""
        let reason = d.text("reason")
        let because = reason.map { ": \($0)" } ?? ""
        switch topic {
        case "certificate.received":
            let what = [d.text("type"), d.text("department").map { "for \($0)" }, d.text("orderId").map { "order \($0)" }]
                .compactMap { $0 }.joined(separator: " ")
            return "\(serial) \(reason == "reprint" ? "reprint received" : "received")" + (what.isEmpty ? "" : " — \(what)")
        case "certificate.rendered": return "\(serial) rendered (PDF with seal and QR code)"
        case "certificate.printing": return "\(serial) printing\(printer)"
        case "certificate.printed": return "\(serial) printed\(printer)"
        case "certificate.ready": return "\(serial) released, ready for pickup"
        case "certificate.picked_up": return "\(serial) picked up" + (reason.map { " (\($0))" } ?? "")
        case "certificate.shipped": return "\(serial) shipped" + (reason.map { " (\($0))" } ?? "")
        case "certificate.held": return "\(serial) held\(printer)\(because)"
        case "certificate.failed": return "\(serial) FAILED\(printer)\(because)"
        case "certificate.voided": return "\(serial) voided\(because)"
        case "certificate.pickup_refused": return "\(serial) pickup refused\(because)"
        default:
            return "\(serial) \(d.text("state") ?? topic.dropFirst("certificate.".count).description)\(printer)\(because)"
        }
    }

    /// "resident" → "resident ID card" and the other card types of `idcard.read`.
    static func cardType(_ type: String) -> String {
        switch type {
        case "resident": "resident ID card"
        case "foreign_permanent": "foreign permanent resident card"
        case "hk_macau_taiwan": "Hong Kong/Macau/Taiwan residence permit"
        default: type
        }
    }

    /// Any event's data as "key value" pairs, nested keys dotted: "state fault, error disk full".
    static func fields(_ d: JSONValue) -> String {
        var pairs: [String] = []
        func walk(_ v: JSONValue, _ prefix: String) {
            if let o = v.objectValue {
                for key in o.keys.sorted() { walk(o[key]!, prefix.isEmpty ? key : "\(prefix).\(key)") }
            } else if let a = v.arrayValue {
                pairs.append("\(prefix) \(a.map(\.plainText).joined(separator: "/"))")
            } else if !v.isNull {
                pairs.append(prefix.isEmpty ? v.plainText : "\(prefix) \(v.plainText)")
            }
        }
        walk(d, "")
        return pairs.isEmpty ? "—" : pairs.joined(separator: ", ")
    }
}
