import Foundation
import KioskConfig
import TOMLKit

/// Reads the templates folder (`[certificates] templates = "certificates"`): every `*.toml` in
/// it is one template, named by its file.
///
/// Loaded with the hall config, so that a broken template stops the daemon at start-up with a
/// `file:line: key: message` error instead of failing on the first print order.
public enum TemplateLoader {
    /// Every template in `folder`, sorted by id. Subfolders (seals, backgrounds) are not read.
    /// Errors name the files as `folder/<id>.toml`, with `folder` as given.
    public static func loadFolder(_ folder: String) throws(ConfigError) -> [CertificateTemplate] {
        let absolute = ConfigPath.resolve(folder, against: FileManager.default.currentDirectoryPath)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: absolute, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ConfigError(file: folder, line: nil, key: "", message: "no such folder (the certificate templates)")
        }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: absolute)
        } catch {
            throw ConfigError(file: folder, line: nil, key: "", message: "cannot list the folder: \(error.localizedDescription)")
        }
        let separator = folder.hasSuffix("/") ? "" : "/"
        return try names.filter { $0.hasSuffix(".toml") && !$0.hasPrefix(".") }.sorted().map { name throws(ConfigError) in
            try load(path: folder + separator + name)
        }
    }

    /// One template file; its id is the file name without `.toml`.
    public static func load(path: String) throws(ConfigError) -> CertificateTemplate {
        let absolute = ConfigPath.resolve(path, against: FileManager.default.currentDirectoryPath)
        guard let data = FileManager.default.contents(atPath: absolute) else {
            let exists = FileManager.default.fileExists(atPath: absolute)
            throw ConfigError(file: path, line: nil, key: "", message: exists ? "cannot read the file" : "no such file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigError(file: path, line: nil, key: "", message: "is not UTF-8 text")
        }
        let fileName = String(absolute.split(separator: "/").last ?? "")
        let id = fileName.hasSuffix(".toml") ? String(fileName.dropLast(5)) : fileName
        return try parse(text, id: id, file: path, baseDirectory: ConfigPath.folder(of: absolute))
    }

    /// A template from TOML `text`. `file` labels errors; `baseDirectory` is what the background
    /// path is relative to.
    public static func parse(
        _ text: String, id: String, file: String, baseDirectory: String
    ) throws(ConfigError) -> CertificateTemplate {
        guard isTemplateId(id) else {
            throw ConfigError(
                file: file, line: nil, key: "",
                message: "the file name must be a template id: lower-case letters, digits and '-' (such as public-health-license.toml)")
        }
        let locator = KeyLocator(source: text)
        let base = ConfigPath.resolve(baseDirectory, against: FileManager.default.currentDirectoryPath)
        let document = ConfigDocument(file: file, locator: locator, baseDirectory: base)
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            let line = error.source.begin.line
            throw ConfigError(
                file: file, line: line, key: locator.keyPath(atLine: line)?.description ?? "",
                message: "invalid TOML: \(error.description)")
        } catch {
            throw ConfigError(file: file, line: nil, key: "", message: "invalid TOML: \(error)")
        }
        return try CertificateTemplate(reading: TableReader(table: table, path: .root, document: document), id: id)
    }

    /// `public-health-license`: what orders and URLs carry, so no spaces, capitals or dots.
    static func isTemplateId(_ id: String) -> Bool {
        !id.isEmpty && !id.hasPrefix("-")
            && id.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    }
}
