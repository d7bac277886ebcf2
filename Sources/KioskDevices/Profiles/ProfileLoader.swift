import Foundation
import KioskCore

/// Reads device profiles: one file (`parse`) or the whole `Devices/profiles` folder (`load`).
///
/// Strict on purpose: an unknown key is an error (a typo such as `nativ_qr` would otherwise
/// silently print raster QR codes forever), and so is a second file for the same VID:PID.
public enum ProfileLoader {
    /// Keys a profile may have; `vid`, `pid`, `name`, `kind` and `transport` are required.
    public static let keys: Set<String> = [
        "name", "vid", "pid", "kind", "transport", "baud", "text_encoding", "native_qr",
        "paper_width_dots", "chinese_mode", "bidirectional", "quirks",
    ]

    /// Parses one profile; `file` names it in errors.
    public static func parse(_ text: String, file: String) throws(ProfileError) -> DeviceProfile {
        let entries: [FlatTOML.Entry]
        do {
            entries = try FlatTOML.parse(text)
        } catch {
            throw ProfileError(file: file, line: error.line, message: error.message)
        }
        var fields = Fields(file: file)
        for entry in entries {
            guard keys.contains(entry.key) else {
                throw ProfileError(
                    file: file, line: entry.line,
                    message: "unknown key \(entry.key) (known: \(keys.sorted().joined(separator: ", ")))")
            }
            fields.entries[entry.key] = entry
        }
        let vid = try fields.hex4("vid")
        let pid = try fields.hex4("pid")
        let kind = try fields.enumeration("kind", DeviceConfig.Kind.self)
        let transport = try fields.enumeration("transport", DeviceConfig.Transport.self)
        let baud = try fields.optionalInt("baud", positive: true)
        if transport == .serial, baud == nil {
            throw ProfileError(file: file, line: fields.entries["transport"]!.line, message: "a serial model needs baud")
        }
        let paperWidth = try fields.optionalInt("paper_width_dots", positive: true)
        if let paperWidth, paperWidth % 8 != 0 {
            throw ProfileError(
                file: file, line: fields.entries["paper_width_dots"]!.line,
                message: "paper_width_dots must be a multiple of 8 (384 for 58 mm, 576 for 80 mm), not \(paperWidth)")
        }
        return DeviceProfile(
            name: try fields.string("name"), vendorID: vid, productID: pid, kind: kind, transport: transport,
            baud: baud,
            textEncoding: try fields.optionalEnumeration("text_encoding", DeviceProfile.TextEncoding.self) ?? .gb18030,
            nativeQR: try fields.optionalBool("native_qr") ?? false, paperWidthDots: paperWidth,
            chineseMode: try fields.optionalBool("chinese_mode") ?? false,
            bidirectional: try fields.optionalBool("bidirectional") ?? false,
            quirks: try fields.optionalStrings("quirks") ?? [], source: file)
    }

    /// Every `*.toml` in `directory`, in file-name order. Throws on the first bad file, or when
    /// two files describe the same VID:PID.
    public static func load(directory: String) throws(ProfileError) -> [DeviceProfile] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".toml") }.sorted()
        } catch {
            throw ProfileError(file: directory, line: 0, message: "cannot list profiles: \(error.localizedDescription)")
        }
        var profiles: [DeviceProfile] = []
        for name in names {
            let path = (directory as NSString).appendingPathComponent(name)
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw ProfileError(file: path, line: 0, message: "cannot read the file as UTF-8")
            }
            let profile = try parse(text, file: path)
            if let other = profiles.first(where: { $0.usbID == profile.usbID }) {
                throw ProfileError(
                    file: path, line: 0, message: "\(profile.usbID) is already described by \(other.source)")
            }
            profiles.append(profile)
        }
        return profiles
    }

    /// The profile for a plugged-in device's IDs.
    public static func profile(
        in profiles: [DeviceProfile], vendorID: String?, productID: String?
    ) -> DeviceProfile? {
        profiles.first { $0.vendorID == vendorID?.lowercased() && $0.productID == productID?.lowercased() }
    }
}

/// The typed accessors, each throwing with the key's line.
private struct Fields {
    let file: String
    var entries: [String: FlatTOML.Entry] = [:]

    func fail(_ key: String, _ message: String) -> ProfileError {
        ProfileError(file: file, line: entries[key]?.line ?? 0, message: message)
    }

    func required(_ key: String) throws(ProfileError) -> FlatTOML.Entry {
        guard let entry = entries[key] else { throw ProfileError(file: file, line: 0, message: "missing key \(key)") }
        return entry
    }

    func string(_ key: String) throws(ProfileError) -> String {
        let entry = try required(key)
        guard case .string(let s) = entry.value, !s.isEmpty else {
            throw fail(key, "\(key) must be a non-empty string, found \(entry.value.typeName)")
        }
        return s
    }

    func hex4(_ key: String) throws(ProfileError) -> String {
        let s = try string(key)
        guard s.count == 4, s.allSatisfy(\.isHexDigit) else {
            throw fail(key, "\(key) must be four hex digits as lsusb shows them (\"0416\"), not \"\(s)\"")
        }
        return s.lowercased()
    }

    func enumeration<E: RawRepresentable & CaseIterable>(_ key: String, _: E.Type) throws(ProfileError) -> E
    where E.RawValue == String {
        let s = try string(key)
        guard let value = E(rawValue: s) else {
            let allowed = E.allCases.map(\.rawValue).joined(separator: ", ")
            throw fail(key, "unknown \(key) \"\(s)\" (one of: \(allowed))")
        }
        return value
    }

    func optionalEnumeration<E: RawRepresentable & CaseIterable>(_ key: String, _ type: E.Type) throws(ProfileError)
        -> E? where E.RawValue == String
    {
        entries[key] == nil ? nil : try enumeration(key, type)
    }

    func optionalInt(_ key: String, positive: Bool) throws(ProfileError) -> Int? {
        guard let entry = entries[key] else { return nil }
        guard case .integer(let n) = entry.value else {
            throw fail(key, "\(key) must be an integer, found \(entry.value.typeName)")
        }
        if positive, n <= 0 { throw fail(key, "\(key) must be a positive integer, not \(n)") }
        return n
    }

    func optionalBool(_ key: String) throws(ProfileError) -> Bool? {
        guard let entry = entries[key] else { return nil }
        guard case .boolean(let b) = entry.value else {
            throw fail(key, "\(key) must be true or false, found \(entry.value.typeName)")
        }
        return b
    }

    func optionalStrings(_ key: String) throws(ProfileError) -> [String]? {
        guard let entry = entries[key] else { return nil }
        guard case .strings(let items) = entry.value else {
            throw fail(key, "\(key) must be an array of strings, found \(entry.value.typeName)")
        }
        return items
    }
}
