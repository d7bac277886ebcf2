import Foundation
import Testing

@testable import KioskCore

@Suite("Transfer rules (转办): which targets are refused, which are accepted with a warning")
struct TransferRulesTests {
    let windows = [
        Window(id: "1", name: "1号窗口", serves: ["A"]),
        Window(id: "2", name: "2号窗口", serves: ["A", "B"]),
    ]
    let a = Category(id: "A", name: "企业开办", prefix: "A", hours: OpeningHours(parsing: "08:30-17:30")!)
    let c = Category(id: "C", name: "社保医保", prefix: "C")

    func states(_ pairs: [String: WindowState.Status]) -> [String: WindowState] {
        pairs.reduce(into: [:]) { $0[$1.key] = WindowState(id: $1.key, status: $1.value, staff: "王芳") }
    }

    @Test func anOpenWindowTakesTheTicketWithoutWarnings() throws {
        #expect(try TransferRules.checkTarget(windows[0], state: WindowState(id: "1", status: .open)).isEmpty)
    }

    @Test func aPausedWindowTakesTheTicketWithAWarning() throws {
        let warnings = try TransferRules.checkTarget(windows[0], state: WindowState(id: "1", status: .paused))
        #expect(warnings == ["window 1 is paused: it calls the ticket when it resumes"])
    }

    @Test func aClosedOrNeverOpenedWindowIsRefused() {
        let closed = expectRefusal(.invalidState) {
            _ = try TransferRules.checkTarget(windows[0], state: WindowState(id: "1", status: .closed))
        }
        #expect(closed?.details["window"] == "1")
        #expect(closed?.message.contains("closed") == true)
        expectRefusal(.invalidState) { _ = try TransferRules.checkTarget(windows[0], state: nil) }
    }

    @Test func aCategoryWithAnOpenWindowInItsHoursTakesTheTicketWithoutWarnings() throws {
        #expect(try TransferRules.checkTarget(a, windows: windows, states: states(["2": .open]), minuteOfDay: 9 * 60).isEmpty)
    }

    @Test func aCategoryWithNoOpenWindowIsAcceptedWithAWarningNamingThePausedOnes() throws {
        let warnings = try TransferRules.checkTarget(a, windows: windows, states: states(["1": .paused]), minuteOfDay: 9 * 60)
        #expect(warnings == ["no window serving A is open (paused: 1): the ticket is called when one opens"])
    }

    @Test func aCategoryOutsideItsHoursIsAcceptedWithAWarning() throws {
        let warnings = try TransferRules.checkTarget(a, windows: windows, states: states(["1": .open]), minuteOfDay: 18 * 60)
        #expect(warnings == ["企业开办 (A) is outside its hours (08:30-17:30)"])
    }

    @Test func aCategoryNoWindowServesIsRefused() {
        let error = expectRefusal(.invalidState) {
            _ = try TransferRules.checkTarget(c, windows: windows, states: states(["1": .open, "2": .open]), minuteOfDay: 600)
        }
        #expect(error?.details["category"] == "C")
    }
}
