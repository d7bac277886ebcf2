/// Path arithmetic for the config file and the paths written inside it, done on the text alone.
///
/// Foundation's `standardizedFileURL` resolves symlinks for `..` only when the target exists,
/// so the same file could yield different paths on different machines. Lexical rules (as `cd -L`
/// uses) give one answer everywhere and never touch the file system while parsing.
package enum ConfigPath {
    /// `path` made absolute against `base` (an absolute folder), with `.`, `..` and repeated
    /// slashes removed. Absolute paths ignore `base`.
    package static func resolve(_ path: String, against base: String) -> String {
        normalize(path.hasPrefix("/") ? path : base + "/" + path)
    }

    /// `/a/./b//c/../d` → `/a/b/d`; `..` at the root stays at the root.
    package static func normalize(_ absolutePath: String) -> String {
        var parts: [Substring] = []
        for part in absolutePath.split(separator: "/") {
            switch part {
            case ".": continue
            case "..": _ = parts.popLast()
            default: parts.append(part)
            }
        }
        return "/" + parts.joined(separator: "/")
    }

    /// The folder holding `absolutePath`.
    package static func folder(of absolutePath: String) -> String {
        let normalized = normalize(absolutePath)
        guard let slash = normalized.lastIndex(of: "/"), slash != normalized.startIndex else { return "/" }
        return String(normalized[..<slash])
    }
}
