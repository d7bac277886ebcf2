import Foundation
import Testing

@testable import KioskCore

/// One step of the ticket state machine, with the states it is legal from (the specification,
/// written here independently of `TicketLifecycle.swift`).
enum Step: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case call, recall, start, finish, noShow, requeue, cancel, transfer

    var legalFrom: Set<Ticket.State> {
        switch self {
        case .call: [.waiting]
        case .recall, .start, .noShow: [.called]
        case .finish: [.serving]
        case .requeue: [.noShow]
        case .cancel: [.waiting, .called]
        case .transfer: [.called, .serving]
        }
    }

    var leadsTo: Ticket.State {
        switch self {
        case .call, .recall: .called
        case .start: .serving
        case .finish: .done
        case .noShow: .noShow
        case .requeue, .transfer: .waiting
        case .cancel: .cancelled
        }
    }

    func apply(to t: inout Ticket) throws {
        let later = t0.addingTimeInterval(60)
        switch self {
        case .call: try t.call(window: "3", staff: "S01", at: later)
        case .recall: try t.recall(maxRecalls: 3)
        case .start: try t.start(at: later)
        case .finish: try t.finish(at: later)
        case .noShow: try t.markNoShow(at: later)
        case .requeue: try t.requeue(limit: 1, orderKey: 99)
        case .cancel: try t.cancel(reason: "left")
        case .transfer: try t.transfer(toCategory: "B", toWindow: nil, front: false, orderKey: 99)
        }
    }

    var testDescription: String { rawValue }
}

/// A ticket plausibly in `state` (the fields a real one would have there).
func ticket(in state: Ticket.State) -> Ticket {
    var t = ticket(1, state: state)
    if state != .waiting {
        t.window = "3"
        t.staff = "S01"
        t.calledAt = t0
        t.firstCalledAt = t0
    }
    if state == .serving || state == .done { t.startedAt = t0.addingTimeInterval(30) }
    if state == .done || state == .noShow { t.finishedAt = t0.addingTimeInterval(90) }
    if state == .cancelled { t.cancelReason = "earlier" }
    return t
}

@Suite("Ticket lifecycle: the state machine")
struct TicketLifecycleTests {
    static let legalPairs = Step.allCases.flatMap { step in
        Ticket.State.allCases.filter { step.legalFrom.contains($0) }.map { (step, $0) }
    }
    static let illegalPairs = Step.allCases.flatMap { step in
        Ticket.State.allCases.filter { !step.legalFrom.contains($0) }.map { (step, $0) }
    }

    @Test func ticketStatesAreExactlyTheContractOnes() {
        #expect(Ticket.State.allCases.map(\.rawValue).sorted()
            == ["called", "cancelled", "done", "no_show", "serving", "waiting"])
        #expect(Ticket.State.allCases.filter(\.isActive).sorted { $0.rawValue < $1.rawValue }
            == [.called, .serving, .waiting])
    }

    @Test(arguments: legalPairs)
    func legalStepSucceedsAndReachesItsState(step: Step, from state: Ticket.State) throws {
        var t = ticket(in: state)
        try step.apply(to: &t)
        #expect(t.state == step.leadsTo)
        #expect(t.number == "A001")
    }

    @Test(arguments: illegalPairs)
    func illegalStepIsInvalidStateAndChangesNothing(step: Step, from state: Ticket.State) {
        var t = ticket(in: state)
        let before = t
        let error = expectRefusal(.invalidState) { try step.apply(to: &t) }
        #expect(t == before)
        #expect(error?.details["state"] == state.rawValue)
    }

    // MARK: call

    @Test func callRecordsWindowStaffAndTime() throws {
        var t = ticket(1)
        let at = t0.addingTimeInterval(300)
        try t.call(window: "3", staff: "S01", at: at)
        #expect(t.state == .called)
        #expect(t.window == "3")
        #expect(t.staff == "S01")
        #expect(t.calledAt == at)
        #expect(t.firstCalledAt == at)
    }

    @Test func callClearsFrontAndWindowAssignment() throws {
        var t = ticket(1, front: true, assignedWindow: "5")
        try t.call(window: "5", staff: nil, at: t0)
        #expect(t.front == false)
        #expect(t.assignedWindow == nil)
    }

    // MARK: recall

    @Test func recallIsAllowedUpToMaxRecallsThenRefused() throws {
        var t = ticket(in: .called)
        for n in 1...3 {
            try t.recall(maxRecalls: 3)
            #expect(t.recalls == n)
            #expect(t.state == .called)
        }
        let before = t
        let error = expectRefusal(.invalidState) { try t.recall(maxRecalls: 3) }
        #expect(t == before)
        #expect(error?.details["recalls"] == "3")
    }

    @Test func zeroMaxRecallsRefusesTheFirstRecall() {
        var t = ticket(in: .called)
        expectRefusal(.invalidState) { try t.recall(maxRecalls: 0) }
        #expect(t.recalls == 0)
    }

    // MARK: start, finish, no-show

    @Test func startThenFinishRecordsServiceTimes() throws {
        var t = ticket(in: .called)
        let s = t0.addingTimeInterval(60), f = t0.addingTimeInterval(660)
        try t.start(at: s)
        #expect(t.state == .serving)
        #expect(t.startedAt == s)
        try t.finish(at: f)
        #expect(t.state == .done)
        #expect(t.finishedAt == f)
    }

    @Test func noShowKeepsTheNumberAndTheWindowThatCalledIt() throws {
        var t = ticket(in: .called)
        try t.markNoShow(at: t0.addingTimeInterval(120))
        #expect(t.state == .noShow)
        #expect(t.number == "A001")
        #expect(t.window == "3")
    }

    // MARK: requeue (过号重排)

    @Test func noShowTicketCanBeRequeuedOnceByDefault() throws {
        var t = ticket(1)
        try t.call(window: "3", staff: nil, at: t0)
        try t.markNoShow(at: t0.addingTimeInterval(60))
        try t.requeue(limit: QueueSettings().requeueLimit, orderKey: 50)
        #expect(t.state == .waiting)
        #expect(t.requeues == 1)

        try t.call(window: "3", staff: nil, at: t0.addingTimeInterval(600))
        try t.markNoShow(at: t0.addingTimeInterval(660))
        let before = t
        let error = expectRefusal(.invalidState) { try t.requeue(limit: 1, orderKey: 51) }
        #expect(t == before)
        #expect(error?.details["requeues"] == "1")
    }

    @Test func requeueLimitOfTwoAllowsTwoRequeues() throws {
        var t = ticket(1)
        for round in 1...2 {
            try t.call(window: "3", staff: nil, at: t0)
            try t.markNoShow(at: t0)
            try t.requeue(limit: 2, orderKey: Int64(100 + round))
            #expect(t.requeues == round)
        }
        try t.call(window: "3", staff: nil, at: t0)
        try t.markNoShow(at: t0)
        expectRefusal(.invalidState) { try t.requeue(limit: 2, orderKey: 200) }
    }

    @Test func requeueLimitOfZeroRefusesEveryRequeue() {
        var t = ticket(in: .noShow)
        let before = t
        expectRefusal(.invalidState) { try t.requeue(limit: 0, orderKey: 9) }
        #expect(t == before)
    }

    @Test func requeuedTicketKeepsItsNumberAndClearsTheCall() throws {
        var t = ticket(in: .noShow)
        t.recalls = 2
        try t.requeue(limit: 1, orderKey: 77)
        #expect(t.number == "A001")
        #expect(t.sequence == 1)
        #expect(t.orderKey == 77)
        #expect(t.window == nil)
        #expect(t.staff == nil)
        #expect(t.calledAt == nil)
        #expect(t.finishedAt == nil)
        #expect(t.front == false)
    }

    @Test func requeuedTicketGoesToTheBackOfItsQueue() throws {
        var lane = (1...5).map { ticket($0) }
        // A002 is called and does not come.
        try lane[1].call(window: "3", staff: nil, at: t0)
        try lane[1].markNoShow(at: t0.addingTimeInterval(60))
        lane.append(ticket(6))
        // It comes back: requeued behind everybody, including A006 issued meanwhile.
        try lane[1].requeue(limit: 1, orderKey: 7)
        let order = CallOrder.order(of: lane, priorityRun: 0, burst: 3).map(\.number)
        #expect(order == ["A001", "A003", "A004", "A005", "A006", "A002"])
    }

    // MARK: cancel

    @Test func cancelRecordsTheReason() throws {
        var waiting = ticket(in: .waiting)
        try waiting.cancel(reason: "citizen left")
        #expect(waiting.state == .cancelled)
        #expect(waiting.cancelReason == "citizen left")
    }

    // MARK: transfer

    @Test func transferFromCalledToAnotherCategoryWaitsThereAtTheBack() throws {
        var t = ticket(in: .called)
        try t.transfer(toCategory: "B", toWindow: nil, front: false, orderKey: 40)
        #expect(t.state == .waiting)
        #expect(t.category == "B")
        #expect(t.assignedWindow == nil)
        #expect(t.front == false)
        #expect(t.orderKey == 40)
        #expect(t.window == nil)
        #expect(t.staff == nil)
        #expect(t.calledAt == nil)
        #expect(t.transfers == 1)
        #expect(t.number == "A001")
    }

    @Test func transferFromServingToAWindowAssignsItAndForgetsTheStart() throws {
        var t = ticket(in: .serving)
        try t.transfer(toCategory: nil, toWindow: "7", front: false, orderKey: 41)
        #expect(t.state == .waiting)
        #expect(t.category == "A")
        #expect(t.assignedWindow == "7")
        #expect(t.startedAt == nil)
        #expect(t.transfers == 1)
    }

    @Test func transferToTheFrontSetsTheFrontFlag() throws {
        var t = ticket(in: .called)
        try t.transfer(toCategory: "B", toWindow: nil, front: true, orderKey: 42)
        #expect(t.front == true)
    }

    @Test func transferredToFrontIsCalledBeforeEarlierTicketsOfTheNewCategory() throws {
        var moved = ticket(1, category: "A", state: .called)
        moved.window = "3"
        try moved.transfer(toCategory: "B", toWindow: nil, front: true, orderKey: 100)
        let lane = [ticket(2, category: "B"), ticket(3, category: "B", priority: .green), moved]
        #expect(CallOrder.order(of: lane, priorityRun: 0, burst: 3).first?.number == "A001")
    }

    @Test func firstCalledAtIsKeptAcrossRequeueAndTransfer() throws {
        var t = ticket(1)
        let first = t0.addingTimeInterval(100)
        try t.call(window: "3", staff: nil, at: first)
        try t.markNoShow(at: t0.addingTimeInterval(200))
        try t.requeue(limit: 1, orderKey: 10)
        #expect(t.firstCalledAt == first)
        try t.call(window: "4", staff: nil, at: t0.addingTimeInterval(900))
        #expect(t.firstCalledAt == first)
        #expect(t.calledAt == t0.addingTimeInterval(900))
        try t.start(at: t0.addingTimeInterval(950))
        try t.transfer(toCategory: "B", toWindow: nil, front: false, orderKey: 11)
        #expect(t.firstCalledAt == first)
        try t.call(window: "5", staff: nil, at: t0.addingTimeInterval(2000))
        #expect(t.firstCalledAt == first)
    }
}
