import Testing

import KioskConfig
import KioskCore

/// `[[categories]]`: prefixes, limits, hours and uniqueness.
@Suite struct CategoryTests {
    @Test func categoryIsRead() throws {
        let config = try Fixture.parse(
            Fixture.minimal + """
                daily_limit = 300
                hours = "08:30-12:00, 13:30-17:30"
                requires_prereview = true
                """)
        #expect(
            config.categories == [
                Category(
                    id: "A", name: "企业开办", prefix: "A", dailyLimit: 300,
                    hours: OpeningHours(ranges: [510..<720, 810..<1050]), requiresPrereview: true)
            ])
    }

    @Test func defaultsAreUnlimitedAllDayWithoutPrereview() throws {
        let category = try Fixture.parse(Fixture.minimal).categories[0]
        #expect(category.dailyLimit == nil)
        #expect(category.hours == .allDay)
        #expect(category.requiresPrereview == false)
    }

    @Test func integerIdIsReadAsText() throws {
        let config = try Fixture.parse(
            """
            [hall]
            code = "500107-01"
            name = "Test hall"

            [[categories]]
            id = 7
            name = "公积金"
            prefix = "G"

            [[windows]]
            id = 1
            name = "1号窗口"
            serves = [7]
            """)
        #expect(config.categories[0].id == "7")
        #expect(config.windows[0] == Window(id: "1", name: "1号窗口", serves: ["7"]))
    }

    @Test func atLeastOneCategoryIsRequired() {
        let error = Fixture.refusal(
            """
            [hall]
            code = "500107-01"
            name = "Test hall"
            """)
        #expect(error?.line == 1)
        #expect(error?.key == "categories")
    }

    @Test func dailyLimitMustBePositive() {
        let error = Fixture.refusal(Fixture.minimal + "daily_limit = 0\n")
        #expect(error == ConfigError(file: "hall.toml", line: 9, key: "categories[0].daily_limit", message: "must be a positive integer"))
    }

    @Test(arguments: ["", "ABCD", "A1", "甲", "A-"])
    func prefixMustBeOneToThreeASCIILetters(prefix: String) {
        let error = Fixture.refusal(
            """
            [hall]
            code = "500107-01"
            name = "Test hall"

            [[categories]]
            id = "A"
            name = "企业开办"
            prefix = "\(prefix)"
            """)
        #expect(error?.line == 8)
        #expect(error?.key == "categories[0].prefix")
    }

    @Test(arguments: ["8:30-17:30", "17:30-08:30", "08:30-25:00", "08:30", "all day", "08:30-12:00,11:00-17:30"])
    func badHoursRefused(hours: String) {
        let error = Fixture.refusal(Fixture.minimal + "hours = \"\(hours)\"\n")
        #expect(error?.line == 9)
        #expect(error?.key == "categories[0].hours")
    }

    @Test func twentyFourHourZoneIsAllDay() throws {
        let config = try Fixture.parse(Fixture.minimal + "hours = \"00:00-24:00\"\n")
        #expect(config.categories[0].hours == .allDay)
    }

    @Test func duplicateCategoryIdIsRefusedAtTheSecond() {
        let error = Fixture.refusal(
            Fixture.minimal + """
                [[categories]]
                id = "A"
                name = "不动产登记"
                prefix = "B"
                """)
        #expect(error?.line == 10)
        #expect(error?.key == "categories[1].id")
        #expect(error?.message == "duplicate id \"A\", already used by categories[0]")
    }

    @Test func duplicatePrefixIsRefusedWhateverItsCase() {
        let error = Fixture.refusal(
            Fixture.minimal + """
                [[categories]]
                id = "B"
                name = "不动产登记"
                prefix = "a"
                """)
        #expect(error?.line == 12)
        #expect(error?.key == "categories[1].prefix")
    }
}
