import KioskCore

/// `[access]`: which local users and groups get which role on the socket, one entry per role:
/// `kiosk = { users = ["kiosk"], groups = [] }`. Role names are `KioskCore.Role`'s; anything
/// else is refused, because a misspelt role would silently grant nothing.
extension AccessTable {
    static let ruleKeys: Set<String> = ["users", "groups"]

    init(reading table: TableReader) throws(ConfigError) {
        try table.refuseUnknownKeys(Set(Role.allCases.map(\.rawValue)), noun: "role")
        var rules: [Role: Rule] = [:]
        for key in table.keysInFileOrder {
            guard let role = Role(rawValue: key), let rule = try table.table(key) else { continue }
            try rule.refuseUnknownKeys(Self.ruleKeys)
            rules[role] = Rule(users: try rule.strings("users") ?? [], groups: try rule.strings("groups") ?? [])
        }
        self.init(rules: rules)
    }
}
