import Foundation
import KioskProtocol

/// Small formatters shared by every command's readable output.
enum Format {
    /// "45s", "12m 30s", "2h 5m", "3d 4h": the two most significant units, so a glance is enough.
    /// Negative durations (clock skew) read as "0s".
    static func duration(_ seconds: Int) -> String {
        let s = max(0, seconds)
        let units: [(Int, String)] = [(86_400, "d"), (3_600, "h"), (60, "m"), (1, "s")]
        var parts: [String] = []
        var rest = s
        for (size, name) in units {
            let n = rest / size
            rest %= size
            if n > 0 || (!parts.isEmpty) { parts.append("\(n)\(name)") }
            if parts.count == 2 { break }
        }
        // Drop a trailing zero unit: "12m 0s" → "12m".
        if parts.count == 2, parts[1].hasPrefix("0") { parts.removeLast() }
        return parts.isEmpty ? "0s" : parts.joined(separator: " ")
    }

    static func duration(_ value: JSONValue?) -> String {
        guard let n = value?.intValue else { return "—" }
        return duration(Int(n))
    }

    /// "09:12:03 +08:00": the wall-clock time of an ISO 8601 timestamp and its offset. The daemon
    /// writes times in the hall's zone, so this is hall time, whatever this machine's zone is, and
    /// the offset says so (a UTC time reads "+00:00", never as if it were the hall's).
    static func clock(_ iso: String?) -> String {
        guard let iso, let t = iso.firstIndex(of: "T") else { return iso ?? "" }
        let time = String(iso[iso.index(after: t)...].prefix(8))
        return offset(iso).map { "\(time) \($0)" } ?? time
    }

    /// "2026-11-21 09:12:03 +08:00"; just the time and offset when the timestamp falls on `sameDayAs`
    /// (by default today, in the timestamp's own offset).
    static func dateTime(_ iso: String?, sameDayAs day: String? = nil, now: Date = Date()) -> String {
        guard let iso, let t = iso.firstIndex(of: "T") else { return iso ?? "" }
        let date = String(iso[..<t])
        if date == (day ?? today(inOffsetOf: iso, now: now)) { return clock(iso) }
        return date + " " + clock(iso)
    }

    /// "+08:00" from "…T09:12:03.120+08:00" (or "+0800"); "+00:00" from "…Z"; nil without one.
    static func offset(_ iso: String) -> String? {
        guard let t = iso.firstIndex(of: "T") else { return nil }
        let time = iso[iso.index(after: t)...]
        if time.hasSuffix("Z") || time.hasSuffix("z") { return "+00:00" }
        guard let sign = time.lastIndex(where: { $0 == "+" || $0 == "-" }) else { return nil }
        let digits = time[time.index(after: sign)...].filter(\.isNumber)
        guard digits.count == 4 else { return nil }
        return "\(time[sign])\(digits.prefix(2)):\(digits.suffix(2))"
    }

    /// Today's date ("2026-11-21") at the offset `iso` was written in.
    static func today(inOffsetOf iso: String, now: Date = Date()) -> String? {
        guard let text = offset(iso), let hours = Int(text.dropFirst().prefix(2)), let minutes = Int(text.suffix(2)) else {
            return nil
        }
        let seconds = (hours * 3600 + minutes * 60) * (text.hasPrefix("-") ? -1 : 1)
        guard let zone = TimeZone(secondsFromGMT: seconds) else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let c = calendar.dateComponents([.year, .month, .day], from: now)
        guard let y = c.year, let m = c.month, let d = c.day else { return nil }
        return String(format: "%04d-%02d-%02d", y, m, d)
    }

    /// Seconds from an ISO 8601 timestamp until now (nil when unreadable).
    static func secondsSince(_ iso: String?, now: Date = Date()) -> Int? {
        guard let iso, let date = parseISO(iso) else { return nil }
        return Int(now.timeIntervalSince(date))
    }

    static func secondsBetween(_ from: String?, _ to: String?) -> Int? {
        guard let from, let to, let a = parseISO(from), let b = parseISO(to) else { return nil }
        return Int(b.timeIntervalSince(a).rounded())
    }

    static func parseISO(_ text: String) -> Date? {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let d = f.date(from: text) { return d }
        f.formatOptions = [.withInternetDateTime]
        return f.date(from: text)
    }

    /// "92.3%" from a 0…1 rate.
    static func percent(_ value: JSONValue?) -> String {
        guard let v = value?.doubleValue else { return "—" }
        let p = (v * 1000).rounded() / 10
        return p == p.rounded() ? "\(Int(p))%" : "\(p)%"
    }

    /// "1st", "2nd", "3rd", "4th" …
    static func ordinal(_ n: Int) -> String {
        let suffix: String
        switch (n % 10, n % 100) {
        case (_, 11...13): suffix = "th"
        case (1, _): suffix = "st"
        case (2, _): suffix = "nd"
        case (3, _): suffix = "rd"
        default: suffix = "th"
        }
        return "\(n)\(suffix)"
    }

    /// "A 3, B 0" from a string → number object, in key order.
    static func counts(_ value: JSONValue?) -> String {
        guard let o = value?.objectValue, !o.isEmpty else { return "" }
        return o.keys.sorted().map { "\($0) \(o[$0]!.plainText)" }.joined(separator: ", ")
    }

    /// A value for a table cell: plain text, "—" when absent.
    static func cell(_ value: JSONValue?) -> String {
        guard let value, !value.isNull else { return "—" }
        let text = value.plainText
        return text.isEmpty ? "—" : text
    }

    /// Pretty JSON with sorted keys: what `--json` prints.
    static func prettyJSON(_ value: JSONValue) -> String {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? e.encode(value) else { return value.plainText }
        return String(decoding: data, as: UTF8.self)
    }

    /// One-line JSON with sorted keys: what `watch --json` prints per event.
    static func compactJSON(_ value: JSONValue) -> String {
        (try? JSONCoding.string(value)) ?? value.plainText
    }
}

extension JSONValue {
    var doubleValue: Double? {
        switch self {
        case .int(let i): Double(i)
        case .double(let d): d
        default: nil
        }
    }

    var boolValue: Bool? { if case .bool(let b) = self { b } else { nil } }

    /// Follows a dotted path of object keys ("health.state").
    func at(_ path: String) -> JSONValue? {
        var v: JSONValue? = self
        for key in path.split(separator: ".") { v = v?[String(key)] }
        return v
    }

    /// The string at `path`, nil when absent, null or empty.
    func text(_ path: String) -> String? {
        guard let v = at(path), !v.isNull else { return nil }
        let t = v.plainText
        return t.isEmpty ? nil : t
    }

    func int(_ path: String) -> Int? { at(path)?.intValue.map(Int.init) }
}
