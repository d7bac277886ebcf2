import Foundation
import Testing

@testable import KioskConfig
import KioskCore

/// Shared helpers: documents are parsed as `hall.toml` in `/etc/kioskd`, so expected errors and
/// resolved paths are fixed strings.
enum Fixture {
    static let file = "hall.toml"
    static let folder = "/etc/kioskd"

    /// The repository's `Config/` folder, found from this source file.
    static let configFolder: String = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // KioskConfigTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // repository root
        .appendingPathComponent("Config").path

    static func parse(_ text: String) throws(ConfigError) -> HallConfig {
        try ConfigLoader.parse(text, file: file, baseDirectory: folder)
    }

    /// The error `text` is refused with; records a test failure if it loads.
    static func refusal(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> ConfigError? {
        do {
            let config = try parse(text)
            Issue.record("expected a refusal, but the config loaded: \(config)", sourceLocation: sourceLocation)
            return nil
        } catch {
            return error
        }
    }

    /// The smallest valid hall, 8 lines; tests append to it and count lines from 9.
    static let minimal = """
        [hall]
        code = "500107-01"
        name = "Test hall"

        [[categories]]
        id = "A"
        name = "企业开办"
        prefix = "A"

        """
}
