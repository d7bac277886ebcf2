/// What every section reader needs besides its own table: the file's name for errors, the line
/// locator, and the folder that relative paths are relative to.
package struct ConfigDocument: Sendable {
    package let file: String
    package let locator: KeyLocator
    /// Absolute folder of the config file.
    package let baseDirectory: String

    package init(file: String, locator: KeyLocator, baseDirectory: String) {
        self.file = file
        self.locator = locator
        self.baseDirectory = baseDirectory
    }

    /// An error at `path`, on the line where `path` (or its nearest enclosing key) is written;
    /// line 1 when nothing on the path is in the file, such as a missing required table.
    package func error(at path: KeyPath, _ message: String) -> ConfigError {
        ConfigError(file: file, line: locator.line(of: path) ?? 1, key: path.description, message: message)
    }

    /// `path` made absolute against the config file's folder, so the daemon behaves the same
    /// whatever directory it was started from. Absolute paths are kept as written.
    package func resolve(_ path: String) -> String {
        ConfigPath.resolve(path, against: baseDirectory)
    }
}
