import Testing

import KioskConfig
import KioskCore

/// `[access]`: roles by local user and group.
@Suite struct AccessTests {
    @Test func rolesAreReadFromInlineAndRegularTables() throws {
        let config = try Fixture.parse(
            Fixture.minimal + """
                [access]
                kiosk = { users = ["kiosk"], groups = [] }
                display = { groups = ["kiosk-display"] }

                [access.operator]
                users = ["certroom"]
                """)
        #expect(
            config.access.rules == [
                .kiosk: AccessTable.Rule(users: ["kiosk"]),
                .display: AccessTable.Rule(groups: ["kiosk-display"]),
                .operator: AccessTable.Rule(users: ["certroom"]),
            ])
    }

    @Test func unknownRoleIsRefused() {
        let error = Fixture.refusal(Fixture.minimal + "[access]\nkiosk = { users = [\"kiosk\"] }\nkoisk = { users = [] }\n")
        #expect(error?.line == 11)
        #expect(error?.key == "access.koisk")
        #expect(error?.message == "unknown role; did you mean kiosk?")
    }

    @Test func unknownKeyInsideARuleIsRefusedOnItsLine() {
        let error = Fixture.refusal(Fixture.minimal + "[access]\ncounter = { user = [\"zhang\"] }\n")
        #expect(error?.line == 10)
        #expect(error?.key == "access.counter.user")
        #expect(error?.message == "unknown key; did you mean users?")
    }

    @Test func ruleMustBeATable() {
        let error = Fixture.refusal(Fixture.minimal + "[access]\nadmin = [\"root\"]\n")
        #expect(error?.line == 10)
        #expect(error?.key == "access.admin")
        #expect(error?.message == "expected a table, found array")
    }

    @Test func usersMustBeStrings() {
        let error = Fixture.refusal(Fixture.minimal + "[access]\nadmin = { users = [\"root\", 1000] }\n")
        #expect(error?.line == 10)
        #expect(error?.key == "access.admin.users[1]")
        #expect(error?.message == "expected a string, found integer 1000")
    }
}
