import ArgumentParser
import KioskProtocol

/// Readable forms of device results, tolerant of fields being added.
enum DeviceText {
    static func health(_ d: JSONValue) -> String {
        let state = d.text("health.state") ?? d.text("state") ?? "?"
        guard let reason = d.text("health.reason") ?? d.text("reason"), reason != "ready" || state != "ok" else { return state }
        return "\(state): \(reason)"
    }

    /// One device (`device.status`, `sim.printer`): "printer0: fault: paper out", then where it is,
    /// since when, its last error and what its driver reports (paper, connection, card), each once.
    static func detail(_ d: JSONValue, id fallback: String = "?") -> String {
        let health = self.health(d)
        var f = Fields()
        f.add("kind", d.text("kind"))
        f.add("transport", d.text("transport"))
        f.add("endpoint", d.text("endpoint"))
        f.add("window", d.text("window"))
        f.add("bus", d.text("bus"))
        f.add("address", d.text("address"))
        f.add("showing", d.text("showing"))
        f.add("since", d.text("health.since").map { Format.dateTime($0) })
        f.add("last error", d.text("health.lastError") ?? d.text("lastError"))
        for part in ["printer", "reader"] {
            guard let o = d[part]?.objectValue else { continue }
            for key in o.keys.sorted() where key != "health" {
                f.add(words(key), o[key].flatMap { $0.isNull ? nil : yesNo($0) })
            }
        }
        let state = d.text("health.state") ?? d.text("state") ?? ""
        return "\(d.text("id") ?? fallback): \(Palette.paint(health, Palette.colour(ofState: state)))\n" + f.render()
    }

    /// "coverOpen" → "cover open".
    static func words(_ key: String) -> String {
        key.reduce(into: "") { s, c in
            if c.isUppercase { s += " " + c.lowercased() } else { s.append(c) }
        }
    }

    static func yesNo(_ v: JSONValue) -> String {
        v.boolValue.map { $0 ? "yes" : "no" } ?? v.plainText
    }

    /// "2026-11-22T04:37:05.112+08:00": printed as hall time with its offset, like every time.
    static func isTimestamp(_ text: String) -> Bool {
        text.range(of: #"^\d{4}-\d\d-\d\dT\d\d:\d\d"#, options: .regularExpression) != nil
    }

    /// Every scalar of an object as "key  value" lines, nested keys dotted, `first` keys first.
    static func fields(_ value: JSONValue, first: [String] = []) -> Fields {
        var flat: [(String, String)] = []
        func walk(_ v: JSONValue, _ prefix: String) {
            if let o = v.objectValue {
                for key in o.keys.sorted() { walk(o[key]!, prefix.isEmpty ? key : "\(prefix).\(key)") }
            } else if !v.isNull {
                let text = v.plainText
                flat.append((prefix, isTimestamp(text) ? Format.dateTime(text) : text))
            }
        }
        walk(value, "")
        let rank = { (k: String) in first.firstIndex(of: k) ?? first.count }
        var f = Fields()
        for (k, v) in flat.enumerated().sorted(by: { (rank($0.element.0), $0.offset) < (rank($1.element.0), $1.offset) })
            .map(\.element) {
            f.add(k, v)
        }
        return f
    }
}

/// `kioskctl devices`: device.list.
struct DevicesCommand: KioskCommand {
    static let configuration = CommandConfiguration(
        commandName: "devices",
        abstract: "List the devices of this kioskd — and of every terminal on a shared hall database — and how each is doing (设备状态).")

    @OptionGroup(title: "Connection and output") var connection: ConnectionOptions

    func perform(_ link: DaemonLink) throws {
        try link.show(link.call(.deviceList)) { r in
            let list = r.arrayValue ?? []
            guard !list.isEmpty else { return "No devices are configured." }
            // A shared hall database lists every terminal's devices: then say whose each is, and
            // mark those of a terminal that stopped reporting.
            let terminals = Set(list.compactMap { $0.text("terminal") })
            let hall = terminals.count > 1
            var table = hall
                ? Table("terminal", "id", "kind", "window", "transport", "endpoint", "health", "since", "last error")
                : Table("id", "kind", "window", "transport", "endpoint", "health", "since", "last error")
            table.shape("kind", .optional)
            table.shape("transport", .optional)
            table.shape("endpoint", .cut(min: 12))
            table.shape("health", .cut(min: 20), state: true)  // the reason matters more than the kind
            table.shape("last error", .cut(min: 12))
            for d in list {
                let health = d["stale"]?.boolValue == true ? "stale (\(DeviceText.health(d)))" : DeviceText.health(d)
                let cells = [d.text("id") ?? "", d.text("kind") ?? "", d.text("window") ?? "", d.text("transport") ?? "",
                    d.text("endpoint") ?? "", health, Format.dateTime(d.text("health.since")), d.text("health.lastError") ?? ""]
                table.add(hall ? [d.text("terminal") ?? ""] + cells : cells)
            }
            return table.render()
        }
    }
}

/// `kioskctl device status|test ID`.
struct DeviceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "device",
        abstract: "Look at or test one device.",
        subcommands: [Status.self, Test.self])

    struct Status: KioskCommand {
        static let configuration = CommandConfiguration(
            commandName: "status",
            abstract: "Show one device's health, where it is attached and its last error.")

        @OptionGroup(title: "Connection and output") var connection: ConnectionOptions
        @Argument(help: ArgumentHelp("The device id, as in `kioskctl devices`.", valueName: "id")) var id: String

        func validate() throws { try Check.notEmpty(id, "ID") }

        func perform(_ link: DaemonLink) throws {
            try link.show(link.call(.deviceStatus, DeviceParams(id: id))) { d in DeviceText.detail(d, id: id) }
        }
    }

    struct Test: KioskCommand {
        static let configuration = CommandConfiguration(
            commandName: "test",
            abstract: "Run a device's online test (在线测试): a printer prints a test slip, a reader is polled.",
            discussion: "Exits with status 2 when the test fails, so scripts can check a machine.")

        @OptionGroup(title: "Connection and output") var connection: ConnectionOptions
        @Argument(help: ArgumentHelp("The device id, as in `kioskctl devices`.", valueName: "id")) var id: String

        var answerTimeout: Double? { 120 }

        func validate() throws { try Check.notEmpty(id, "ID") }

        func perform(_ link: DaemonLink) throws {
            let r = try link.call(.deviceTest, DeviceParams(id: id))
            let passed = r["passed"]?.boolValue
            link.show(r) { r in
                var text = "\(r.text("id") ?? id)"
                if let kind = r.text("kind") { text += " (\(kind))" }
                text += passed == false ? ": FAILED" : passed == true ? ": passed" : ": tested"
                if let m = r.text("message") { text += " — \(m)" }
                if r["health"] != nil { text += "\n  health now \(DeviceText.health(r))" }
                return text
            }
            if passed == false { throw CommandFailure(message: "device \(id) failed its test (test_failed)") }
        }
    }
}

/// `kioskctl idcard read`: idcard.read.
struct IDCardCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "idcard",
        abstract: "Use the resident ID card reader.",
        subcommands: [Read.self])

    struct Read: KioskCommand {
        static let configuration = CommandConfiguration(
            commandName: "read",
            abstract: "Wait for an ID card on the reader and show what it holds (masked unless you are admin).",
            discussion: "On a machine without hardware, put a simulated card first: kioskctl sim card --name 张三 --id-number ….")

        @OptionGroup(title: "Connection and output") var connection: ConnectionOptions

        @Option(help: ArgumentHelp("The reader; the first configured one by default.", valueName: "id"))
        var device: String?

        @Option(help: ArgumentHelp("Seconds to wait for a card (default 30).", valueName: "seconds"))
        var timeout: Double?

        var answerTimeout: Double? { (timeout ?? 30) + 15 }

        func validate() throws {
            if let timeout, !(timeout > 0 && timeout <= 600) {
                throw ValidationError("--timeout must be more than 0 and at most 600 seconds.")
            }
        }

        func perform(_ link: DaemonLink) throws {
            try link.show(link.call(.idcardRead, IDCardReadParams(device: device, timeoutSeconds: timeout))) { c in
                DeviceText.fields(c, first: ["name", "sex", "nation", "birthDate", "address", "idNumber", "authority",
                    "validFrom", "validTo", "cardToken", "token"]).render()
            }
        }
    }
}

/// `kioskctl sim card`: sim.card, for machines without hardware (the demo, tests).
struct SimCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sim",
        abstract: "Drive simulated devices (demo and test machines without hardware).",
        subcommands: [Card.self, Printer.self, Keypad.self, Evaluator.self])

    struct Card: KioskCommand {
        static let configuration = CommandConfiguration(
            commandName: "card",
            abstract: "Put a resident ID card on a simulated reader, or take it off with --remove.",
            discussion: """
                Examples:
                  kioskctl sim card --name 张三 --id-number 11010519491231002X --sex male
                  kioskctl sim card --remove
                """)

        enum Sex: String, ExpressibleByArgument, CaseIterable, Sendable { case male, female }

        @OptionGroup(title: "Connection and output") var connection: ConnectionOptions

        @Option(help: ArgumentHelp("The simulated reader; the first one by default.", valueName: "id"))
        var device: String?

        @Flag(help: "Take the card off the reader.")
        var remove = false

        @Option(help: ArgumentHelp("The holder's name.", valueName: "name"))
        var name: String?

        @Option(help: ArgumentHelp("The holder's resident ID number.", valueName: "number"))
        var idNumber: String?

        @Option(help: ArgumentHelp("male or female.", valueName: "sex"))
        var sex: Sex?

        @Option(help: ArgumentHelp("Ethnic group as printed on the card, e.g. 汉.", valueName: "nation"))
        var nation: String?

        @Option(help: ArgumentHelp("The address on the card.", valueName: "address"))
        var address: String?

        func validate() throws {
            if remove {
                let extra = [name.map { _ in "--name" }, idNumber.map { _ in "--id-number" }, sex.map { _ in "--sex" },
                    nation.map { _ in "--nation" }, address.map { _ in "--address" }].compactMap { $0 }
                guard extra.isEmpty else {
                    throw ValidationError("--remove takes the card off; \(extra.joined(separator: ", ")) \(extra.count == 1 ? "is" : "are") only for putting one on.")
                }
                return
            }
            guard let name else { throw ValidationError("Give the holder's --name (or --remove to take the card off).") }
            try Check.notEmpty(name, "--name")
            guard let idNumber else { throw ValidationError("Give the holder's --id-number (18 characters).") }
            try Check.idNumber(idNumber)
        }

        func perform(_ link: DaemonLink) throws {
            let params = SimCardParams(device: device, remove: remove ? true : nil, name: name, idNumber: idNumber,
                sex: sex?.rawValue, nation: nation, address: address)
            try link.show(link.call(.simCard, params)) { r in
                if remove { return "Card taken off" + (r.text("device").map { " \($0)" } ?? "") + "." }
                let reader = r.text("device").map { " on \($0)" } ?? ""
                // Masked by kioskd; an older kioskd answers only `card`.
                let card = [r.text("cardType").map(EventSummary.cardType), r.text("name"), r.text("idNumber")]
                    .compactMap { $0 }.joined(separator: " ")
                return "Card placed\(reader): \(card.isEmpty ? r.text("card") ?? "?" : card)."
            }
        }
    }

    struct Printer: KioskCommand {
        static let configuration = CommandConfiguration(
            commandName: "printer",
            abstract: "Change a simulated printer's paper or connection, to see how a kiosk shell copes.",
            discussion: """
                Examples:
                  kioskctl sim printer --paper out        # printer0 goes to fault; queue.take {print} is refused
                  kioskctl sim printer --paper ok
                  kioskctl sim printer --unplug           # absent
                  kioskctl sim printer --plug
                """)

        enum Paper: String, ExpressibleByArgument, CaseIterable, Sendable {
            case ok
            case nearEnd = "near_end"
            case out
        }

        @OptionGroup(title: "Connection and output") var connection: ConnectionOptions

        @Option(help: ArgumentHelp("The simulated printer; the first one by default.", valueName: "id"))
        var device: String?

        @Option(help: ArgumentHelp("Paper level: ok, near_end or out.", valueName: "level"))
        var paper: Paper?

        @Flag(help: "Unplug the printer.") var unplug = false
        @Flag(help: "Plug it back in.") var plug = false

        func validate() throws {
            guard !(unplug && plug) else { throw ValidationError("Give --unplug or --plug, not both.") }
            guard paper != nil || unplug || plug else { throw ValidationError("Say what to change: --paper, --unplug or --plug.") }
        }

        func perform(_ link: DaemonLink) throws {
            let params = SimPrinterParams(device: device, paper: paper?.rawValue, connected: unplug ? false : plug ? true : nil)
            try link.show(link.call(.simPrinter, params)) { r in DeviceText.detail(r, id: device ?? "printer") }
        }
    }

    struct Keypad: KioskCommand {
        static let configuration = CommandConfiguration(
            commandName: "keypad",
            abstract: "Press a key on a window's simulated caller keypad (呼叫器).",
            discussion: """
                The press takes the same path as a real keypad's: the window acts under the counter's
                rules, its strip follows, and what the keypad's display then shows is printed.
                Examples:
                  kioskctl sim keypad 3 call
                  kioskctl sim keypad 3 finish
                """)

        enum Key: String, ExpressibleByArgument, CaseIterable, Sendable {
            case call, recall, start, finish
            case noShow = "no-show"
            case pause, resume
        }

        @OptionGroup(title: "Connection and output") var connection: ConnectionOptions
        @Argument(help: ArgumentHelp("The window.", valueName: "window")) var window: String
        @Argument(help: ArgumentHelp("call, recall, start, finish, no-show, pause or resume.", valueName: "key")) var key: Key

        func perform(_ link: DaemonLink) throws {
            try link.show(link.call(.simKeypad, SimKeypadParams(window: window, key: key.rawValue))) { r in
                "\(r.text("device") ?? "keypad") shows: \(r.text("display") ?? "")"
            }
        }
    }

    struct Evaluator: KioskCommand {
        static let configuration = CommandConfiguration(
            commandName: "evaluator",
            abstract: "Rate the case a window just finished on its simulated evaluator (评价器).",
            discussion: """
                SCORE: 5 非常满意, 4 满意, 3 基本满意, 2 不满意, 1 非常不满意.
                Example:
                  kioskctl sim evaluator 3 5
                """)

        @OptionGroup(title: "Connection and output") var connection: ConnectionOptions
        @Argument(help: ArgumentHelp("The window.", valueName: "window")) var window: String
        @Argument(help: ArgumentHelp("1 to 5.", valueName: "score")) var score: Int

        func validate() throws {
            guard (1...5).contains(score) else { throw ValidationError("SCORE is 1 (非常不满意) to 5 (非常满意), not \(score).") }
        }

        func perform(_ link: DaemonLink) throws {
            try link.show(link.call(.simEvaluator, SimEvaluatorParams(window: window, score: score))) { r in
                "\(r.text("device") ?? "evaluator") shows: \(r.text("display") ?? "")"
            }
        }
    }
}
