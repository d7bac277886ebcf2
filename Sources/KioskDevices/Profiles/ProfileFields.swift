import KioskCore

/// The typed accessors, each throwing with the key's line.
struct ProfileFields {
    let file: String
    var entries: [String: FlatTOML.Entry] = [:]

    /// Parses `text` (named `file` in errors), refusing a key outside `keys`: a typo would
    /// otherwise be silently ignored forever.
    init(parsing text: String, file: String, keys: Set<String>) throws(ProfileError) {
        self.file = file
        let parsed: [FlatTOML.Entry]
        do {
            parsed = try FlatTOML.parse(text)
        } catch {
            throw ProfileError(file: file, line: error.line, message: error.message)
        }
        for entry in parsed {
            guard keys.contains(entry.key) else {
                throw ProfileError(
                    file: file, line: entry.line,
                    message: "unknown key \(entry.key) (known: \(keys.sorted().joined(separator: ", ")))")
            }
            entries[entry.key] = entry
        }
    }

    func fail(_ key: String, _ message: String) -> ProfileError {
        ProfileError(file: file, line: entries[key]?.line ?? 0, message: message)
    }

    func required(_ key: String) throws(ProfileError) -> FlatTOML.Entry {
        guard let entry = entries[key] else { throw ProfileError(file: file, line: 0, message: "missing key \(key)") }
        return entry
    }

    func string(_ key: String) throws(ProfileError) -> String {
        let entry = try required(key)
        guard case .string(let s) = entry.value, !s.isEmpty else {
            throw fail(key, "\(key) must be a non-empty string, found \(entry.value.typeName)")
        }
        return s
    }

    func hex4(_ key: String) throws(ProfileError) -> String {
        let s = try string(key)
        guard s.count == 4, s.allSatisfy(\.isHexDigit) else {
            throw fail(key, "\(key) must be four hex digits as lsusb shows them (\"0416\"), not \"\(s)\"")
        }
        return s.lowercased()
    }

    func enumeration<E: RawRepresentable & CaseIterable>(_ key: String, _: E.Type) throws(ProfileError) -> E
    where E.RawValue == String {
        let s = try string(key)
        guard let value = E(rawValue: s) else {
            let allowed = E.allCases.map(\.rawValue).joined(separator: ", ")
            throw fail(key, "unknown \(key) \"\(s)\" (one of: \(allowed))")
        }
        return value
    }

    func optionalEnumeration<E: RawRepresentable & CaseIterable>(_ key: String, _ type: E.Type) throws(ProfileError)
        -> E? where E.RawValue == String
    {
        entries[key] == nil ? nil : try enumeration(key, type)
    }

    func optionalInt(_ key: String, positive: Bool) throws(ProfileError) -> Int? {
        guard let entry = entries[key] else { return nil }
        guard case .integer(let n) = entry.value else {
            throw fail(key, "\(key) must be an integer, found \(entry.value.typeName)")
        }
        if positive, n <= 0 { throw fail(key, "\(key) must be a positive integer, not \(n)") }
        return n
    }

    func optionalBool(_ key: String) throws(ProfileError) -> Bool? {
        guard let entry = entries[key] else { return nil }
        guard case .boolean(let b) = entry.value else {
            throw fail(key, "\(key) must be true or false, found \(entry.value.typeName)")
        }
        return b
    }

    func optionalStrings(_ key: String) throws(ProfileError) -> [String]? {
        guard let entry = entries[key] else { return nil }
        guard case .strings(let items) = entry.value else {
            throw fail(key, "\(key) must be an array of strings, found \(entry.value.typeName)")
        }
        return items
    }
}
