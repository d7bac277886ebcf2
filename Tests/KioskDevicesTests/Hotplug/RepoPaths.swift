import Foundation

extension HotplugTests {
    /// Where the tests find the repository's files and the helper binary.
    enum RepoPaths {
        /// The repository root: the nearest folder above this file (Tests/KioskDevicesTests/Hotplug/)
        /// that has `Package.swift` and `Devices/`.
        static let root: String = {
            var url = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
            while url.path != "/" {
                url.deleteLastPathComponent()
                let fm = FileManager.default
                if fm.fileExists(atPath: url.path + "/Package.swift"), fm.fileExists(atPath: url.path + "/Devices") {
                    return url.path
                }
            }
            return FileManager.default.currentDirectoryPath
        }()

        static func repo(_ relative: String) -> String { root + "/" + relative }

        /// `kiosk-devtool`, built beside the test bundle (`.build/debug/`), which `swift test` builds
        /// with everything else.
        static let devtool: String = {
            var url = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            // …/debug/kioskdPackageTests.xctest (a file on Linux; a bundle folder on macOS)
            while url.path != "/" {
                url.deleteLastPathComponent()
                let candidate = url.appendingPathComponent("kiosk-devtool").path
                if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
                if url.lastPathComponent == "debug" || url.lastPathComponent == "release" { break }
            }
            return url.appendingPathComponent("kiosk-devtool").path
        }()

        static func executable(_ path: String) -> Bool { FileManager.default.isExecutableFile(atPath: path) }

        /// umockdev-run and umockdev-wrapper installed (scripts/setup installs them).
        static var haveUmockdev: Bool {
            executable("/usr/bin/umockdev-run") && executable("/usr/bin/umockdev-wrapper")
        }
    }
}
