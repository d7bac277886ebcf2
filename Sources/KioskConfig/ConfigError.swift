/// Why a configuration file was refused, pointing at the place to fix.
///
/// The daemon prints `description` and does not start, so the error must name the file, the line
/// and the key in the form an operator types back into an editor:
/// `demo.toml:12: categories[1].daily_limit: must be a positive integer`.
/// Array-of-table indices in `key` count from 0, in file order.
public struct ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file as named by the caller (the `--config` argument), not resolved further.
    public let file: String
    /// 1-based line; nil only when no line applies (the file could not be read at all).
    public let line: Int?
    /// Key path such as `categories[1].daily_limit` or `windows[0].serves[2]`; empty when the
    /// problem concerns the whole file.
    public let key: String
    public let message: String

    public init(file: String, line: Int?, key: String, message: String) {
        self.file = file
        self.line = line
        self.key = key
        self.message = message
    }

    public var description: String {
        var text = file
        if let line { text += ":\(line)" }
        if !key.isEmpty { text += ": \(key)" }
        return text + ": " + message
    }
}
