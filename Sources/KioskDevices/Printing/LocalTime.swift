import Foundation

/// Local wall-clock text for slips ("2026-11-21 09:30"): the hall's time zone, Gregorian
/// calendar, no locale, so a printer in Chongqing prints Beijing time whatever the machine says.
enum LocalTime {
    static func minutes(_ date: Date, in timeZone: TimeZone) -> String {
        let c = components(date, timeZone)
        return String(format: "%04d-%02d-%02d %02d:%02d", c.year!, c.month!, c.day!, c.hour!, c.minute!)
    }

    static func seconds(_ date: Date, in timeZone: TimeZone) -> String {
        let c = components(date, timeZone)
        return String(
            format: "%04d-%02d-%02d %02d:%02d:%02d", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!)
    }

    private static func components(_ date: Date, _ timeZone: TimeZone) -> DateComponents {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = timeZone
        return cal.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
    }
}
