import Testing

import KioskConfig
import KioskCore

/// `[[windows]]`: what each counter serves, and references to categories.
@Suite struct WindowTests {
    /// `Fixture.minimal` plus category B, 12 lines; windows start on line 13.
    static let twoCategories = Fixture.minimal + """
        [[categories]]
        id = "B"
        name = "不动产登记"
        prefix = "B"

        """

    @Test func windowIsReadWithServesInPrecedenceOrder() throws {
        let config = try Fixture.parse(
            Self.twoCategories + """
                [[windows]]
                id = "3"
                name = "3号窗口"
                serves = ["B", "A"]

                [[windows]]
                id = "P1"
                name = "预审窗口"
                serves = ["A"]
                prereview = true
                """)
        #expect(
            config.windows == [
                Window(id: "3", name: "3号窗口", serves: ["B", "A"]),
                Window(id: "P1", name: "预审窗口", serves: ["A"], prereview: true),
            ])
    }

    @Test func windowServingUnknownCategoryIsRefused() {
        let error = Fixture.refusal(
            Self.twoCategories + """
                [[windows]]
                id = "3"
                name = "3号窗口"
                serves = ["B", "Z"]
                """)
        #expect(error?.line == 16)
        #expect(error?.key == "windows[0].serves[1]")
        #expect(error?.message == "no category has id \"Z\"; known: A, B")
    }

    @Test func windowServingACategoryTwiceIsRefused() {
        let error = Fixture.refusal(
            Self.twoCategories + """
                [[windows]]
                id = "3"
                name = "3号窗口"
                serves = [
                  "A",
                  "A",
                ]
                """)
        // Array elements are located by the line of their key.
        #expect(error?.line == 16)
        #expect(error?.key == "windows[0].serves[1]")
        #expect(error?.message == "category \"A\" is listed twice")
    }

    @Test func windowServingNothingIsRefused() {
        let error = Fixture.refusal(Fixture.minimal + "[[windows]]\nid = \"1\"\nname = \"1号窗口\"\nserves = []\n")
        #expect(error?.line == 12)
        #expect(error?.key == "windows[0].serves")
    }

    @Test func windowWithoutServesIsRefusedAtItsHeader() {
        let error = Fixture.refusal(Fixture.minimal + "[[windows]]\nid = \"1\"\nname = \"1号窗口\"\n")
        #expect(error?.line == 9)
        #expect(error?.key == "windows[0].serves")
        #expect(error?.message == "is required")
    }

    @Test func duplicateWindowIdIsRefusedEvenWhenWrittenAsANumber() {
        let error = Fixture.refusal(
            Fixture.minimal + """
                [[windows]]
                id = "3"
                name = "3号窗口"
                serves = ["A"]

                [[windows]]
                id = 3
                name = "又一个3号窗口"
                serves = ["A"]
                """)
        #expect(error?.line == 15)
        #expect(error?.key == "windows[1].id")
        #expect(error?.message == "duplicate id \"3\", already used by windows[0]")
    }

    @Test func prereviewMustBeABoolean() {
        let error = Fixture.refusal(
            Fixture.minimal + "[[windows]]\nid = \"P1\"\nname = \"预审窗口\"\nserves = [\"A\"]\nprereview = \"yes\"\n")
        #expect(error?.line == 13)
        #expect(error?.key == "windows[0].prereview")
        #expect(error?.message == "expected a boolean (true or false), found string \"yes\"")
    }
}
