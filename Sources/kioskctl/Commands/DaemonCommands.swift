import ArgumentParser
import Foundation
import KioskProtocol

/// `kioskctl status`: daemon.status as a summary.
struct StatusCommand: KioskCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show whether kioskd is serving: hall, day, uptime, queues, windows, devices.",
        discussion: "The first thing to check on a machine: everything here comes from daemon.status.")

    @OptionGroup(title: "Connection and output") var connection: ConnectionOptions

    func perform(_ link: DaemonLink) throws {
        try link.show(link.call(.daemonStatus)) { s in
            var head = "kioskd"
            if let v = s.text("version") { head += " \(v)" }
            if let code = s.text("hall.code") { head += " — hall \(code)" }
            if let name = s.text("hall.name") { head += " \(name)" }
            var f = Fields()
            f.add("terminal", s.text("terminal"))
            f.add("day", s.text("day").map { d in s.text("now").map { "\(d) (now \(Format.clock($0)))" } ?? d })
            if let up = s.int("uptimeSeconds") {
                f.add("up", Format.duration(up) + (s.text("pid").map { " (pid \($0))" } ?? ""))
            }
            f.add("socket", s.text("socket"))
            f.add("config", s.text("config"))
            if let storage = s["storage"] {
                let backend = storage.text("backend") ?? "?"
                f.add("storage", storage.text("state") == "ok" ? backend
                    : "\(backend) FAULT: \(storage.text("error") ?? "?")")
            }
            f.add("tickets", s.text("tickets").map { "\($0) stored" })
            if let waiting = s["waiting"]?.objectValue {
                // Tickets transferred to a window wait for it, outside every category's count.
                let forWindows = (s["waitingForWindows"]?.objectValue ?? [:]).filter { ($0.value.intValue ?? 0) > 0 }
                let total = (Array(waiting.values) + Array(forWindows.values)).compactMap(\.intValue).reduce(0, +)
                var parts = waiting.isEmpty ? [] : [Format.counts(s["waiting"])]
                parts += forWindows.keys.sorted().map { "\(forWindows[$0]!.plainText) for window \($0)" }
                f.add("waiting", "\(total)" + (parts.isEmpty ? "" : " (\(parts.joined(separator: "; ")))"))
            }
            if let open = s["windowsOpen"]?.arrayValue {
                f.add("windows", open.isEmpty ? "none open" : "open: " + open.map(\.plainText).joined(separator: ", "))
            }
            if let c = s.int("connections") {
                var clients = "\(c) connection\(c == 1 ? "" : "s")"
                if let subs = s.int("subscribers") { clients += ", \(subs) watching events" }
                if let screens = s.int("screenStreams"), screens > 0 { clients += ", \(screens) screen stream\(screens == 1 ? "" : "s")" }
                if let cut = s.int("slowSubscribersCut"), cut > 0 { clients += ", \(cut) cut off for being slow" }
                f.add("clients", clients)
            }
            f.add("events", s.text("lastEventSeq").map { "last seq \($0)" })
            if let devices = s["devices"]?.objectValue {
                f.add("devices", devices.isEmpty ? "none" : devices.keys.sorted().map { id in
                    let state = devices[id]!.plainText
                    return "\(id) \(Palette.paint(state, Palette.colour(ofState: state)))"
                }
                    .joined(separator: "\n"))
            }
            if let r = s["lastReload"], !r.isNull {
                let when = Format.dateTime(r.text("at"), sameDayAs: s.text("day"))
                f.add("last reload", r["ok"]?.boolValue == true ? "\(when) ok" : "\(when) FAILED: \(r.text("error") ?? "?")")
            }
            return head + "\n" + f.render()
        }
    }
}

/// `kioskctl hello ROLE`: session.hello.
struct HelloCommand: KioskCommand {
    static let configuration = CommandConfiguration(
        commandName: "hello",
        abstract: "Introduce yourself to kioskd as ROLE and show the role the connection ends up with.",
        discussion: """
            A connection can only drop to a lesser role, never rise (an admin may become anything, \
            anyone may become display). Each kioskctl command is its own connection, so this checks \
            what the socket grants you; to run one command as a lesser role use --as ROLE.
            Roles: \(ConnectionOptions.roles.joined(separator: ", ")).
            """)

    @OptionGroup(title: "Connection and output") var connection: ConnectionOptions

    @Argument(help: ArgumentHelp("The role to take.", valueName: "role"))
    var role: String

    @Option(help: ArgumentHelp("A name for this client in kioskd's logs.", valueName: "name"))
    var client = "kioskctl"

    func validate() throws {
        guard ConnectionOptions.roles.contains(role) else {
            throw ValidationError("\"\(role)\" is not a role; roles are \(ConnectionOptions.roles.joined(separator: ", ")).")
        }
    }

    func perform(_ link: DaemonLink) throws {
        try link.show(link.call(.sessionHello, HelloParams(role: role, client: client))) { r in
            var text = "This connection is now \(r.text("role") ?? "without a role")"
            var extra: [String] = []
            if let s = r.text("session") { extra.append("session \(s)") }
            if let p = r.text("protocol") { extra.append("protocol \(p)") }
            if let h = r.text("hall") { extra.append("hall \(h)") }
            if !extra.isEmpty { text += " (" + extra.joined(separator: ", ") + ")" }
            return text + "."
        }
    }
}

/// `kioskctl call-raw METHOD [JSON]`.
struct CallRawCommand: KioskCommand {
    static let configuration = CommandConfiguration(
        commandName: "call-raw",
        abstract: "Call any kioskd method with raw JSON params and print the result as JSON.",
        discussion: """
            For methods without a command of their own, and for scripts. PARAMS is one JSON object \
            ("-" reads it from standard input); {} when absent. Example:
              kioskctl call-raw queue.ticket '{"number":"A001"}'
            Known methods: \(Method.allCases.map(\.rawValue).joined(separator: ", ")).
            """)

    @OptionGroup(title: "Connection and output") var connection: ConnectionOptions

    @Argument(help: ArgumentHelp("The method, e.g. queue.waiting.", valueName: "method"))
    var method: String

    @Argument(help: ArgumentHelp("The params object as JSON, or - to read it from standard input.", valueName: "params"))
    var params: String?

    func validate() throws {
        try Check.notEmpty(method, "METHOD")
        if let params, params != "-" { _ = try Self.parse(params) }
    }

    static func parse(_ text: String) throws -> JSONValue {
        let value: JSONValue
        do {
            value = try JSONCoding.decoder.decode(JSONValue.self, from: Data(text.utf8))
        } catch {
            throw ValidationError("PARAMS is not valid JSON; give one object, e.g. '{\"window\":\"3\"}'.")
        }
        guard value.objectValue != nil else {
            throw ValidationError("PARAMS must be a JSON object like '{\"window\":\"3\"}', not \(Format.compactJSON(value)).")
        }
        return value
    }

    func perform(_ link: DaemonLink) throws {
        var value = JSONValue.object([:])
        if let params {
            if params == "-" {
                let input = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
                do { value = try Self.parse(input) } catch let e as ValidationError {
                    throw CommandFailure(message: e.message, exitCode: 64)
                }
            } else {
                value = try Self.parse(params)
            }
        }
        Output.line(Format.prettyJSON(try link.client.call(method, value)))
    }
}
