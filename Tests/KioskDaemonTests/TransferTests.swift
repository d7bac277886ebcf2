import Foundation
import KioskCore
import KioskProtocol
import Testing
@testable import KioskDaemon

/// 转办 through the service and a real store: every target either takes the ticket where a
/// window will call it (saying so when that may take a while) or is refused and changes nothing,
/// and a transferred ticket is in every overview.
@Suite struct TransferTests {
    /// A hall with window 1 open and `A001` called there.
    func hallWithACalledTicket() async throws -> (HallFixture, TicketView) {
        let f = try HallFixture()
        try await f.open("1")
        try await f.take("A")
        let called = try #require(try await f.hall.call(window: "1", ticket: nil))
        return (f, called)
    }

    @Test func aTransferToAClosedWindowIsRefusedAndTheTicketStaysAtItsWindow() async throws {
        let (f, called) = try await hallWithACalledTicket()
        // Window 3 was never opened, and does not serve A either.
        #expect(await reason { try await f.hall.transfer(TransferParams(window: "1", toWindow: "3")) } == "invalid_state")
        #expect(f.events("ticket.transferred").isEmpty)
        #expect(try await f.hall.step(.start, window: "1", ticket: nil).id == called.id)
    }

    @Test func aTransferToAWindowThatDoesNotExistIsNotFound() async throws {
        let (f, _) = try await hallWithACalledTicket()
        #expect(await reason { try await f.hall.transfer(TransferParams(window: "1", toWindow: "9")) } == "not_found")
    }

    @Test func aTransferToAPausedWindowIsAcceptedWithAWarningAndCalledWhenItResumes() async throws {
        let (f, called) = try await hallWithACalledTicket()
        try await f.open("3", staff: "张伟")
        _ = try await f.hall.setWindow("3", .pause)
        let moved = try await f.hall.transfer(TransferParams(window: "1", toWindow: "3"))
        #expect(moved.assignedWindow == "3")
        #expect(moved.warnings == ["window 3 is paused: it calls the ticket when it resumes"])
        try await f.open("3", staff: "张伟")
        #expect(try await f.hall.call(window: "3", ticket: nil)?.id == called.id)
    }

    @Test func aTransferToAnOpenWindowOrAnOpenCategoryHasNoWarnings() async throws {
        let (f, _) = try await hallWithACalledTicket()
        try await f.open("3", staff: "张伟")
        #expect(try await f.hall.transfer(TransferParams(window: "1", toWindow: "3")).warnings == nil)
        _ = try await f.hall.call(window: "3", ticket: nil)
        #expect(try await f.hall.transfer(TransferParams(window: "3", toCategory: "B")).warnings == nil)
    }

    @Test func aTransferToTheTicketsOwnCategoryIsRefusedAsInvalidParams() async throws {
        let (f, called) = try await hallWithACalledTicket()
        let error = await #expect(throws: KioskError.self) {
            try await f.hall.transfer(TransferParams(window: "1", toCategory: "A", position: "front"))
        }
        #expect(error?.reason == .invalidParams)
        #expect(error?.message.contains("already in category A") == true)
        #expect(try await f.hall.step(.start, window: "1", ticket: nil).id == called.id)
    }

    @Test func aTransferToACategoryWithNoOpenWindowIsAcceptedWithAWarningAndCalledWhenOneOpens() async throws {
        let (f, called) = try await hallWithACalledTicket()
        let moved = try await f.hall.transfer(TransferParams(window: "1", toCategory: "C"))
        #expect(moved.state == "waiting")
        #expect(moved.warnings == ["no window serving C is open: the ticket is called when one opens"])
        try await f.open("3", staff: "张伟")
        #expect(try await f.hall.call(window: "3", ticket: nil)?.id == called.id)
    }

    @Test func aTransferToACategoryOutsideItsHoursIsAcceptedWithAWarning() async throws {
        // 18:00: A (08:30-17:30) issues no more tickets; B is open all day.
        let f = try HallFixture(start: HallFixture.beijing(23, 18))
        try await f.open("1")
        try await f.take("B")
        _ = try await f.hall.call(window: "1", ticket: nil)
        let moved = try await f.hall.transfer(TransferParams(window: "1", toCategory: "A"))
        #expect(moved.warnings == ["企业开办 (A) is outside its hours (08:30-17:30)"])
        // Window 1 still serves A, so it calls the ticket.
        #expect(try await f.hall.call(window: "1", ticket: nil)?.id == moved.id)
    }

    @Test func aTicketTransferredToAWindowIsInEveryOverviewUnderThatWindow() async throws {
        let (f, called) = try await hallWithACalledTicket()
        try await f.open("2", staff: "李强")
        let other = try await f.take("A")
        _ = try await f.hall.transfer(TransferParams(window: "1", toWindow: "2"))

        let all = try await f.hall.waiting(category: nil, window: nil)
        #expect(Set(all.map(\.id)) == [called.id, other.id])
        #expect(all.first { $0.id == called.id }?.assignedWindow == "2")
        // Window 2 could call both: the transferred ticket and A's queue.
        #expect(Set(try await f.hall.waiting(category: nil, window: "2").map(\.id)) == [called.id, other.id])
        #expect(try await f.hall.waiting(category: nil, window: "1").map(\.id) == [other.id])
        #expect(try await f.hall.waiting(category: "A", window: nil).map(\.id) == [other.id])
        #expect(try await f.hall.windows().first { $0.id == "2" }?.waiting == 2)
    }
}
