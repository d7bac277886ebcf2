import Testing

@testable import KioskConfig

/// `KeyLocator` finds the line of a key in the source text, which TOMLKit cannot tell us.
@Suite struct KeyLocatorTests {
    static func path(_ text: String) -> KeyPath {
        // "categories[1].daily_limit" → components; test-only, bare keys.
        var components: [KeyPath.Component] = []
        for part in text.split(separator: ".") {
            var name = Substring(part)
            var indices: [Int] = []
            while let open = name.lastIndex(of: "["), name.last == "]" {
                indices.insert(Int(name[name.index(after: open)..<name.index(before: name.endIndex)])!, at: 0)
                name = name[..<open]
            }
            components.append(.key(String(name)))
            components += indices.map(KeyPath.Component.index)
        }
        return KeyPath(components)
    }

    static func line(_ key: String, in source: String) -> Int? {
        KeyLocator(source: source).line(of: path(key))
    }

    static let source = """
        # comment with key = "value"
        [daemon]
        socket = "/run/kioskd.sock"   # trailing comment

        [[categories]]
        id = "A"

        [[categories]]
          id   =   "B"
        daily_limit = 200
        note = \"\"\"
        fake = 1
        [fake]
        \"\"\"
        serves = [
          "x",
          { inner = 1 },
        ]
        "quoted key" = 1
        'literal.key' = 2
        site.floor = 3

        [ access . kiosk ]
        users = ["kiosk"]
        """

    @Test func findsTableHeadersAndKeys() {
        #expect(Self.line("daemon", in: Self.source) == 2)
        #expect(Self.line("daemon.socket", in: Self.source) == 3)
    }

    @Test func countsArrayOfTablesHeadersForTheIndex() {
        #expect(Self.line("categories", in: Self.source) == 5)
        #expect(Self.line("categories[0]", in: Self.source) == 5)
        #expect(Self.line("categories[0].id", in: Self.source) == 6)
        #expect(Self.line("categories[1]", in: Self.source) == 8)
        #expect(Self.line("categories[1].id", in: Self.source) == 9)
        #expect(Self.line("categories[1].daily_limit", in: Self.source) == 10)
    }

    @Test func fallsBackToTheNearestEnclosingKeyOrTable() {
        #expect(Self.line("categories[1].hours", in: Self.source) == 8)
        #expect(Self.line("categories[1].serves[1]", in: Self.source) == 15)
        #expect(Self.line("access.kiosk.groups", in: Self.source) == 23)
        #expect(Self.line("hall.name", in: Self.source) == nil)
    }

    @Test func skipsMultilineStringsAndArrays() {
        #expect(Self.line("categories[1].note", in: Self.source) == 11)
        #expect(Self.line("categories[1].fake", in: Self.source) == 8)
        #expect(Self.line("fake", in: Self.source) == nil)
        #expect(Self.line("categories[1].inner", in: Self.source) == 8)
        #expect(Self.line("categories[1].serves", in: Self.source) == 15)
    }

    @Test func readsQuotedAndDottedKeys() {
        let locator = KeyLocator(source: Self.source)
        #expect(locator.line(of: Self.path("categories[1]").appending("quoted key")) == 19)
        #expect(locator.line(of: Self.path("categories[1]").appending("literal.key")) == 20)
        #expect(Self.line("categories[1].site", in: Self.source) == 21)
        #expect(Self.line("categories[1].site.floor", in: Self.source) == 21)
        #expect(Self.line("access", in: Self.source) == 23)
        #expect(Self.line("access.kiosk.users", in: Self.source) == 24)
    }

    @Test func subTableOfAnArrayElementBelongsToTheLatestElement() {
        let source = """
            [[fruits]]
            name = "apple"
            [fruits.physical]
            color = "red"
            [[fruits]]
            name = "banana"
            [[fruits.varieties]]
            name = "plantain"
            """
        #expect(Self.line("fruits[0].physical.color", in: source) == 4)
        #expect(Self.line("fruits[1].name", in: source) == 6)
        #expect(Self.line("fruits[1].varieties[0].name", in: source) == 8)
    }

    @Test func namesTheKeyOnALineForSyntaxErrors() {
        let locator = KeyLocator(source: Self.source)
        #expect(locator.keyPath(atLine: 10)?.description == "categories[1].daily_limit")
        #expect(locator.keyPath(atLine: 7)?.description == "categories[0]")
        #expect(locator.keyPath(atLine: 12)?.description == "categories[1]")
        #expect(locator.keyPath(atLine: 1) == nil)
    }

    @Test func keyPathPrintsLikeTOML() {
        #expect(Self.path("categories[1].daily_limit").description == "categories[1].daily_limit")
        #expect(KeyPath.root.appending("site").appending("quoted key").description == "site.\"quoted key\"")
        #expect(Self.path("windows[0].serves[2]").description == "windows[0].serves[2]")
    }

    @Test func toleratesCRLFLineEndings() {
        let source = "[hall]\r\ncode = \"x\"\r\nname = \"y\"\r\n"
        #expect(Self.line("hall.name", in: source) == 3)
    }

    @Test func skipsAByteOrderMark() {
        let source = "\u{FEFF}[hall]\ncode = \"x\"\n"
        #expect(Self.line("hall", in: source) == 1)
        #expect(Self.line("hall.code", in: source) == 2)
    }

    @Test func literalMultilineStringsAreSkippedToo() {
        let source = "[hall]\nname = '''\nfake = 1\n'''\ncode = \"x\"\n"
        #expect(Self.line("hall.fake", in: source) == 1)
        #expect(Self.line("hall.code", in: source) == 5)
    }
}
