import Foundation
import KioskCore
import Testing

@testable import KioskDevices

extension HotplugTests {
    /// Device profiles: a good file, every error with its line, and the profiles we ship.
    @Suite struct ProfileLoaderTests {
        static let good = """
            # Generic printer
            name = "58 mm printer"
            vid = "0416"
            pid = "5011"
            kind = "receipt-printer"
            transport = "usb"
            text_encoding = "utf-8"
            native_qr = true
            paper_width_dots = 384
            chinese_mode = true
            bidirectional = true
            quirks = ["slow-init"]
            """

        @Test func parsesAGoodProfile() throws {
            let p = try ProfileLoader.parse(Self.good, file: "p.toml")
            #expect(
                p == DeviceProfile(
                    name: "58 mm printer", vendorID: "0416", productID: "5011", kind: .receiptPrinter, transport: .usb,
                    textEncoding: .utf8, nativeQR: true, paperWidthDots: 384, chineseMode: true, bidirectional: true,
                    quirks: ["slow-init"], source: "p.toml"))
            #expect(p.usbID == "usb:0416:5011")
        }

        @Test func defaults() throws {
            let p = try ProfileLoader.parse(
                "name = \"r\"\nvid = \"1A86\"\npid = \"7523\"\nkind = \"idcard-reader\"\ntransport = \"serial\"\nbaud = 115200\n",
                file: "r.toml")
            #expect(p.vendorID == "1a86")
            #expect(p.textEncoding == .gb18030)
            #expect(!p.nativeQR && !p.chineseMode && !p.bidirectional)
            #expect(p.quirks.isEmpty && p.paperWidthDots == nil && p.baud == 115200)
        }

        /// Replaces line `line` (1-based) of the good profile, or appends when past the end.
        static func variant(line: Int, _ text: String?) -> String {
            var lines = good.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            if let text {
                if line <= lines.count { lines[line - 1] = text } else { lines.append(text) }
            } else {
                lines.remove(at: line - 1)
            }
            return lines.joined(separator: "\n")
        }

        @Test(arguments: [
            (3, "vid = \"416\"", 3, "vid must be four hex digits"),
            (4, "pid = 5011", 4, "pid must be a non-empty string, found an integer"),
            (5, "kind = \"printer\"", 5, "unknown kind \"printer\""),
            (6, "transport = \"bluetooth\"", 6, "unknown transport"),
            (7, "text_encoding = \"big5\"", 7, "unknown text_encoding"),
            (8, "native_qr = \"yes\"", 8, "native_qr must be true or false"),
            (9, "paper_width_dots = 385", 9, "multiple of 8"),
            (9, "paper_width_dots = -8", 9, "positive integer"),
            (12, "quirks = \"slow-init\"", 12, "quirks must be an array of strings"),
            (13, "nativ_qr = true", 13, "unknown key nativ_qr"),
            (13, "vid = \"0417\"", 13, "vid is already set on line 3"),
            (13, "baud = 0", 13, "baud must be a positive integer"),
            (6, "transport = \"serial\"", 6, "a serial model needs baud"),
            (2, "name = \"\"", 2, "name must be a non-empty string"),
            (2, "name = \"open", 2, "unterminated string"),
        ])
        func reportsEachErrorWithItsLine(_ replace: Int, _ text: String, _ line: Int, _ fragment: String) {
            let source = Self.variant(line: replace, text)
            #expect {
                try ProfileLoader.parse(source, file: "p.toml")
            } throws: { error in
                guard let e = error as? ProfileError else { return false }
                return e.file == "p.toml" && e.line == line && e.message.contains(fragment)
            }
        }

        @Test(arguments: [(3, "vid"), (4, "pid"), (2, "name"), (5, "kind"), (6, "transport")])
        func missingRequiredKey(_ line: Int, _ key: String) {
            #expect {
                try ProfileLoader.parse(Self.variant(line: line, nil), file: "p.toml")
            } throws: { error in
                (error as? ProfileError)?.description == "p.toml: missing key \(key)"
            }
        }

        @Test func loadsAFolderAndRejectsTwoFilesForOneModel() throws {
            let dir = NSTemporaryDirectory() + "kioskd-profiles-\(UUID().uuidString)"
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: dir) }
            try Self.good.write(toFile: dir + "/a.toml", atomically: true, encoding: .utf8)
            try "not a profile".write(toFile: dir + "/README.md", atomically: true, encoding: .utf8)
            let loaded = try ProfileLoader.load(directory: dir)
            #expect(loaded.map(\.source) == [dir + "/a.toml"])
            #expect(ProfileLoader.profile(in: loaded, vendorID: "0416", productID: "5011")?.name == "58 mm printer")
            #expect(ProfileLoader.profile(in: loaded, vendorID: "0416", productID: "5012") == nil)

            try Self.good.replacingOccurrences(of: "58 mm", with: "copy")
                .write(toFile: dir + "/b.toml", atomically: true, encoding: .utf8)
            #expect {
                try ProfileLoader.load(directory: dir)
            } throws: { error in
                (error as? ProfileError)?.description == "\(dir)/b.toml: usb:0416:5011 is already described by \(dir)/a.toml"
            }
        }

        @Test func missingFolderIsAnError() {
            #expect(throws: ProfileError.self) { try ProfileLoader.load(directory: "/nonexistent/profiles") }
        }

        /// Every shipped profile loads: 2 printers, 3 readers, and the 58 mm one has the right width.
        @Test func shippedProfilesLoad() throws {
            let profiles = try ProfileLoader.load(directory: RepoPaths.repo("Devices/profiles"))
            #expect(profiles.count >= 4)
            #expect(Set(profiles.map(\.usbID)).isSuperset(of: ["usb:0416:5011", "usb:04b8:0202", "usb:1a86:7523"]))
            let p58 = try #require(ProfileLoader.profile(in: profiles, vendorID: "0416", productID: "5011"))
            #expect(p58.kind == .receiptPrinter && p58.paperWidthDots == 384)
            for reader in profiles where reader.kind == .idcardReader && reader.transport == .serial {
                #expect(reader.baud != nil)
            }
        }
    }
}
