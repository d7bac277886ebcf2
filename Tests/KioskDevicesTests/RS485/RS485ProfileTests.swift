import Foundation
import Testing

@testable import KioskDevices

/// Window-device profiles are data: the shipped files parse to the built-in values, a vendor's
/// variant changes what it names, and mistakes are refused with the file and line.
@Suite struct RS485ProfileTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../../Devices/profiles").standardized.path

    @Test func theShippedProfilesAreTheBuiltInValues() throws {
        let shipped = try WindowDeviceProfile.load(directory: Self.folder)
        for family in WindowDeviceProfile.Family.allCases {
            var file = try #require(shipped[family.rawValue])
            var builtIn = WindowDeviceProfile.builtIn(family)
            (file.name, file.source, builtIn.name, builtIn.source) = ("", "", "", "")
            #expect(file == builtIn, "\(family.rawValue)")
        }
        // The model profiles' loader leaves them alone.
        #expect(try ProfileLoader.load(directory: Self.folder).allSatisfy { !$0.source.hasSuffix("led-a5.toml") })
    }

    @Test func aVendorVariantChangesCodesTextsAndColours() throws {
        let p = try WindowDeviceProfile.parse("""
            name = "Vendor X strip"
            family = "led-a5"
            colour_red = "04"
            called_text = "{number} 请到{window}"
            called_colour = "red"
            retries = 0
            """, file: "x.toml")
        #expect(p.called == .init(text: "{number} 请到{window}", mode: 0x01, colour: 0x04))
        #expect(p.retries == 0)
        let k = try WindowDeviceProfile.parse("name = \"K\"\nfamily = \"keypad-68\"\nfunction_call_next = \"21\"\n", file: "k.toml")
        #expect(k.functions[0x21] == .callNext && k.functions[0x0C] == nil)
    }

    @Test(arguments: [
        ("name = \"x\"\nfamily = \"led-a5\"\ncalled_mode = \"wobbly\"\n", 3, "called_mode must be one of steady, blinking"),
        ("name = \"x\"\nfamily = \"keypad-68\"\nfunction_recall = \"0C\"\n", 0, "function code 0C is already"),
        ("name = \"x\"\nfamily = \"led-a5\"\nfunction_pause = \"1\"\n", 3, "must be one byte in hex"),
        ("name = \"x\"\nfamily = \"led-b7\"\n", 2, "unknown family"),
        ("name = \"x\"\nfamily = \"led-a5\"\ncolor_red = \"01\"\n", 3, "unknown key color_red"),
    ])
    func mistakesAreRefusedWithTheirLine(text: String, line: Int, message: String) {
        do {
            _ = try WindowDeviceProfile.parse(text, file: "bad.toml")
            Issue.record("accepted: \(text)")
        } catch {
            #expect(error.file == "bad.toml")
            if line > 0 { #expect(error.line == line, "\(error)") }
            #expect(error.message.contains(message), "\(error.message)")
        }
    }
}
