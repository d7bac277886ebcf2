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
        let fields = try ProfileFields(parsing: text, file: file, keys: keys)
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
            // Window-device protocols (`family = …`) live in the same folder: WindowDeviceProfile.
            if WindowDeviceProfile.isWindowProfile(text) { continue }
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
