import KioskCore

/// `[[categories]]`: the service lines (业务类别). At least one, with unique ids and unique
/// ticket prefixes — two categories printing "A001" would make the call screen ambiguous.
extension Category {
    static let configKeys: Set<String> = ["id", "name", "prefix", "daily_limit", "hours", "requires_prereview"]

    static func readAll(from root: TableReader) throws(ConfigError) -> [Category] {
        guard let tables = try root.tables("categories"), !tables.isEmpty else {
            throw root.error("categories", "at least one [[categories]] entry is required")
        }
        var categories: [Category] = []
        var firstWithId: [String: Int] = [:]
        var firstWithPrefix: [String: Int] = [:]
        for (index, table) in tables.enumerated() {
            let category = try Category(reading: table)
            if let earlier = firstWithId[category.id] {
                throw table.error("id", "duplicate id \"\(category.id)\", already used by categories[\(earlier)]")
            }
            // Case-insensitive: "a" and "A" sound the same when called out.
            let prefixKey = category.prefix.uppercased()
            if let earlier = firstWithPrefix[prefixKey] {
                throw table.error(
                    "prefix", "duplicate prefix \"\(category.prefix)\", already used by categories[\(earlier)]")
            }
            firstWithId[category.id] = index
            firstWithPrefix[prefixKey] = index
            categories.append(category)
        }
        return categories
    }

    init(reading table: TableReader) throws(ConfigError) {
        try table.refuseUnknownKeys(Self.configKeys)
        let id = try table.requiredIdentifier("id")
        let name = try table.requiredString("name")
        let prefix = try table.requiredString("prefix")
        guard (1...3).contains(prefix.count), prefix.unicodeScalars.allSatisfy(Self.isASCIILetter) else {
            throw table.error("prefix", "must be 1 to 3 ASCII letters, not \"\(prefix)\"")
        }
        let dailyLimit = try table.int("daily_limit", atLeast: 1)
        var hours = OpeningHours.allDay
        if let text = try table.string("hours") {
            guard let parsed = OpeningHours(parsing: text) else {
                throw table.error(
                    "hours",
                    "must be \"HH:MM-HH:MM\" or several such ranges separated by commas, each ending after it starts "
                        + "(e.g. \"08:30-12:00,13:30-17:30\", or \"00:00-24:00\" all day), not \"\(text)\"")
            }
            // Ranges out of order or overlapping are almost always a typo (17:30 for 07:30).
            for (earlier, later) in zip(parsed.ranges, parsed.ranges.dropFirst()) where later.lowerBound < earlier.upperBound {
                throw table.error("hours", "ranges must be in order and must not overlap: \"\(text)\"")
            }
            hours = parsed
        }
        let requiresPrereview = try table.bool("requires_prereview") ?? false
        self.init(
            id: id, name: name, prefix: prefix, dailyLimit: dailyLimit, hours: hours,
            requiresPrereview: requiresPrereview)
    }

    private static func isASCIILetter(_ scalar: Unicode.Scalar) -> Bool {
        ("A"..."Z").contains(scalar) || ("a"..."z").contains(scalar)
    }
}
