import Testing

@testable import KioskDevices

extension HotplugTests {
    /// The profile TOML subset: every value type, comments, and each error with its line.
    @Suite struct FlatTOMLTests {
        @Test func parsesEveryValueType() throws {
            let entries = try FlatTOML.parse(
                """
                # a comment
                name = "Printer \\"58\\" \\u4E2D"   # trailing comment
                baud = 115_200
                flag = true
                off=false
                quirks = ["a", "b" ,"c#d"]
                none = []

                """)
            #expect(entries.map(\.key) == ["name", "baud", "flag", "off", "quirks", "none"])
            #expect(entries.map(\.line) == [2, 3, 4, 5, 6, 7])
            #expect(entries[0].value == .string("Printer \"58\" 中"))
            #expect(entries[1].value == .integer(115200))
            #expect(entries[2].value == .boolean(true))
            #expect(entries[3].value == .boolean(false))
            #expect(entries[4].value == .strings(["a", "b", "c#d"]))
            #expect(entries[5].value == .strings([]))
        }

        @Test func acceptsCRLF() throws {
            #expect(try FlatTOML.parse("a = 1\r\nb = \"x\"\r\n").map(\.value) == [.integer(1), .string("x")])
        }

        @Test(arguments: [
            ("a = 1\n[table]\n", 2, "tables are not supported"),
            ("\n\n= 1\n", 3, "expected a key"),
            ("a 1\n", 1, "expected = after a"),
            ("a =\n", 1, "missing value"),
            ("a = \"open\n", 1, "unterminated string"),
            ("a = 1.5\n", 1, "unsupported value 1.5"),
            ("a = [1, 2]\n", 1, "arrays hold strings only"),
            ("a = [\"x\" \"y\"]\n", 1, "expected , or ]"),
            ("a = \"x\" y\n", 1, "unexpected text after the value"),
            ("a = \"\\q\"\n", 1, "unknown escape"),
            ("a = 1\nb = 2\na = 3\n", 3, "a is already set on line 1"),
            ("a = [\"x\",\n", 1, "arrays hold strings only"),
        ])
        func reportsErrorsWithLine(_ text: String, _ line: Int, _ fragment: String) {
            #expect {
                try FlatTOML.parse(text)
            } throws: { error in
                guard let e = error as? FlatTOML.ParseError else { return false }
                return e.line == line && e.message.contains(fragment)
            }
        }
    }
}
