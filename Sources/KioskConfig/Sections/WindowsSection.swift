import KioskCore

/// `[[windows]]`: the counters and the categories each serves, in precedence order. Every
/// served category must exist, since a window calling for a category nobody can issue is a
/// configuration mistake, not a quiet hall.
extension Window {
    static let configKeys: Set<String> = ["id", "name", "serves", "prereview", "voice_name"]

    static func readAll(from root: TableReader, categories: [Category]) throws(ConfigError) -> [Window] {
        let tables = try root.tables("windows") ?? []
        let categoryIds = Set(categories.map(\.id))
        var windows: [Window] = []
        var firstWithId: [String: Int] = [:]
        for (index, table) in tables.enumerated() {
            let window = try Window(reading: table, categoryIds: categoryIds)
            if let earlier = firstWithId[window.id] {
                throw table.error("id", "duplicate id \"\(window.id)\", already used by windows[\(earlier)]")
            }
            firstWithId[window.id] = index
            windows.append(window)
        }
        return windows
    }

    init(reading table: TableReader, categoryIds: Set<String>) throws(ConfigError) {
        try table.refuseUnknownKeys(Self.configKeys)
        let id = try table.requiredIdentifier("id")
        let name = try table.requiredString("name")
        guard let serves = try table.identifiers("serves") else { throw table.error("serves", "is required") }
        guard !serves.isEmpty else {
            throw table.error("serves", "must list at least one category id")
        }
        let servesPath = table.path.appending("serves")
        var seen: Set<String> = []
        for (index, categoryId) in serves.enumerated() {
            let at = servesPath.appending(index: index)
            guard categoryIds.contains(categoryId) else {
                throw table.document.error(
                    at: at, "no category has id \"\(categoryId)\"; known: \(categoryIds.sorted().joined(separator: ", "))")
            }
            guard seen.insert(categoryId).inserted else {
                throw table.document.error(at: at, "category \"\(categoryId)\" is listed twice")
            }
        }
        self.init(
            id: id, name: name, serves: serves, prereview: try table.bool("prereview") ?? false,
            voiceName: try table.string("voice_name"))
    }
}
