import KioskCore

/// `[[departments]]`: the approving departments, their seal images and the certificate types each
/// may seal. Ids are unique because print orders name their department by id. Whether each type
/// exists is checked by the template loader, which knows the templates.
extension Department {
    static let configKeys: Set<String> = ["id", "name", "seal", "types"]

    static func readAll(from root: TableReader) throws(ConfigError) -> [Department] {
        let tables = try root.tables("departments") ?? []
        var departments: [Department] = []
        var firstWithId: [String: Int] = [:]
        for (index, table) in tables.enumerated() {
            let department = try Department(reading: table)
            if let earlier = firstWithId[department.id] {
                throw table.error("id", "duplicate id \"\(department.id)\", already used by departments[\(earlier)]")
            }
            firstWithId[department.id] = index
            departments.append(department)
        }
        return departments
    }

    init(reading table: TableReader) throws(ConfigError) {
        try table.refuseUnknownKeys(Self.configKeys)
        let id = try table.requiredIdentifier("id")
        let name = try table.requiredString("name")
        let seal = table.document.resolve(try table.requiredString("seal"))
        guard let types = try table.identifiers("types") else { throw table.error("types", "is required") }
        guard !types.isEmpty else {
            throw table.error("types", "must list at least one certificate type (template id) this department may seal")
        }
        var seen: Set<String> = []
        for (index, type) in types.enumerated() where !seen.insert(type).inserted {
            throw table.document.error(at: table.path.appending("types").appending(index: index), "type \"\(type)\" is listed twice")
        }
        self.init(id: id, name: name, seal: seal, types: types)
    }
}
