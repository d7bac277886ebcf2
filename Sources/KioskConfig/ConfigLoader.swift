import Foundation
import KioskCore
import TOMLKit

/// Turns a kioskd TOML file into a validated `HallConfig`, or a `ConfigError` naming file, line
/// and key. The daemon calls this once at start-up and refuses to start on any error, so
/// everything that can be checked without touching devices or the database is checked here.
public enum ConfigLoader {
    /// Top-level tables the loader understands.
    static let sections: Set<String> = [
        "daemon", "hall", "storage", "queue", "categories", "windows", "access", "devices", "certificates",
        "departments", "http", "screens", "voice",
    ]

    /// Reads and validates the file; relative paths inside resolve against the file's folder.
    /// Errors name `path` as given, which is what the operator typed.
    public static func load(path: String) throws(ConfigError) -> HallConfig {
        let absolute = ConfigPath.resolve(path, against: FileManager.default.currentDirectoryPath)
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: absolute, isDirectory: &isDirectory), isDirectory.boolValue {
            throw ConfigError(file: path, line: nil, key: "", message: "is a directory, not a TOML file")
        }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: absolute))
        } catch {
            throw ConfigError(file: path, line: nil, key: "", message: "cannot read the file: \(Self.reason(error))")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigError(file: path, line: nil, key: "", message: "is not UTF-8 text")
        }
        return try parse(text, file: path, baseDirectory: ConfigPath.folder(of: absolute))
    }

    /// Validates TOML `text`. `file` only labels errors; relative paths inside resolve against
    /// `baseDirectory` (itself made absolute against the current directory).
    public static func parse(_ text: String, file: String, baseDirectory: String) throws(ConfigError) -> HallConfig {
        let base = ConfigPath.resolve(baseDirectory, against: FileManager.default.currentDirectoryPath)
        let root = try TOMLFile.parse(text, file: file, baseDirectory: base)
        try root.refuseUnknownKeys(sections, noun: "table")

        // Sections in the order they are usually written, so the first error reported tends to
        // be the first in the file; missing required tables are reported after the present
        // ones are checked.
        let daemon = try root.table("daemon").map { table throws(ConfigError) in try DaemonSettings(reading: table) }
        let hall = try root.table("hall").map { table throws(ConfigError) in try HallInfo(reading: table) }
        let storage = try root.table("storage").map { table throws(ConfigError) in try StorageSettings(reading: table) }
        let queue = try root.table("queue").map { table throws(ConfigError) in try QueueSettings(reading: table) }
        guard let hall else {
            throw root.error("hall", "the [hall] table is required (code and name of the service hall)")
        }
        let categories = try Category.readAll(from: root)
        let windows = try Window.readAll(from: root, categories: categories)
        let access = try root.table("access").map { table throws(ConfigError) in try AccessTable(reading: table) }
        let devices = try DeviceConfig.readAll(from: root, windows: windows)
        let certificates = try CertificatesConfig.read(from: root, hall: hall, devices: devices)
        let http = try root.table("http").map { table throws(ConfigError) in try HTTPSettings(reading: table) }
        let screens = try ScreenConfig.readAll(from: root, categories: categories, windows: windows)
        let voice = try VoiceSettings.read(from: root)
        // The [voice] table's device is listed, tested and watched as "voice": an entry of that
        // id would hide it.
        if voice != nil, let index = devices.firstIndex(where: { $0.id == VoiceSettings.deviceID }),
            let table = try root.tables("devices")?[index] {
            throw table.error("id", "\"\(VoiceSettings.deviceID)\" is the id of the [voice] table's device; give this entry another id")
        }

        var config = HallConfig(
            daemon: daemon ?? DaemonSettings(), hall: hall, storage: storage ?? StorageSettings(),
            queue: queue ?? QueueSettings(), categories: categories, windows: windows,
            access: access ?? AccessTable(), devices: devices)
        config.certificates = certificates
        config.http = http
        config.screens = screens
        config.voice = voice
        return config
    }

    /// A short reason instead of Foundation's "The operation could not be completed."
    private static func reason(_ error: any Error) -> String {
        switch (error as? CocoaError)?.code {
        case .fileReadNoSuchFile?, .fileNoSuchFile?: return "no such file"
        case .fileReadNoPermission?: return "permission denied"
        default: return error.localizedDescription
        }
    }
}
