import KioskCore

/// `[[screens]]`: hall screens. Their categories and windows must exist; the id "assets" is
/// taken by the page's own files (`/screens/assets/…`).
extension ScreenConfig {
    static let configKeys: Set<String> = ["id", "name", "categories", "windows", "calls", "voice", "notice"]

    static func readAll(from root: TableReader, categories: [Category], windows: [Window]) throws(ConfigError) -> [ScreenConfig] {
        let tables = try root.tables("screens") ?? []
        var screens: [ScreenConfig] = []
        var firstWithId: [String: Int] = [:]
        for (index, table) in tables.enumerated() {
            let screen = try ScreenConfig(reading: table, categories: categories.map(\.id), windows: windows.map(\.id))
            if let earlier = firstWithId[screen.id] {
                throw table.error("id", "duplicate id \"\(screen.id)\", already used by screens[\(earlier)]")
            }
            firstWithId[screen.id] = index
            screens.append(screen)
        }
        return screens
    }

    init(reading table: TableReader, categories: [String], windows: [String]) throws(ConfigError) {
        try table.refuseUnknownKeys(Self.configKeys)
        let id = try table.requiredIdentifier("id")
        if id == "assets" { throw table.error("id", "\"assets\" is reserved for the screen page's files; choose another id") }
        let name = try table.requiredString("name")
        let shownCategories = try Self.subset(table, "categories", of: categories, noun: "category")
        let shownWindows = try Self.subset(table, "windows", of: windows, noun: "window")
        let calls = try table.int("calls", atLeast: 1) ?? 6
        guard calls <= 20 else { throw table.error("calls", "must be from 1 to 20, not \(calls)") }
        let notice = try table.string("notice")
        if let notice, notice.contains(where: \.isNewline) { throw table.error("notice", "must be one line") }
        self.init(id: id, name: name, categories: shownCategories, windows: shownWindows, calls: calls,
            voice: try table.bool("voice") ?? false, notice: notice)
    }

    /// The ids listed under `key` (each known, none twice), or nil when the key is absent (= all).
    private static func subset(_ table: TableReader, _ key: String, of known: [String], noun: String) throws(ConfigError) -> [String]? {
        guard let ids = try table.identifiers(key) else { return nil }
        guard !ids.isEmpty else { throw table.error(key, "must list at least one \(noun) id, or be left out for all") }
        var seen: Set<String> = []
        for (index, id) in ids.enumerated() {
            let at = table.path.appending(key).appending(index: index)
            guard known.contains(id) else {
                throw table.document.error(at: at, "no \(noun) has id \"\(id)\"; known: \(known.joined(separator: ", "))")
            }
            guard seen.insert(id).inserted else { throw table.document.error(at: at, "\(noun) \"\(id)\" is listed twice") }
        }
        return ids
    }
}
