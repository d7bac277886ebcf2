import Foundation
import NIOCore

/// The screen page's files (`screen.html`, `screen.css`, `screen.js`), read once at start.
///
/// Looked for, in order: `/usr/share/kioskd/screens` (an installed kioskd), the SwiftPM resource
/// folder beside the binary (`kioskd_KioskDaemon.resources/Assets`, a build from the repository),
/// and the repository's `Sources/KioskDaemon/Screens/Assets` beside the config's folder. Not
/// through `Bundle.module`, which stops the process when the bundle is missing.
struct ScreenAssets: Sendable {
    struct File: Sendable {
        let bytes: ByteBuffer
        let contentType: String
    }

    let files: [String: File]
    /// Where they were found, or every folder tried when they were not.
    let origin: String

    static let names = ["screen.html": "text/html; charset=utf-8", "screen.css": "text/css; charset=utf-8",
        "screen.js": "text/javascript; charset=utf-8"]

    static func load(configDirectory: String) -> ScreenAssets {
        let executable = URL(fileURLWithPath: CommandLine.arguments.first ?? "kioskd").resolvingSymlinksInPath()
        let folders = [
            "/usr/share/kioskd/screens",
            executable.deletingLastPathComponent().appendingPathComponent("kioskd_KioskDaemon.resources/Assets").path,
            URL(fileURLWithPath: configDirectory).appendingPathComponent("../Sources/KioskDaemon/Screens/Assets").standardized.path,
        ]
        for folder in folders {
            var files: [String: File] = [:]
            for (name, type) in names {
                guard let data = FileManager.default.contents(atPath: folder + "/" + name) else { break }
                files[name] = File(bytes: ByteBuffer(bytes: data), contentType: type)
            }
            if files.count == names.count { return ScreenAssets(files: files, origin: folder) }
        }
        return ScreenAssets(files: [:], origin: folders.joined(separator: ", "))
    }
}
