import Testing

@testable import KioskCore

@Suite("Window state: only an open window calls")
struct WindowStateTests {
    @Test func anOpenWindowMayCall() throws {
        try WindowState(id: "3", status: .open, staff: "S01").checkCanCall()
    }

    @Test(arguments: [WindowState.Status.paused, .closed])
    func aPausedOrClosedWindowIsRefusedAsClosed(status: WindowState.Status) {
        let error = expectRefusal(.closed) { try WindowState(id: "3", status: status).checkCanCall() }
        #expect(error?.details["state"] == status.rawValue)
    }

    @Test func aNewWindowStateIsClosed() {
        #expect(WindowState(id: "3").status == .closed)
    }
}
