import KioskConfig
import TOMLKit

/// Millimetres and points read from a template: written `25`, `25.5` or `-3`, all meaning a
/// `Double`.
///
/// The hall config has no fractional values, so `TableReader` reads integers only; templates
/// need both forms, with the same file:line:key errors.
extension TableReader {
    func number(_ key: String) throws(ConfigError) -> Double? {
        guard let value = table[key] else { return nil }
        switch value.type {
        case .int:
            if let int = value.int { return Double(int) }
        case .double:
            if let double = value.double, double.isFinite { return double }
            throw error(key, "must be a finite number")
        default:
            break
        }
        var found = "found \(value.type)"
        if value.type == .string { found += " \"\(value.string ?? "")\"" }
        throw error(key, "expected a number (such as 25 or 12.5), \(found)")
    }

    func requiredNumber(_ key: String) throws(ConfigError) -> Double {
        guard let value = try number(key) else { throw error(key, "is required") }
        return value
    }

    /// A length or size: greater than zero.
    func positiveNumber(_ key: String) throws(ConfigError) -> Double? {
        guard let value = try number(key) else { return nil }
        guard value > 0 else { throw error(key, "must be greater than 0, not \(PageSize.format(value))") }
        return value
    }

    func requiredPositiveNumber(_ key: String) throws(ConfigError) -> Double {
        guard let value = try positiveNumber(key) else { throw error(key, "is required") }
        return value
    }

    /// A coordinate on the page: zero or more.
    func requiredCoordinate(_ key: String) throws(ConfigError) -> Double {
        let value = try requiredNumber(key)
        guard value >= 0 else {
            throw error(key, "must be 0 or more (millimetres from the page's top-left corner), not \(PageSize.format(value))")
        }
        return value
    }
}
