import Foundation

/// Where a value lives in the document: `categories[1].daily_limit`.
///
/// One type serves both as the key shown in a `ConfigError` and as the lookup key of
/// `KeyLocator`, so an error and the line it points at can never disagree about the spelling.
package struct KeyPath: Hashable, Sendable, CustomStringConvertible {
    package enum Component: Hashable, Sendable {
        case key(String)
        case index(Int)
    }

    package var components: [Component]

    package init(_ components: [Component] = []) { self.components = components }

    package static let root = KeyPath()

    package var isRoot: Bool { components.isEmpty }

    package func appending(_ key: String) -> KeyPath { KeyPath(components + [.key(key)]) }
    package func appending(index: Int) -> KeyPath { KeyPath(components + [.index(index)]) }
    package func appending(keys: [String]) -> KeyPath { KeyPath(components + keys.map(Component.key)) }

    /// The path one step up (`categories[1].hours` → `categories[1]` → `categories`), nil at the root.
    package var parent: KeyPath? { isRoot ? nil : KeyPath(Array(components.dropLast())) }

    /// The last named key, for messages such as "unknown key".
    package var lastKey: String? {
        for component in components.reversed() { if case .key(let name) = component { return name } }
        return nil
    }

    package var description: String {
        var text = ""
        for component in components {
            switch component {
            case .key(let name):
                if !text.isEmpty { text += "." }
                text += Self.render(name)
            case .index(let index):
                text += "[\(index)]"
            }
        }
        return text
    }

    /// Bare keys print as written; anything else is quoted the way TOML would need it.
    private static func render(_ name: String) -> String {
        let bare = !name.isEmpty && name.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "_" || scalar == "-")
        }
        if bare { return name }
        let escaped = name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        return "\"" + escaped + "\""
    }
}
