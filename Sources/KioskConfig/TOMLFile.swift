import Foundation
import TOMLKit

/// A TOML file other than the main config (a ticket layout), read with the same error
/// reporting: every problem names the file, line and key.
enum TOMLFile {
    /// The file's root table. `shownAs` is how errors name the file (the path as the operator
    /// wrote it in the config); relative paths inside resolve against the file's own folder.
    static func read(_ absolutePath: String, shownAs: String) throws(ConfigError) -> TableReader {
        guard let data = FileManager.default.contents(atPath: absolutePath) else {
            let exists = FileManager.default.fileExists(atPath: absolutePath)
            throw ConfigError(file: shownAs, line: nil, key: "", message: exists ? "cannot read the file" : "no such file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigError(file: shownAs, line: nil, key: "", message: "is not UTF-8 text")
        }
        return try parse(text, file: shownAs, baseDirectory: ConfigPath.folder(of: absolutePath))
    }

    /// TOML `text` as the root table. `file` labels errors; `baseDirectory` (absolute) is what
    /// relative paths inside resolve against.
    static func parse(_ text: String, file: String, baseDirectory: String) throws(ConfigError) -> TableReader {
        let locator = KeyLocator(source: text)
        let document = ConfigDocument(file: file, locator: locator, baseDirectory: baseDirectory)
        do {
            return TableReader(table: try TOMLTable(string: text), path: .root, document: document)
        } catch let error as TOMLParseError {
            let line = error.source.begin.line
            throw ConfigError(
                file: file, line: line, key: locator.keyPath(atLine: line)?.description ?? "",
                message: "invalid TOML: \(error.description)")
        } catch {
            throw ConfigError(file: file, line: nil, key: "", message: "invalid TOML: \(error)")
        }
    }
}
