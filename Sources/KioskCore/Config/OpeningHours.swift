/// Opening hours of a category, as `"08:30-17:30"` or several ranges `"08:30-12:00,13:30-17:30"`,
/// in the hall's local time. `"00:00-24:00"` is the 24-hour zone.
public struct OpeningHours: Sendable, Equatable, CustomStringConvertible {
    /// Half-open ranges of minutes after local midnight, `start..<end`, end ≤ 1440.
    public var ranges: [Range<Int>]

    public static let allDay = OpeningHours(ranges: [0..<1440])

    public init(ranges: [Range<Int>]) { self.ranges = ranges }

    /// Parses the config form; nil when it is not `HH:MM-HH:MM[,HH:MM-HH:MM…]`.
    public init?(parsing text: String) {
        var ranges: [Range<Int>] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let bounds = part.trimmingCharacters(in: " ").split(separator: "-", omittingEmptySubsequences: false)
            guard bounds.count == 2,
                let start = Self.minutes(bounds[0]), let end = Self.minutes(bounds[1]), start < end
            else { return nil }
            ranges.append(start..<end)
        }
        guard !ranges.isEmpty else { return nil }
        self.ranges = ranges
    }

    public func isOpen(atMinute minute: Int) -> Bool {
        ranges.contains { $0.contains(minute) }
    }

    public var description: String {
        ranges.map { "\(Self.format($0.lowerBound))-\(Self.format($0.upperBound))" }.joined(separator: ",")
    }

    /// `"HH:MM"` to minutes after midnight; `"24:00"` is allowed as an end.
    public static func minutes<S: StringProtocol>(_ text: S) -> Int? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2,
            parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
            let h = Int(parts[0]), let m = Int(parts[1]), (0...24).contains(h), (0..<60).contains(m)
        else { return nil }
        let total = h * 60 + m
        return total <= 1440 ? total : nil
    }

    static func format(_ minutes: Int) -> String {
        let h = minutes / 60, m = minutes % 60
        return (h < 10 ? "0" : "") + "\(h):" + (m < 10 ? "0" : "") + "\(m)"
    }
}

extension StringProtocol {
    fileprivate func trimmingCharacters(in set: Character) -> SubSequence {
        var s = self[...]
        while s.first == set { s = s.dropFirst() }
        while s.last == set { s = s.dropLast() }
        return s
    }
}
