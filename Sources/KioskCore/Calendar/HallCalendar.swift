import Foundation
import Synchronization

/// A hall-day: the day ticket numbers belong to, named by its local date ("2026-11-21").
/// It starts at `day_starts_at` in the hall's time zone, not at UTC midnight.
public struct HallDay: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let rawValue: String
    public init(_ rawValue: String) { self.rawValue = rawValue }

    /// Parses and checks "YYYY-MM-DD".
    public init?(validating text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
            let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
            (1...12).contains(m), (1...31).contains(d), y > 1900
        else { return nil }
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "UTC")!
        guard let date = cal.date(from: DateComponents(year: y, month: m, day: d)),
            cal.component(.day, from: date) == d
        else { return nil }
        self.rawValue = text
    }

    public var description: String { rawValue }
    public static func < (a: HallDay, b: HallDay) -> Bool { a.rawValue < b.rawValue }
    public init(from decoder: Decoder) throws { rawValue = try decoder.singleValueContainer().decode(String.self) }
    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(rawValue)
    }
}

/// Maps instants to hall-days and local times of day, for the hall's time zone and day start.
public struct HallCalendar: Sendable, Equatable {
    public let timeZone: TimeZone
    public let dayStartsAtMinutes: Int
    /// The last hall-day looked up and the instants it spans: nearly every lookup (each request
    /// asks for today) falls in it, and Foundation's calendar arithmetic costs several µs.
    private let recent: RecentDay

    public init(timeZone: TimeZone, dayStartsAtMinutes: Int = 0) {
        self.timeZone = timeZone
        self.dayStartsAtMinutes = dayStartsAtMinutes
        // Shared by every calendar of the same zone and day start: `HallConfig.calendar` makes a
        // new value at each use.
        recent = RecentDay.shared(for: "\(timeZone.identifier) \(dayStartsAtMinutes)")
    }

    public static func == (a: HallCalendar, b: HallCalendar) -> Bool {
        a.timeZone == b.timeZone && a.dayStartsAtMinutes == b.dayStartsAtMinutes
    }

    private final class RecentDay: Sendable {
        struct Span { let from: Date, to: Date, day: HallDay }
        private static let all = Mutex<[String: RecentDay]>([:])
        static func shared(for key: String) -> RecentDay {
            all.withLock { all in
                if let r = all[key] { return r }
                let r = RecentDay()
                all[key] = r
                return r
            }
        }
        private let stored = Mutex<Span?>(nil)
        var span: Span? {
            get { stored.withLock { $0 } }
            set { stored.withLock { $0 = newValue } }
        }
    }

    private var gregorian: Calendar {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = timeZone
        return cal
    }

    /// The hall-day `date` belongs to: the local date of `date - day_starts_at`.
    public func day(for date: Date) -> HallDay {
        if let s = recent.span, date >= s.from, date < s.to { return s.day }
        let day = computeDay(for: date)
        let from = start(of: day)
        let to = gregorian.date(byAdding: .day, value: 1, to: from)!
        // Kept only when both ends map to `day` (the mapping never goes back in time, so all
        // between does too): a time-zone change at the day's edge leaves nothing wrong cached.
        if date >= from, date < to, computeDay(for: from) == day, computeDay(for: to.addingTimeInterval(-0.001)) == day {
            recent.span = RecentDay.Span(from: from, to: to, day: day)
        }
        return day
    }

    /// The hall-day of `date` computed afresh, without the remembered span (tests compare).
    func computeDay(for date: Date) -> HallDay {
        let shifted = date.addingTimeInterval(-Double(dayStartsAtMinutes) * 60)
        let c = gregorian.dateComponents([.year, .month, .day], from: shifted)
        return HallDay(String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!))
    }

    /// Minutes after local midnight (wall clock), for opening hours.
    public func minuteOfDay(_ date: Date) -> Int {
        let c = gregorian.dateComponents([.hour, .minute], from: date)
        return c.hour! * 60 + c.minute!
    }

    /// The instant `day` begins.
    public func start(of day: HallDay) -> Date {
        let p = day.rawValue.split(separator: "-").compactMap { Int($0) }
        let midnight = gregorian.date(from: DateComponents(year: p[0], month: p[1], day: p[2]))!
        return gregorian.date(byAdding: .minute, value: dayStartsAtMinutes, to: midnight)!
    }

    /// The first instant after `date` at which a new hall-day begins.
    public func nextDayStart(after date: Date) -> Date {
        let today = day(for: date)
        // Calendar arithmetic, not +86400: a day is not always 24 hours where DST exists.
        return gregorian.date(byAdding: .day, value: 1, to: start(of: today))!
    }

    /// The day before `day`.
    public func previous(_ day: HallDay) -> HallDay {
        self.day(for: start(of: day).addingTimeInterval(-1))
    }
}
