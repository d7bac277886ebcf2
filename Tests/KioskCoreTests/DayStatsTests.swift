import Foundation
import Testing

@testable import KioskCore

@Suite("Day statistics (日统计)")
struct DayStatsTests {
    /// A ticket with its whole history given in seconds after t0 (nil = did not happen).
    func past(
        _ number: String, id: Int64, _ state: Ticket.State, window: String? = nil, issued: Double,
        firstCalled: Double? = nil, called: Double? = nil, started: Double? = nil, finished: Double? = nil
    ) -> Ticket {
        let category = String(number.prefix(1))
        var t = ticket(Int(number.dropFirst())!, id: id, category: category, state: state, issuedAt: t0 + issued)
        t.number = number
        t.window = window
        t.firstCalledAt = firstCalled.map { t0 + $0 }
        t.calledAt = (called ?? firstCalled).map { t0 + $0 }
        t.startedAt = started.map { t0 + $0 }
        t.finishedAt = finished.map { t0 + $0 }
        return t
    }

    func rating(_ t: Ticket, _ score: Evaluation.Score, window: String?, at seconds: Double) -> Evaluation {
        Evaluation(
            ticketId: t.id, day: day0, number: t.number, category: t.category, window: window, staff: nil,
            score: score, caseNumber: "CASE-\(t.id)", comment: nil, submittedAt: t0 + seconds)
    }

    var tickets: [Ticket] {
        [
            past("A001", id: 1, .done, window: "3", issued: 0, firstCalled: 300, started: 360, finished: 960),
            past("A002", id: 2, .done, window: "4", issued: 60, firstCalled: 960, started: 1000, finished: 1300),
            past("A003", id: 3, .noShow, window: "3", issued: 120, firstCalled: 1000, finished: 1100),
            past("A004", id: 4, .cancelled, issued: 180),
            past("A005", id: 5, .waiting, issued: 200),
            past("B001", id: 11, .done, window: "3", issued: 0, firstCalled: 100, started: 100, finished: 400),
            // First called at 50 s (at window 3), transferred, now called again at window 4.
            past("B002", id: 12, .called, window: "4", issued: 0, firstCalled: 50, called: 2000),
            past("B003", id: 13, .done, window: "4", issued: 30, firstCalled: 430, started: 430, finished: 1030),
        ]
    }

    var evaluations: [Evaluation] {
        let t = Dictionary(uniqueKeysWithValues: tickets.map { ($0.number, $0) })
        return [
            rating(t["A001"]!, .verySatisfied, window: "3", at: 1000),
            rating(t["A002"]!, .dissatisfied, window: "4", at: 1400),
            // The evaluator did not say which window: the ticket's window counts.
            rating(t["B001"]!, .veryDissatisfied, window: nil, at: 500),
            rating(t["B003"]!, .fair, window: "4", at: 1100),
        ]
    }

    var stats: DayStats {
        DayStats.compute(
            day: day0, tickets: tickets, evaluations: evaluations, categoryOrder: ["A", "B", "C"],
            windowOrder: ["3", "4", "5"])
    }

    @Test func countsIssuedServedNoShowsAndCancelled() {
        let total = stats.total
        #expect(total.key == "total")
        #expect(total.issued == 8)
        #expect(total.served == 4)
        #expect(total.noShows == 1)
        #expect(total.cancelled == 1)
        let a = stats.categories[0]
        #expect(a.key == "A")
        #expect((a.issued, a.served, a.noShows, a.cancelled) == (5, 2, 1, 1))
        let b = stats.categories[1]
        #expect(b.key == "B")
        #expect((b.issued, b.served, b.noShows, b.cancelled) == (3, 2, 0, 0))
    }

    @Test func aNoShowThatWasRequeuedIsStillANoShowOfTheDay() {
        var requeued = past("A006", id: 6, .waiting, issued: 240, firstCalled: 1200)
        requeued.requeues = 1  // missed its call, put back in line
        var missedTwice = past("A007", id: 7, .noShow, window: "3", issued: 250, firstCalled: 1300)
        missedTwice.requeues = 1  // requeued, then missed its second call too
        let s = DayStats.compute(
            day: day0, tickets: tickets + [requeued, missedTwice], evaluations: [], categoryOrder: ["A", "B"],
            windowOrder: ["3", "4"])
        #expect(s.categories[0].noShows == 1 + 1 + 2)  // A003, A006 once, A007 twice
        #expect(s.total.noShows == 4)
        // At the window that last called it; A006 waits again, at no window, until its next call.
        #expect(s.windows[0].noShows == 1 + 2)
    }

    @Test func calledCountsTicketsCalledAtLeastOnce() {
        #expect(stats.categories[0].called == 3)  // A001, A002, A003; not the cancelled or waiting ones
        #expect(stats.categories[1].called == 3)
        #expect(stats.total.called == 6)
        #expect(stats.windows[0].called == 3)
    }

    @Test func waitRunsFromIssueToTheFirstCall() {
        // A: 300, 900, 880 s; the waiting and the cancelled tickets have no wait yet.
        #expect(stats.categories[0].averageWaitSeconds == 693)
        #expect(stats.categories[0].maxWaitSeconds == 900)
        // B: 100, 50 (not 2000: the later call after a transfer does not lengthen the wait), 400.
        #expect(stats.categories[1].averageWaitSeconds == 183)
        #expect(stats.categories[1].maxWaitSeconds == 400)
        #expect(stats.total.averageWaitSeconds == 438)
        #expect(stats.total.maxWaitSeconds == 900)
    }

    @Test func serviceTimeRunsFromStartToFinishOfServedCases() {
        // A: 600 and 300 s (the no-show's call-to-no-show time is not service).
        #expect(stats.categories[0].averageServiceSeconds == 450)
        #expect(stats.categories[1].averageServiceSeconds == 450)
        #expect(stats.total.averageServiceSeconds == 450)
    }

    @Test func satisfactionIsTheShareOfScoresOfThreeOrMore() {
        #expect(stats.total.evaluations == 4)
        #expect(stats.total.satisfactionRate == 0.5)  // 5 and 3 of 5, 2, 1, 3
        #expect(stats.total.badReviews == 2)
        #expect(stats.categories[0].satisfactionRate == 0.5)  // 5, 2
        #expect(stats.categories[1].satisfactionRate == 0.5)  // 1, 3
        #expect(stats.categories[1].badReviews == 1)
    }

    @Test func badReviewsAreListedForCallBackOldestFirst() {
        #expect(stats.badReviews.map(\.number) == ["B001", "A002"])
        #expect(stats.badReviews.allSatisfy { $0.score.isBad })
        #expect(stats.badReviews.first?.caseNumber == "CASE-11")
    }

    @Test func perWindowLinesUseTheTicketsWindow() {
        #expect(stats.windows.map(\.key) == ["3", "4", "5"])
        let w3 = stats.windows[0], w4 = stats.windows[1]
        // Window 3: A001 (done), A003 (no-show), B001 (done).
        #expect((w3.issued, w3.served, w3.noShows) == (3, 2, 1))
        #expect(w3.averageWaitSeconds == 427)
        #expect(w3.maxWaitSeconds == 880)
        #expect(w3.averageServiceSeconds == 450)
        // Window 4: A002 (done), B002 (called there after its transfer), B003 (done).
        #expect((w4.issued, w4.served, w4.noShows) == (3, 2, 0))
        #expect(w4.averageWaitSeconds == 450)
        #expect(w4.maxWaitSeconds == 900)
    }

    @Test func aRatingCountsForTheWindowOfItsTicket() {
        let w3 = stats.windows[0], w4 = stats.windows[1]
        // Window 3 has A001 (5) and B001 (1, rated without a window).
        #expect(w3.evaluations == 2)
        #expect(w3.badReviews == 1)
        #expect(w3.satisfactionRate == 0.5)
        #expect(w4.evaluations == 2)
        #expect(w4.satisfactionRate == 0.5)
    }

    @Test func listedCategoriesAndWindowsWithoutTicketsShowZeros() {
        let c = stats.categories[2], w5 = stats.windows[2]
        for line in [c, w5] {
            #expect(line.issued == 0)
            #expect(line.averageWaitSeconds == nil)
            #expect(line.maxWaitSeconds == nil)
            #expect(line.averageServiceSeconds == nil)
            #expect(line.satisfactionRate == nil)
        }
    }

    @Test func unlistedCategoriesAndWindowsFollowInNameOrder() {
        let extra = [
            past("Z001", id: 50, .done, window: "9", issued: 0, firstCalled: 10, started: 10, finished: 20),
            past("Y001", id: 51, .waiting, issued: 0),
        ]
        let s = DayStats.compute(
            day: day0, tickets: tickets + extra, evaluations: [], categoryOrder: ["B"], windowOrder: ["4"])
        #expect(s.categories.map(\.key) == ["B", "A", "Y", "Z"])
        #expect(s.windows.map(\.key) == ["4", "3", "9"])
    }

    @Test func anEmptyDayHasNoFigures() {
        let s = DayStats.compute(day: day0, tickets: [], evaluations: [], categoryOrder: ["A"], windowOrder: ["3"])
        #expect(s.total.issued == 0)
        #expect(s.total.averageWaitSeconds == nil)
        #expect(s.total.satisfactionRate == nil)
        #expect(s.badReviews.isEmpty)
        #expect(s.day == day0)
    }
}
