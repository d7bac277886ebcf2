/// A profile file that cannot be used, with the file and line to fix ("printer.toml:4: baud
/// must be a positive integer"). Line 0 means the file as a whole (a missing key, unreadable).
public struct ProfileError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var message: String

    public init(file: String, line: Int, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String { line > 0 ? "\(file):\(line): \(message)" : "\(file): \(message)" }
}
