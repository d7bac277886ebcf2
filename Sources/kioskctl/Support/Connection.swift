import ArgumentParser
import Foundation
import KioskClient
import KioskProtocol

/// `--socket`, `--json` and `--as`, on every command.
struct ConnectionOptions: ParsableArguments {
    static let defaultSocket = "/run/kioskd/kioskd.sock"
    static let roles = ["display", "kiosk", "counter", "approval", "operator", "technician", "admin"]

    @Option(name: .long, help: ArgumentHelp(
        "kioskd's socket (default: $KIOSKD_SOCKET, else \(defaultSocket)).", valueName: "path"))
    var socket: String?

    @Flag(name: .long, help: "Print the daemon's raw result as JSON (pretty, sorted keys) instead of readable text.")
    var json = false

    @Flag(name: .long, help: "Show every column of tables, however wide; at a terminal they are fitted to its width.")
    var wide = false

    @Option(name: .customLong("as"), help: ArgumentHelp(
        "Drop to a lesser role for this command (session.hello), e.g. to check what a kiosk may do.", valueName: "role"))
    var role: String?

    var socketPath: String {
        if let socket { return socket }
        if let env = ProcessInfo.processInfo.environment["KIOSKD_SOCKET"], !env.isEmpty { return env }
        return Self.defaultSocket
    }

    func validate() throws {
        if let socket, socket.isEmpty { throw ValidationError("--socket needs a path, e.g. --socket \(Self.defaultSocket).") }
        if let role, !Self.roles.contains(role) {
            throw ValidationError("\"\(role)\" is not a role; roles are \(Self.roles.joined(separator: ", ")).")
        }
    }
}

/// A failure kioskctl reports itself (not the daemon's RPCError): a message and an exit code.
struct CommandFailure: Error {
    var message: String
    var exitCode: Int32 = 2
}

/// Exit codes: 0 success, 1 cannot reach kioskd, 2 kioskd refused (or the thing asked for failed),
/// 64 bad command line (from ArgumentParser).
enum Exit {
    static let connection: Int32 = 1
    static let refused: Int32 = 2
}

/// One connection to kioskd for one command.
final class DaemonLink {
    let client: KioskClient
    let options: ConnectionOptions

    init(_ options: ConnectionOptions, timeout: Double?) throws {
        self.options = options
        client = try KioskClient(socketPath: options.socketPath, timeout: timeout)
        if let role = options.role {
            try client.call(Method.sessionHello.rawValue, params: HelloParams(role: role, client: "kioskctl"))
        }
    }

    var json: Bool { options.json }

    @discardableResult
    func call(_ method: Method, _ params: some Encodable) throws -> JSONValue {
        try client.call(method.rawValue, params: params)
    }

    @discardableResult
    func call(_ method: Method) throws -> JSONValue {
        try client.call(method.rawValue, .object([:]))
    }

    /// Prints `result` as pretty JSON with `--json`, else as `readable` makes it.
    func show(_ result: JSONValue, _ readable: (JSONValue) throws -> String) rethrows {
        if json {
            Output.line(Format.prettyJSON(result))
        } else {
            Output.line(try readable(result))
        }
    }
}

/// A kioskctl subcommand that talks to the daemon: `run()` connects, calls `perform`, and turns
/// every failure into a one-line message on stderr and the documented exit code.
protocol KioskCommand: ParsableCommand {
    var connection: ConnectionOptions { get }
    /// Seconds to wait for an answer (nil: forever).
    var answerTimeout: Double? { get }
    func perform(_ link: DaemonLink) throws
}

extension KioskCommand {
    var answerTimeout: Double? { 30 }

    func run() throws {
        Terminal.current = Terminal.detect(wide: connection.wide)
        do {
            let link = try DaemonLink(connection, timeout: answerTimeout)
            try perform(link)
        } catch let error as RPCError {
            Output.error(Self.describe(error))
            throw ExitCode(Exit.refused)
        } catch let error as KioskClient.ClientError {
            Output.error(Self.describe(error))
            throw ExitCode(Exit.connection)
        } catch let failure as CommandFailure {
            Output.error(failure.message)
            throw ExitCode(failure.exitCode)
        }
    }

    /// `<message> (<reason>)`, the daemon's own words plus its stable reason for scripts.
    static func describe(_ error: RPCError) -> String {
        if let reason = error.reason { return "\(error.message) (\(reason))" }
        return "\(error.message) (code \(error.code))"
    }

    static func describe(_ error: KioskClient.ClientError) -> String {
        switch error {
        case .connect(let path, let why):
            let hint: String
            switch why {
            case "No such file or directory", "Connection refused":
                hint = " — is kioskd running? (systemctl status kioskd)"
            case "Permission denied":
                hint = " — your user needs access to the socket: see [access] in the kioskd config (or use sudo)"
            case "path too long":
                hint = " — Unix socket paths are limited to 107 bytes"
            default:
                hint = ""
            }
            return "cannot connect to \(path): \(why)\(hint)"
        case .closed:
            return "kioskd closed the connection before answering — see its log (journalctl -u kioskd)"
        case .timeout:
            return "kioskd did not answer in time — is it overloaded or stuck? (journalctl -u kioskd)"
        case .badMessage:
            return "\(error.description) — is that socket really kioskd's?"
        }
    }
}

enum Output {
    static func line(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    static func error(_ text: String) {
        FileHandle.standardError.write(Data("kioskctl: \(text)\n".utf8))
    }

    static func note(_ text: String) {
        FileHandle.standardError.write(Data("\(text)\n".utf8))
    }
}
