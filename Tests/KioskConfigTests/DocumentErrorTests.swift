import Testing

import KioskConfig
import KioskCore

/// Errors about the document as a whole: syntax, types, unknown and missing tables and keys.
@Suite struct DocumentErrorTests {
    @Test func syntaxErrorHasLine() {
        let error = Fixture.refusal(
            """
            [hall]
            code = "500107-01"
            name = "Test hall"

            [[categories]]
            id = "A"
            daily_limit 300
            """)
        #expect(error?.file == "hall.toml")
        #expect(error?.line == 7)
        #expect(error?.key == "categories[0]")
        #expect(error?.message.hasPrefix("invalid TOML: ") == true)
    }

    @Test func syntaxErrorOnAKeyLineNamesTheKey() {
        let error = Fixture.refusal(
            """
            [daemon]
            timezone = "Asia/Shanghai
            """)
        #expect(error?.line == 2)
        #expect(error?.key == "daemon.timezone")
    }

    @Test func duplicateKeyIsASyntaxError() {
        let error = Fixture.refusal(Fixture.minimal + "name = \"again\"\n")
        #expect(error?.line == 9)
        #expect(error?.key == "categories[0].name")
    }

    @Test func unknownKeyIsNamedWithItsLine() {
        let error = Fixture.refusal(Fixture.minimal + "daly_limit = 300\n")
        #expect(
            error
                == ConfigError(
                    file: "hall.toml", line: 9, key: "categories[0].daly_limit",
                    message: "unknown key; did you mean daily_limit?"))
        #expect(error?.description == "hall.toml:9: categories[0].daly_limit: unknown key; did you mean daily_limit?")
    }

    @Test func unknownKeyFarFromAnyKnownOneListsTheKnownKeys() {
        let error = Fixture.refusal(
            """
            [hall]
            code = "500107-01"
            name = "Test hall"
            floor = 2
            """)
        #expect(error?.line == 4)
        #expect(error?.key == "hall.floor")
        #expect(error?.message == "unknown key; expected one of: code, name")
    }

    @Test func firstUnknownKeyInFileOrderIsReported() {
        // toml++ keeps keys sorted; the report must still follow the file.
        let error = Fixture.refusal(Fixture.minimal + "zzz = 1\naaa = 2\n")
        #expect(error?.line == 9)
        #expect(error?.key == "categories[0].zzz")
    }

    @Test func unknownTopLevelTableIsRefused() {
        let error = Fixture.refusal(Fixture.minimal + "[window]\nid = \"1\"\n")
        #expect(error?.line == 9)
        #expect(error?.key == "window")
        #expect(error?.message == "unknown table; did you mean windows?")
    }

    @Test func wrongTypeNamesExpectedType() {
        let error = Fixture.refusal(Fixture.minimal + "daily_limit = \"300\"\n")
        #expect(error?.line == 9)
        #expect(error?.key == "categories[0].daily_limit")
        #expect(error?.message == "expected an integer, found string \"300\"")
    }

    @Test func floatWhereAnIntegerBelongsIsRefused() {
        let error = Fixture.refusal(Fixture.minimal + "daily_limit = 300.0\n")
        #expect(error?.line == 9)
        #expect(error?.message == "expected an integer, found floating-point number 300.0")
    }

    @Test func tableWhereAnArrayOfTablesBelongsIsRefused() {
        let error = Fixture.refusal(
            Fixture.minimal + """
                [windows]
                id = "1"
                """)
        #expect(error?.line == 9)
        #expect(error?.key == "windows")
        #expect(error?.message == "expected an array of tables ([[windows]]), found table")
    }

    @Test func missingHallTableIsRefusedAtLineOne() {
        let error = Fixture.refusal(
            """
            # no hall here
            [[categories]]
            id = "A"
            name = "企业开办"
            prefix = "A"
            """)
        #expect(error?.line == 1)
        #expect(error?.key == "hall")
    }

    @Test func missingRequiredKeyPointsAtItsTableHeader() {
        let error = Fixture.refusal(
            """
            [daemon]
            timezone = "Asia/Shanghai"

            [hall]
            code = "500107-01"
            """)
        #expect(error?.line == 4)
        #expect(error?.key == "hall.name")
        #expect(error?.message == "is required")
    }

    @Test func emptyStringIsRefused() {
        let error = Fixture.refusal(
            """
            [hall]
            code = "500107-01"
            name = "  "
            """)
        #expect(error?.line == 3)
        #expect(error?.key == "hall.name")
        #expect(error?.message == "must not be empty")
    }

    @Test func hallTableMayBeWrittenWithDottedKeys() throws {
        let config = try Fixture.parse(
            """
            hall.code = "500107-01"
            hall.name = "Test hall"
            categories = [{ id = "A", name = "企业开办", prefix = "A" }]
            """)
        #expect(config.hall.code == "500107-01")
        #expect(config.categories.first?.prefix == "A")
    }
}
