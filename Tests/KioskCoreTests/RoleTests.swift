import Testing

@testable import KioskCore

@Suite("Roles: session.hello may lower a role, never raise it")
struct RoleTests {
    @Test func rolesAreTheContractOnes() {
        #expect(Set(Role.allCases.map(\.rawValue))
            == ["display", "kiosk", "counter", "approval", "operator", "technician", "admin"])
    }

    @Test(arguments: Role.allCases)
    func everyRoleMayKeepItself(role: Role) {
        #expect(role.mayBecome(role))
    }

    @Test(arguments: Role.allCases)
    func everyRoleMayDropToDisplay(role: Role) {
        #expect(role.mayBecome(.display))
    }

    @Test(arguments: Role.allCases)
    func adminMayBecomeAnyRole(role: Role) {
        #expect(Role.admin.mayBecome(role))
    }

    @Test(arguments: Role.allCases.filter { $0 != .admin })
    func nobodyElseMayBecomeAdmin(role: Role) {
        #expect(!role.mayBecome(.admin))
    }

    @Test func displayCannotRaiseItself() {
        for other in Role.allCases where other != .display {
            #expect(!Role.display.mayBecome(other))
        }
    }

    @Test func peerRolesCannotSwitchSideways() {
        #expect(!Role.kiosk.mayBecome(.counter))
        #expect(!Role.counter.mayBecome(.kiosk))
        #expect(!Role.approval.mayBecome(.operator))
        #expect(!Role.operator.mayBecome(.approval))
        #expect(!Role.technician.mayBecome(.counter))
    }
}
