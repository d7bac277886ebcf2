import Foundation

/// ISO 8601 timestamps with offset, as the protocol wants them (contract).
public enum ISO8601 {
    public static func string(_ date: Date, timeZone: TimeZone = TimeZone(identifier: "UTC")!) -> String {
        // `timeZoneSeparator: .colon`: "+08:00" (RFC 3339, extended format like the rest), not "+0800".
        var style = Date.ISO8601FormatStyle(
            timeZoneSeparator: .colon, includingFractionalSeconds: true, timeZone: timeZone)
        style.timeZone = timeZone
        return date.formatted(style)
    }

    public static func date(_ text: String) -> Date? {
        if let d = try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)) { return d }
        return try? Date(text, strategy: Date.ISO8601FormatStyle())
    }
}
