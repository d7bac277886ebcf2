import Foundation
import KioskCore
import KioskProtocol
import Testing
@testable import KioskDaemon

/// 叫号 through the service and a real store.
@Suite struct CallingTests {
    @Test func onlyAnOpenWindowCalls() async throws {
        let f = try HallFixture()
        try await f.take("A")
        #expect(await reason { try await f.hall.call(window: "1", ticket: nil) } == "closed")
        try await f.open("1")
        _ = try await f.hall.setWindow("1", .pause)
        #expect(await reason { try await f.hall.call(window: "1", ticket: nil) } == "closed")
        try await f.open("1")
        #expect(try await f.hall.call(window: "1", ticket: nil)?.number == "A001")
    }

    @Test func callAnswersNullWhenNobodyWaits() async throws {
        let f = try HallFixture()
        try await f.open("1")
        #expect(try await f.hall.call(window: "1", ticket: nil) == nil)
    }

    @Test func windowsCallTheirCategoriesInPrecedenceOrder() async throws {
        let f = try HallFixture()
        try await f.open("1")
        try await f.open("2", staff: "李强")
        let a = try await f.take("A")
        let b = try await f.take("B")
        #expect(try await f.hall.call(window: "2", ticket: nil)?.id == b.id)  // 2 serves B first
        #expect(try await f.hall.call(window: "1", ticket: nil)?.id == a.id)
    }

    @Test func priorityTicketsGoFirstButNotMoreThanTheBurstInARow() async throws {
        let f = try HallFixture(queue: { var q = QueueSettings(); q.priorityBurst = 2; return q }())
        try await f.open("3")
        var expected: [String] = []
        let n1 = try await f.take("C").number
        let n2 = try await f.take("C").number
        var greens: [String] = []
        for _ in 0..<3 { greens.append(try await f.take("C", green: true).number) }
        expected = [greens[0], greens[1], n1, greens[2], n2]
        var called: [String] = []
        while let t = try await f.hall.call(window: "3", ticket: nil) {
            called.append(t.number)
            _ = try await f.hall.step(.start, window: "3", ticket: nil)
            _ = try await f.hall.step(.finish, window: "3", ticket: nil)
        }
        #expect(called == expected)
    }

    @Test func aWindowCanCallAWaitingTicketOutOfOrder() async throws {
        let f = try HallFixture()
        try await f.open("1")
        try await f.take("A")
        let second = try await f.take("A")
        #expect(try await f.hall.call(window: "1", ticket: second.id)?.number == "A002")
        let c = try await f.take("C")
        _ = try await f.hall.step(.start, window: "1", ticket: nil)
        _ = try await f.hall.step(.finish, window: "1", ticket: nil)
        // Window 1 does not serve C.
        #expect(await reason { try await f.hall.call(window: "1", ticket: c.id) } == "invalid_state")
    }

    @Test func recallIsLimitedAndIllegalStepsChangeNothing() async throws {
        let f = try HallFixture()
        try await f.open("1")
        try await f.take("A")
        #expect(await reason { try await f.hall.step(.finish, window: "1", ticket: nil) } == "invalid_state")
        _ = try await f.hall.call(window: "1", ticket: nil)
        for _ in 0..<3 { _ = try await f.hall.step(.recall, window: "1", ticket: nil) }
        #expect(await reason { try await f.hall.step(.recall, window: "1", ticket: nil) } == "invalid_state")
        #expect(await reason { try await f.hall.step(.finish, window: "1", ticket: nil) } == "invalid_state")
        let t = try await f.hall.ticket(id: 1, number: nil, date: nil)
        #expect(t.state == "called")
        #expect(t.recalls == 3)
        #expect(f.events("ticket.recalled").count == 3)
        // A window with a ticket at it can neither call another nor close.
        try await f.take("A")
        #expect(await reason { try await f.hall.call(window: "1", ticket: nil) } == "invalid_state")
        #expect(await reason { try await f.hall.setWindow("1", .close) } == "invalid_state")
    }

    @Test func noShowCanBeRequeuedOnceKeepingItsNumberAtTheBack() async throws {
        let f = try HallFixture()
        try await f.open("1")
        let first = try await f.take("A")
        try await f.take("A")
        _ = try await f.hall.call(window: "1", ticket: nil)
        _ = try await f.hall.step(.noShow, window: "1", ticket: nil)
        let back = try await f.hall.requeue(ticket: first.id)
        #expect(back.number == "A001")
        #expect(back.state == "waiting")
        #expect(back.ahead == 1)
        #expect(try await f.hall.call(window: "1", ticket: nil)?.number == "A002")
        _ = try await f.hall.step(.noShow, window: "1", ticket: nil)
        #expect(try await f.hall.call(window: "1", ticket: nil)?.number == "A001")
        _ = try await f.hall.step(.noShow, window: "1", ticket: nil)
        #expect(await reason { try await f.hall.requeue(ticket: first.id) } == "invalid_state")
    }

    @Test func transferToTheFrontOfAnotherCategoryKeepsTheNumber() async throws {
        let f = try HallFixture()
        try await f.open("1")
        try await f.open("3", staff: "张伟")
        let a = try await f.take("A")
        try await f.take("C")
        try await f.take("C", green: true)
        _ = try await f.hall.call(window: "1", ticket: nil)
        let moved = try await f.hall.transfer(TransferParams(window: "1", toCategory: "C", position: "front"))
        #expect(moved.number == a.number)
        #expect(moved.category == "C")
        #expect(moved.ahead == 0)
        #expect(try await f.hall.call(window: "3", ticket: nil)?.id == a.id)
        #expect(f.events("ticket.transferred").count == 1)
        // Its number still counts as issued by A; where it is served counts for C.
        let stats = try await f.hall.stats(date: nil)
        #expect(stats.categories.first { $0.key == "A" }?.issued == 1)
        #expect(stats.categories.first { $0.key == "C" }?.issued == 2)
    }

    @Test func transferToAWindowIsCalledOnlyByThatWindow() async throws {
        let f = try HallFixture()
        try await f.open("1")
        try await f.open("2", staff: "李强")
        let a = try await f.take("A")
        _ = try await f.hall.call(window: "1", ticket: nil)
        _ = try await f.hall.transfer(TransferParams(window: "1", toWindow: "2"))
        #expect(try await f.hall.call(window: "1", ticket: nil) == nil)
        #expect(try await f.hall.call(window: "2", ticket: nil)?.id == a.id)
    }

    @Test func twoWindowsCallingAtOnceNeverGetTheSameTicket() async throws {
        let f = try HallFixture()
        try await f.open("1")
        try await f.open("2", staff: "李强")
        for _ in 0..<40 { try await f.take("A") }
        let called = try await withThrowingTaskGroup(of: [Int64].self) { group in
            for w in ["1", "2"] {
                group.addTask {
                    var mine: [Int64] = []
                    while let t = try await f.hall.call(window: w, ticket: nil) {
                        mine.append(t.id)
                        _ = try await f.hall.step(.start, window: w, ticket: nil)
                        _ = try await f.hall.step(.finish, window: w, ticket: nil)
                    }
                    return mine
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let all = called.flatMap { $0 }
        #expect(all.count == 40)
        #expect(Set(all).count == 40)
        #expect(called.allSatisfy { !$0.isEmpty })
    }

    @Test func evaluationIsOncePerFinishedCaseAndBadOnesAreListed() async throws {
        let f = try HallFixture()
        try await f.open("1")
        let t = try await f.take("A")
        _ = try await f.hall.call(window: "1", ticket: nil)
        #expect(await reason { try await f.hall.evaluate(EvaluationParams(ticket: t.id, score: 5)) } == "invalid_state")
        _ = try await f.hall.step(.start, window: "1", ticket: nil)
        f.clock.advance(by: 300)
        _ = try await f.hall.step(.finish, window: "1", ticket: nil)
        let e = try await f.hall.evaluate(EvaluationParams(ticket: t.id, score: 2, caseNumber: "BJ2026-0001", comment: "等太久"))
        #expect(e.bad)
        #expect(e.label == "不满意")
        #expect(await reason { try await f.hall.evaluate(EvaluationParams(ticket: t.id, score: 5)) } == "conflict")
        let stats = try await f.hall.stats(date: nil)
        #expect(stats.badReviews.map(\.number) == ["A001"])
        #expect(stats.windows.first { $0.key == "1" }?.badReviews == 1)
        #expect(stats.windows.first { $0.key == "1" }?.averageServiceSeconds == 300)
        #expect(stats.total.satisfactionRate == 0)
    }
}
