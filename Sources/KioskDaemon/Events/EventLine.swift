import Foundation
import KioskCore
import KioskStore

/// The wire line of an event notification, built once per event and shared by all subscribers.
enum EventLine {
    static func encode(_ e: StoredEvent, timeZone: TimeZone) -> String {
        // The payload is already JSON; only the envelope is assembled here.
        "{\"jsonrpc\":\"2.0\",\"method\":\"event\",\"params\":{\"at\":\"\(ISO8601.string(e.at, timeZone: timeZone))\",\"data\":\(e.json),\"seq\":\(e.seq),\"topic\":\(quoted(e.topic))}}\n"
    }

    private static func quoted(_ s: String) -> String {
        // Topics are our own ASCII names; escape anyway so a future topic cannot break framing.
        "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
