import Foundation
import KioskCore
import KioskProtocol
import KioskStore
import Synchronization

/// What a hall screen (大厅显示屏) may see of an event. Screens are read by anyone on the hall's
/// network, so the view is built from an allow-list of fields: the ticket's number, category,
/// state and window — never the holder's masked ID number, the staff's name or anything added to
/// an event later. Topics outside the list are not shown at all.
enum ScreenEvent {
    /// Topics a screen follows (an `EventFeed` pattern list).
    static let topics = ["ticket.*", "window.*", "day.rolled_over", "config.reloaded"]
    /// Events that are calls: the screen's list of recent calls is made of these.
    static let callTopics = ["ticket.called", "ticket.recalled"]

    private static let ticketFields: Set<String> = [
        "id", "number", "category", "categoryName", "priority", "state", "window", "day", "issuedAt", "calledAt",
        "recalls",
    ]

    /// The screen's view of `event`, or nil when `screen` does not show it. A call carries `at`,
    /// when it was made (in `timeZone`, the hall's, as in `/state`): a recall does not change the
    /// ticket's `calledAt`, so without it a live recall had no time on the screen.
    static func view(_ event: StoredEvent, for screen: ScreenConfig, timeZone: TimeZone) -> JSONValue? {
        guard case .object(let data)? = try? JSONCoding.decoder.decode(JSONValue.self, from: Data(event.json.utf8)) else {
            return nil
        }
        switch event.topic {
        case let t where t.hasPrefix("ticket."):
            guard case .object(let ticket)? = data["ticket"] else { return nil }
            let category = ticket["category"]?.stringValue, window = data["window"]?.stringValue
            var out: [String: JSONValue] = ["ticket": .object(ticket.filter { ticketFields.contains($0.key) })]
            if t == "ticket.transferred" {
                let from = data["from"]?.objectValue ?? [:], to = data["to"]?.objectValue ?? [:]
                let shown = [from, to].contains { side in
                    screen.shows(category: side["category"]?.stringValue, window: side["window"]?.stringValue)
                }
                guard shown else { return nil }
                out["from"] = .object(from.filter { ["category", "window"].contains($0.key) })
                out["to"] = .object(to.filter { ["category", "window"].contains($0.key) })
            } else {
                guard screen.shows(category: category, window: window) else { return nil }
                if let window { out["window"] = .string(window) }
                if let name = data["windowName"] { out["windowName"] = name }
                if callTopics.contains(t) { out["at"] = .string(ISO8601.string(event.at, timeZone: timeZone)) }
            }
            return .object(out)
        case let t where t.hasPrefix("window."):
            let window = data["window"]?.stringValue
            guard screen.shows(category: nil, window: window) else { return nil }
            return .object(data.filter { ["window", "name", "status", "serves"].contains($0.key) })
        case "day.rolled_over":
            return .object(data.filter { ["from", "to"].contains($0.key) })
        case "config.reloaded":
            return .object(data.filter { $0.key == "ok" })
        default:
            return nil
        }
    }

    /// One server-sent event: `id` is the hall-wide seq, so a reconnect resumes after it.
    static func message(_ event: StoredEvent, data: JSONValue) -> String {
        let json = (try? JSONCoding.encoder.encode(data)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        // JSON keeps newlines escaped, so the data is one line as the format requires.
        return "id: \(event.seq)\nevent: \(event.topic)\ndata: \(json)\n\n"
    }
}

/// Each event's message for each screen, made once however many browsers show that screen: a
/// hall with many screen connections decodes and encodes an event once per screen, not once per
/// connection (1,000 streams of one screen otherwise cost ~100 ms of CPU per ticket taken).
final class ScreenMessages: Sendable {
    private struct Key: Hashable {
        let seq: Int64
        let screen: String
        let configVersion: Int
    }

    /// nil: the screen does not show the event.
    private let made = Mutex<[Key: String?]>([:])
    private let keep: Int64
    private let timeZone: TimeZone

    init(timeZone: TimeZone, keep: Int64 = 1_024) {
        self.timeZone = timeZone
        self.keep = keep
    }

    func message(_ event: StoredEvent, for screen: ScreenConfig, configVersion: Int) -> String? {
        let key = Key(seq: event.seq, screen: screen.id, configVersion: configVersion)
        if let known = made.withLock({ $0[key] }) { return known }
        let message = ScreenEvent.view(event, for: screen, timeZone: timeZone).map { ScreenEvent.message(event, data: $0) }
        made.withLock { made in
            made[key] = .some(message)
            // Streams move in step; a replay far behind makes its own messages again.
            if made.count > Int(keep) * 4 {
                let oldest = event.seq - keep
                made = made.filter { $0.key.seq > oldest }
            }
        }
        return message
    }
}
