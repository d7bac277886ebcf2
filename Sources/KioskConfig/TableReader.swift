import TOMLKit

/// Typed access to one TOML table, turning every surprise into a `ConfigError` at the right key.
///
/// Sections read their keys only through this type, so that "wrong type", "empty", "unknown
/// key" and their line numbers are reported the same way everywhere.
package struct TableReader {
    package let table: TOMLTable
    package let path: KeyPath
    package let document: ConfigDocument

    package init(table: TOMLTable, path: KeyPath, document: ConfigDocument) {
        self.table = table
        self.path = path
        self.document = document
    }

    package func error(_ key: String, _ message: String) -> ConfigError {
        document.error(at: path.appending(key), message)
    }

    package func error(_ message: String) -> ConfigError {
        document.error(at: path, message)
    }

    /// Refuses keys this table does not know, so a typo (`daly_limit`) is an error rather than a
    /// silently ignored setting. `reserved` keys are accepted and skipped (later features).
    /// Reports the first offending key in file order.
    /// `noun` names what the keys are ("role" in `[access]`).
    package func refuseUnknownKeys(_ known: Set<String>, reserved: Set<String> = [], noun: String = "key") throws(ConfigError) {
        let first = keysInFileOrder.first { !known.contains($0) && !reserved.contains($0) }
        guard let key = first else { return }
        var message = "unknown \(noun)"
        if let suggestion = Suggestion.closest(to: key, among: known) {
            message += "; did you mean \(suggestion)?"
        } else {
            message += "; expected one of: " + known.sorted().joined(separator: ", ")
        }
        throw error(key, message)
    }

    // MARK: Scalars

    package func string(_ key: String) throws(ConfigError) -> String? {
        guard let value = table[key] else { return nil }
        return try Self.string(value, at: path.appending(key), document: document)
    }

    package func requiredString(_ key: String) throws(ConfigError) -> String {
        guard let value = try string(key) else { throw error(key, "is required") }
        return value
    }

    package func int(_ key: String) throws(ConfigError) -> Int? {
        guard let value = table[key] else { return nil }
        guard value.type == .int, let int = value.int else {
            throw Self.typeMismatch(value, expected: "an integer", at: path.appending(key), document: document)
        }
        return int
    }

    /// An integer of at least `minimum`, for counts and durations.
    package func int(_ key: String, atLeast minimum: Int) throws(ConfigError) -> Int? {
        guard let value = try int(key) else { return nil }
        guard value >= minimum else {
            throw error(key, minimum == 1 ? "must be a positive integer" : "must be an integer of at least \(minimum)")
        }
        return value
    }

    package func bool(_ key: String) throws(ConfigError) -> Bool? {
        guard let value = table[key] else { return nil }
        guard value.type == .bool, let bool = value.bool else {
            throw Self.typeMismatch(value, expected: "a boolean (true or false)", at: path.appending(key), document: document)
        }
        return bool
    }

    /// An id, which people write as `id = "3"` or `id = 3`; both mean `"3"`.
    package func identifier(_ key: String) throws(ConfigError) -> String? {
        guard let value = table[key] else { return nil }
        return try Self.identifier(value, at: path.appending(key), document: document)
    }

    package func requiredIdentifier(_ key: String) throws(ConfigError) -> String {
        guard let value = try identifier(key) else { throw error(key, "is required") }
        return value
    }

    /// One of `options`, written as its raw value; the message lists them all.
    package func choice<Choice: RawRepresentable>(
        _ key: String, among options: [Choice]
    ) throws(ConfigError) -> Choice? where Choice.RawValue == String {
        guard let raw = try string(key) else { return nil }
        guard let choice = options.first(where: { $0.rawValue == raw }) else {
            let options = options.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
            throw error(key, "must be one of \(options), not \"\(raw)\"")
        }
        return choice
    }

    // MARK: Arrays and tables

    /// An array of non-empty strings.
    package func strings(_ key: String) throws(ConfigError) -> [String]? {
        try elements(key, expected: "an array of strings") { value, at throws(ConfigError) in
            try Self.string(value, at: at, document: document)
        }
    }

    /// An array of ids, each a string or an integer.
    package func identifiers(_ key: String) throws(ConfigError) -> [String]? {
        try elements(key, expected: "an array of ids") { value, at throws(ConfigError) in
            try Self.identifier(value, at: at, document: document)
        }
    }

    /// A sub-table (`[access.kiosk]` or the inline `kiosk = { … }`).
    package func table(_ key: String) throws(ConfigError) -> TableReader? {
        guard let value = table[key] else { return nil }
        guard value.type == .table, let table = value.table else {
            throw Self.typeMismatch(value, expected: "a table", at: path.appending(key), document: document)
        }
        return TableReader(table: table, path: path.appending(key), document: document)
    }

    /// An array of tables (`[[categories]]`), each reader pathed `categories[i]`.
    package func tables(_ key: String) throws(ConfigError) -> [TableReader]? {
        try elements(key, expected: "an array of tables ([[\(key)]])") { value, at throws(ConfigError) in
            guard value.type == .table, let table = value.table else {
                throw Self.typeMismatch(value, expected: "a table", at: at, document: document)
            }
            return TableReader(table: table, path: at, document: document)
        }
    }

    private func elements<Element>(
        _ key: String, expected: String,
        _ read: (TOMLValueConvertible, KeyPath) throws(ConfigError) -> Element
    ) throws(ConfigError) -> [Element]? {
        guard let value = table[key] else { return nil }
        guard value.type == .array, let array = value.array else {
            throw Self.typeMismatch(value, expected: expected, at: path.appending(key), document: document)
        }
        var result: [Element] = []
        for index in 0..<array.count {
            result.append(try read(array[index], path.appending(key).appending(index: index)))
        }
        return result
    }

    // MARK: Value conversions

    private static func string(
        _ value: TOMLValueConvertible, at path: KeyPath, document: ConfigDocument
    ) throws(ConfigError) -> String {
        guard value.type == .string, let string = value.string else {
            throw typeMismatch(value, expected: "a string", at: path, document: document)
        }
        guard !string.isBlank else { throw document.error(at: path, "must not be empty") }
        return string
    }

    private static func identifier(
        _ value: TOMLValueConvertible, at path: KeyPath, document: ConfigDocument
    ) throws(ConfigError) -> String {
        if value.type == .int, let int = value.int { return String(int) }
        guard value.type == .string, let string = value.string else {
            throw typeMismatch(value, expected: "a string or an integer", at: path, document: document)
        }
        guard !string.isBlank else { throw document.error(at: path, "must not be empty") }
        return string
    }

    /// "expected an integer, found string \"300\"": the expected type first, then what was
    /// written, so the fix is obvious.
    private static func typeMismatch(
        _ value: TOMLValueConvertible, expected: String, at path: KeyPath, document: ConfigDocument
    ) -> ConfigError {
        var found = "found \(value.type)"
        switch value.type {
        case .table, .array: break
        case .string: found += " \"\(value.string ?? "")\""
        default: found += " \(value.debugDescription)"
        }
        return document.error(at: path, "expected \(expected), \(found)")
    }
}

extension String {
    /// Empty or only whitespace: a value nobody meant to write.
    fileprivate var isBlank: Bool { allSatisfy(\.isWhitespace) }
}

extension TableReader {
    /// This table's keys in the order they are written, for sections whose keys are data
    /// (`[access]` roles), so the first problem reported is the first one in the file.
    package var keysInFileOrder: [String] {
        table.keys.sorted { a, b in
            (document.locator.line(of: path.appending(a)) ?? .max, a)
                < (document.locator.line(of: path.appending(b)) ?? .max, b)
        }
    }
}
