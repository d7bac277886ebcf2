import KioskCore

/// `[storage]`: SQLite (the default, a file in the state directory unless `path` says otherwise)
/// or PostgreSQL (`url`), for halls that share one database.
extension StorageSettings {
    static let configKeys: Set<String> = ["backend", "path", "url"]

    init(reading table: TableReader) throws(ConfigError) {
        try table.refuseUnknownKeys(Self.configKeys)
        let backend = try table.choice("backend", among: [Backend.sqlite, .postgres]) ?? .sqlite
        let path = try table.string("path")
        let url = try table.string("url")
        switch backend {
        case .sqlite:
            // A url here would be silently unused: most likely `backend` was forgotten.
            if url != nil { throw table.error("url", "is only used with backend = \"postgres\"") }
            self.init(backend: .sqlite, path: path.map(table.document.resolve))
        case .postgres:
            if path != nil { throw table.error("path", "is only used with backend = \"sqlite\"") }
            guard let url else { throw table.error("url", "is required when backend = \"postgres\"") }
            guard url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") else {
                throw table.error("url", "must start with postgres:// or postgresql://")
            }
            self.init(backend: .postgres, url: url)
        }
    }
}
