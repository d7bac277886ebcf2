import KioskProtocol

/// Readable forms of a certificate (as `cert.get` / `cert.list` answer it), of a `cert.verify`
/// answer and of audit entries.
enum CertificateText {
    /// "李受理 (a01)".
    static func person(_ p: JSONValue?) -> String? {
        guard let p, let id = p.text("id") else { return nil }
        return p.text("name").map { "\($0) (\(id))" } ?? id
    }

    /// "张三 5001**********1233": the name and the masked number, the only form the daemon has.
    static func holder(_ c: JSONValue) -> String {
        if let name = c["holder"]?.stringValue { return name }  // cert.verify: the name only
        return [c.text("holder.name"), c.text("holder.idNumber")].compactMap { $0 }.joined(separator: " ")
    }

    static func delivery(_ c: JSONValue) -> String? {
        guard let mode = c.text("delivery.mode") else { return nil }
        if mode == "mail" { return "mail" + (c.text("delivery.address").map { " to \($0)" } ?? "") }
        return mode
    }

    /// The order's values, one "key  value" line each (keys sorted, as the daemon sends them).
    static func fields(_ c: JSONValue) -> String? {
        guard let o = c["fields"]?.objectValue, !o.isEmpty else { return nil }
        var f = Fields()
        for key in o.keys.sorted() { f.add(key, o[key]!.plainText) }
        return "Fields\n" + f.render()
    }

    /// Everything about one certificate: its facts, its values, its history, its print attempts.
    static func detail(_ c: JSONValue) -> String {
        let day = c.text("issuedAt").map { String($0.prefix(10)) }
        var f = Fields()
        f.add("serial", c.text("serial"))
        f.add("state", c.text("state"))
        f.add("type", c.text("type"))
        f.add("department", c.text("department"))
        f.add("holder", holder(c))
        f.add("order", c.text("orderId"))
        f.add("accepted by", person(c["acceptedBy"]))
        f.add("approved by", person(c["approvedBy"]))
        f.add("released by", person(c["releasedBy"]))
        f.add("delivery", delivery(c))
        f.add("print mode", c.text("printMode").map { $0 == "on_pickup" ? "on pickup (printed at the kiosk)" : $0 })
        f.add("printer", c.text("printer"))
        f.add("issued", Format.dateTime(c.text("issuedAt")))
        f.add("updated", c.text("updatedAt").map { Format.dateTime($0, sameDayAs: day) })
        if let carrier = c.text("carrier") { f.add("shipped", carrier + (c.text("trackingNumber").map { ", tracking \($0)" } ?? "")) }
        f.add("reprint of", c.text("reprintOf"))
        f.add("void reason", c.text("voidReason"))
        var parts = ["Certificate \(c.text("serial") ?? "?")\n" + f.render()]
        if let fields = fields(c) { parts.append(fields) }

        if let history = c["history"]?.arrayValue {
            var table = Table("at", "state", "actor", "note")
            table.shape("state", state: true)
            table.shape("actor", .cut(min: 10))
            table.shape("note", .cut(min: 8))
            for s in history {
                table.add(Format.dateTime(s.text("at"), sameDayAs: day), s.text("state") ?? "", s.text("actor") ?? "", s.text("note") ?? "")
            }
            parts.append(history.isEmpty ? "History: none" : "History\n" + table.render())
        }
        if let attempts = c["printAttempts"]?.arrayValue {
            var table = Table(">#", "printer", ">job", "state", "at", "reason")
            table.shape("job", .optional)
            table.shape("state", state: true)
            table.shape("reason", .cut(min: 8))
            for a in attempts {
                table.add(a.text("number") ?? "", a.text("printer") ?? "", a.text("job") ?? "", a.text("state") ?? "",
                    Format.dateTime(a.text("at"), sameDayAs: day), a.text("reason") ?? "")
            }
            parts.append(attempts.isEmpty ? "Print attempts: none" : "Print attempts\n" + table.render())
        }
        return parts.joined(separator: "\n\n")
    }

    /// A table of certificates (`cert.list`).
    static func table(_ list: [JSONValue]) -> String {
        var table = Table("serial", "state", "type", "department", "holder", "order", "issued", "printer")
        table.shape("state", state: true)
        table.shape("type", .cut(min: 8))
        table.shape("department", .optional)
        table.shape("holder", .cut(min: 6))
        table.shape("order", .optional)
        table.shape("printer", .optional)
        for c in list {
            table.add(c.text("serial") ?? "", c.text("state") ?? "", c.text("type") ?? "", c.text("department") ?? "",
                holder(c), c.text("orderId") ?? "", Format.dateTime(c.text("issuedAt")), c.text("printer") ?? "")
        }
        return table.render()
    }

    /// `cert.verify`'s answer: "VALID: certificate …" and what the paper should say, or
    /// "INVALID: …" and the check that failed.
    static func verification(_ v: JSONValue) -> String {
        var f = Fields()
        guard v["valid"]?.boolValue == true else {
            f.add("failed check", v.text("check") ?? "?")
            f.add("serial", v.text("serial"))
            return "INVALID: \(v.text("detail") ?? "the certificate did not pass verification")\n" + f.render()
        }
        f.add("state", v.text("state"))
        f.add("type", v.text("type"))
        f.add("department", v.text("department"))
        f.add("holder", v.text("holder"))
        f.add("issued", Format.dateTime(v.text("issuedAt")))
        var text = "VALID: certificate \(v.text("serial") ?? "?") was issued by this hall\n" + f.render()
        if let fields = fields(v) { text += "\n\n" + fields }
        return text
    }

    /// `audit.tail`'s entries, oldest first.
    static func auditTable(_ entries: [JSONValue]) -> String {
        var table = Table([
            Table.Column(title: "seq", rightAligned: true), Table.Column(title: "at"), Table.Column(title: "action"),
            Table.Column(title: "subject", fit: .cut(min: 10)), Table.Column(title: "actor", fit: .cut(min: 8)),
            Table.Column(title: "details", maxWidth: 60, fit: .cut(min: 10)), Table.Column(title: "hash", fit: .optional),
        ])
        for e in entries {
            table.add(e.text("seq") ?? "", Format.dateTime(e.text("at")), e.text("action") ?? "", e.text("subject") ?? "",
                e.text("actor") ?? "", e.text("details") ?? "", String((e.text("hash") ?? "").prefix(12)))
        }
        return table.render()
    }
}
