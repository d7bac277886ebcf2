import KioskCore

/// `[hall]`: which service hall this is. Required, because tickets, receipts and shared
/// databases are labelled with the hall's code.
extension HallInfo {
    static let configKeys: Set<String> = ["code", "name"]

    init(reading table: TableReader) throws(ConfigError) {
        try table.refuseUnknownKeys(Self.configKeys)
        self.init(code: try table.requiredString("code"), name: try table.requiredString("name"))
    }
}
