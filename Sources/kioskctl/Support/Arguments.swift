import ArgumentParser
import Foundation
import KioskProtocol

/// A ticket named on the command line: its id (`17`) or today's number (`A001`).
struct TicketRef: ExpressibleByArgument, Sendable, CustomStringConvertible {
    enum Kind: Sendable { case id(Int64), number(String) }
    let kind: Kind

    init?(argument: String) {
        let text = argument.trimmingCharacters(in: .whitespaces)
        if let id = Int64(text), id > 0 {
            kind = .id(id)
        } else if Self.isTicketNumber(text) {
            kind = .number(text.uppercased())
        } else {
            return nil
        }
    }

    /// Letters then digits: "A001", "ZX12".
    static func isTicketNumber(_ text: String) -> Bool {
        guard let firstDigit = text.firstIndex(where: \.isNumber), firstDigit != text.startIndex else { return false }
        return text[..<firstDigit].allSatisfy { $0.isASCII && $0.isLetter }
            && text[firstDigit...].allSatisfy { $0.isASCII && $0.isNumber }
            && text.count <= 16
    }

    var description: String {
        switch kind {
        case .id(let id): String(id)
        case .number(let n): n
        }
    }

    /// The ticket id; a number is looked up among today's tickets.
    func resolve(_ link: DaemonLink) throws -> Int64 {
        switch kind {
        case .id(let id): return id
        case .number(let number):
            let t = try link.call(.queueTicket, TicketLookupParams(number: number))
            guard let id = t["id"]?.intValue else { throw CommandFailure(message: "kioskd returned ticket \(number) without an id") }
            return id
        }
    }
}

enum Check {
    /// "2026-11-21".
    static func date(_ text: String, option: String) throws {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        let ok = parts.count == 3 && parts[0].count == 4 && parts[1].count == 2 && parts[2].count == 2
            && parts.allSatisfy { $0.allSatisfy(\.isNumber) }
            && (1...12).contains(Int(parts[1]) ?? 0) && (1...31).contains(Int(parts[2]) ?? 0)
        guard ok else { throw ValidationError("\(option) must be a date like 2026-11-21, not \"\(text)\".") }
    }

    /// 18 characters: 17 digits and a digit or X (the daemon checks the checksum).
    static func idNumber(_ text: String, option: String = "--id-number") throws {
        let ok = text.count == 18 && text.dropLast().allSatisfy { $0.isASCII && $0.isNumber }
            && (text.last!.isNumber || text.last == "X" || text.last == "x")
        guard ok else {
            throw ValidationError("\(option) must be an 18-character resident ID number (17 digits, then a digit or X).")
        }
    }

    static func notEmpty(_ text: String, _ what: String) throws {
        guard !text.trimmingCharacters(in: .whitespaces).isEmpty else { throw ValidationError("\(what) cannot be empty.") }
    }

    static func length(_ text: String?, max: Int, _ what: String) throws {
        if let text, text.count > max { throw ValidationError("\(what) is limited to \(max) characters (this one has \(text.count)).") }
    }
}

/// Where the commands that read kioskd's configuration themselves (`doctor`, `cert preview`) find it.
enum ConfigFile {
    static let defaultPath = "/etc/kioskd/kioskd.toml"

    static let help = ArgumentHelp(
        "kioskd's configuration (default: $KIOSKD_CONFIG, else \(defaultPath)).", valueName: "path")

    /// `--config`, else $KIOSKD_CONFIG, else /etc/kioskd/kioskd.toml.
    static func path(_ given: String?) -> String {
        given ?? ProcessInfo.processInfo.environment["KIOSKD_CONFIG"] ?? defaultPath
    }
}

extension ArgumentHelp {
    static let ticket = ArgumentHelp("The ticket: its id (17) or today's number (A001).", valueName: "ticket")
    static let window = ArgumentHelp("The window's id, as in `kioskctl windows`.", valueName: "window")
}
