import Foundation
import Testing

import KioskConfig

/// What the operator sees when the daemon refuses to start.
@Suite struct ConfigErrorTests {
    @Test func descriptionReadsFileLineKeyMessage() {
        let error = ConfigError(
            file: "demo.toml", line: 12, key: "categories[1].daily_limit", message: "must be a positive integer")
        #expect(error.description == "demo.toml:12: categories[1].daily_limit: must be a positive integer")
    }

    @Test func descriptionLeavesOutWhatIsUnknown() {
        let error = ConfigError(file: "/etc/kioskd/kioskd.toml", line: nil, key: "", message: "cannot read the file")
        #expect(error.description == "/etc/kioskd/kioskd.toml: cannot read the file")
    }

    @Test func missingFileIsNamedWithoutALine() {
        let path = NSTemporaryDirectory() + "/no-such-kioskd-\(UUID().uuidString).toml"
        let error = #expect(throws: ConfigError.self) { try ConfigLoader.load(path: path) }
        #expect(
            error == ConfigError(file: path, line: nil, key: "", message: "cannot read the file: no such file"))
    }

    @Test func fileThatIsNotUTF8IsRefused() throws {
        let path = NSTemporaryDirectory() + "/kioskd-latin1-\(UUID().uuidString).toml"
        try Data([0x5B, 0x68, 0x61, 0x6C, 0x6C, 0x5D, 0x0A, 0xFF, 0xFE]).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let error = #expect(throws: ConfigError.self) { try ConfigLoader.load(path: path) }
        #expect(error?.message == "is not UTF-8 text")
    }

    @Test func directoryIsRefused() {
        let error = #expect(throws: ConfigError.self) { try ConfigLoader.load(path: Fixture.configFolder) }
        #expect(error == ConfigError(file: Fixture.configFolder, line: nil, key: "", message: "is a directory, not a TOML file"))
    }
}
