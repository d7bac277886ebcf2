import Testing

@testable import KioskCore

/// Calls a lane dry with `CallOrder.next(in:)`, as the daemon would, each pick becoming `called`.
func callAll(_ lane: [Ticket], priorityRun: Int = 0, burst: Int) -> [Ticket] {
    callAllKeepingRun(lane, priorityRun: priorityRun, burst: burst).called
}

/// The same, also giving the lane as left behind and the lane's priority run at the end.
func callAllKeepingRun(
    _ lane: [Ticket], priorityRun: Int = 0, burst: Int
) -> (called: [Ticket], lane: [Ticket], run: Int) {
    var lane = lane, run = priorityRun, called: [Ticket] = []
    while let pick = CallOrder.next(in: lane, priorityRun: run, burst: burst) {
        called.append(pick.ticket)
        run = pick.priorityRun
        let i = lane.firstIndex { $0.id == pick.ticket.id }!
        lane[i].state = .called
        if called.count > lane.count { break }  // a pick that is not consumed would loop forever
    }
    return (called, lane, run)
}

@Suite("Call order (叫号顺序)")
struct CallOrderTests {
    let windowAB = Window(id: "3", name: "3号窗口", serves: ["A", "B"])
    let windowBA = Window(id: "4", name: "4号窗口", serves: ["B", "A"])

    // MARK: lanes and precedence

    @Test func servesOrderIsPrecedenceEvenOverAnEarlierTicket() throws {
        let waiting = [ticket(1, id: 1, category: "A", orderKey: 1), ticket(1, id: 2, category: "B", orderKey: 2)]
        let pick = try #require(CallOrder.next(for: windowBA, waiting: waiting, runs: [:], burst: 3))
        #expect(pick.pick.ticket.id == 2)
        #expect(pick.lane == .category("B"))
    }

    @Test func twoWindowsWithDifferentServesCallDifferentTickets() throws {
        let waiting = [ticket(1, id: 1, category: "A", orderKey: 1), ticket(1, id: 2, category: "B", orderKey: 2)]
        let at3 = try #require(CallOrder.next(for: windowAB, waiting: waiting, runs: [:], burst: 3))
        let at4 = try #require(CallOrder.next(for: windowBA, waiting: waiting, runs: [:], burst: 3))
        #expect(at3.pick.ticket.id == 1)
        #expect(at4.pick.ticket.id == 2)
    }

    @Test func aWindowFallsThroughToItsNextCategoryWhenTheFirstIsEmpty() throws {
        let waiting = [ticket(1, id: 1, category: "A")]
        let pick = try #require(CallOrder.next(for: windowBA, waiting: waiting, runs: [:], burst: 3))
        #expect(pick.pick.ticket.id == 1)
        #expect(pick.lane == .category("A"))
    }

    @Test func aWindowNeverCallsACategoryItDoesNotServe() {
        let waiting = [ticket(1, id: 1, category: "C")]
        #expect(CallOrder.next(for: windowAB, waiting: waiting, runs: [:], burst: 3) == nil)
    }

    @Test func ticketsTransferredToTheWindowComeBeforeItsCategories() throws {
        let waiting = [
            ticket(1, id: 1, category: "A", priority: .green, orderKey: 1, front: true),
            ticket(9, id: 9, category: "C", orderKey: 50, assignedWindow: "3"),
        ]
        let pick = try #require(CallOrder.next(for: windowAB, waiting: waiting, runs: [:], burst: 3))
        #expect(pick.pick.ticket.id == 9)
        #expect(pick.lane == .window("3"))
    }

    @Test func aTicketAssignedToAWindowIsCalledByThatWindowOnly() {
        let waiting = [ticket(1, id: 1, category: "A", assignedWindow: "3")]
        let other = Window(id: "4", name: "4号窗口", serves: ["A"])
        #expect(CallOrder.next(for: other, waiting: waiting, runs: [:], burst: 3) == nil)
        #expect(CallOrder.lane(of: waiting[0]) == .window("3"))
        #expect(CallOrder.lane(of: ticket(2, category: "A")) == .category("A"))
    }

    @Test func eachLaneKeepsItsOwnPriorityRun() throws {
        let window = Window(id: "3", name: "3", serves: ["A"])
        let waiting = [ticket(1, id: 1, priority: .green, orderKey: 1), ticket(2, id: 2, orderKey: 2)]
        // Lane B is at its burst; lane A is not: A still calls its green ticket.
        let runs: [CallOrder.Lane: Int] = [.category("B"): 3]
        let pick = try #require(CallOrder.next(for: window, waiting: waiting, runs: runs, burst: 3))
        #expect(pick.pick.ticket.id == 1)
        #expect(pick.pick.priorityRun == 1)
        // Lane A at its burst: the normal ticket.
        let atBurst = try #require(CallOrder.next(for: window, waiting: waiting, runs: [.category("A"): 3], burst: 3))
        #expect(atBurst.pick.ticket.id == 2)
        #expect(atBurst.pick.priorityRun == 0)
    }

    // MARK: within a lane

    @Test func onlyWaitingTicketsAreCalled() {
        let lane = [
            ticket(1, state: .called), ticket(2, state: .serving), ticket(3, state: .done),
            ticket(4, state: .noShow), ticket(5, state: .cancelled),
        ]
        #expect(CallOrder.next(in: lane, priorityRun: 0, burst: 3) == nil)
        #expect(CallOrder.order(of: lane, priorityRun: 0, burst: 3).isEmpty)
        #expect(CallOrder.next(in: [], priorityRun: 0, burst: 3) == nil)
    }

    @Test func normalTicketsAreCalledInIssueOrder() {
        let lane = [ticket(3, orderKey: 3), ticket(1, orderKey: 1), ticket(2, orderKey: 2)]
        #expect(callAll(lane, burst: 3).map(\.number) == ["A001", "A002", "A003"])
    }

    @Test func frontTicketsComeFirstInTheirOwnOrder() {
        let lane = [
            ticket(1, priority: .green), ticket(2),
            ticket(3, orderKey: 30, front: true), ticket(4, orderKey: 20, front: true),
        ]
        #expect(callAll(lane, burst: 3).map(\.number) == ["A004", "A003", "A001", "A002"])
    }

    @Test func frontCallsDoNotCountTowardThePriorityRun() {
        let lane = [ticket(1), ticket(2, priority: .green), ticket(3, orderKey: 0, front: true)]
        let pick = CallOrder.next(in: lane, priorityRun: 2, burst: 3)
        #expect(pick?.ticket.number == "A003")
        #expect(pick?.priorityRun == 2)
    }

    @Test(arguments: [Ticket.Priority.green, .appointment])
    func priorityTicketGoesBeforeAnEarlierNormalTicket(priority: Ticket.Priority) {
        let lane = [ticket(1), ticket(2, priority: priority)]
        let pick = CallOrder.next(in: lane, priorityRun: 0, burst: 3)
        #expect(pick?.ticket.number == "A002")
        #expect(pick?.priorityRun == 1)
    }

    @Test func priorityTicketsAmongThemselvesGoInIssueOrder() {
        let lane = [ticket(1, priority: .appointment, orderKey: 5), ticket(2, priority: .green, orderKey: 4)]
        #expect(callAll(lane, burst: 3).map(\.number) == ["A002", "A001"])
    }

    @Test func burstOfThreeWithFiveGreensAndTwoNormalsAlternates() {
        let normals = [ticket(1), ticket(2)]
        let greens = (3...7).map { ticket($0, priority: .green) }
        let kinds = callAll(normals + greens, burst: 3).map { $0.priority == .green ? "G" : "N" }
        #expect(kinds == ["G", "G", "G", "N", "G", "G", "N"])
    }

    @Test func neverMoreThanBurstPrioritiesInARowWhileANormalWaits() {
        let lane = [ticket(1)] + (2...9).map { ticket($0, priority: .green) }
        let kinds = callAll(lane, burst: 2).map { $0.priority == .green ? "G" : "N" }
        #expect(kinds == ["G", "G", "N", "G", "G", "G", "G", "G", "G"])
    }

    @Test func theRunResetsWhenANormalTicketIsCalled() {
        let lane = [ticket(1), ticket(2), ticket(3)] + (4...9).map { ticket($0, priority: .green) }
        let calls = callAll(lane, burst: 2).map { $0.priority == .green ? "G" : "N" }
        #expect(calls == ["G", "G", "N", "G", "G", "N", "G", "G", "N"])
        let afterNormal = CallOrder.next(in: [ticket(1), ticket(2, priority: .green)], priorityRun: 2, burst: 2)
        #expect(afterNormal?.ticket.number == "A001")
        #expect(afterNormal?.priorityRun == 0)
    }

    @Test func runCarriedInFromEarlierCallsIsHonoured() {
        let lane = [ticket(1), ticket(2, priority: .green), ticket(3, priority: .green)]
        let kinds = callAll(lane, priorityRun: 2, burst: 3).map { $0.priority == .green ? "G" : "N" }
        #expect(kinds == ["G", "N", "G"])
    }

    @Test func prioritiesCalledWithNoNormalWaitingDoNotCountTowardTheRun() {
        // Only green tickets wait: each is called, and the run stays where it was.
        let onlyGreens = [ticket(1, priority: .green), ticket(2, priority: .green)]
        let first = CallOrder.next(in: onlyGreens, priorityRun: 0, burst: 2)
        #expect(first?.priorityRun == 0)
        // Even a run at the burst does not hold back a green ticket when no normal one waits.
        let atBurst = CallOrder.next(in: onlyGreens, priorityRun: 2, burst: 2)
        #expect(atBurst?.ticket.number == "A001")
        #expect(atBurst?.priorityRun == 2)
        // Two greens called alone, then a normal arrives with more greens: a full burst still goes first.
        let alone = callAllKeepingRun(onlyGreens, priorityRun: 0, burst: 2)
        #expect(alone.called.count == 2)
        #expect(alone.run == 0)
        let lane = alone.lane
            + [ticket(3), ticket(4, priority: .green), ticket(5, priority: .green), ticket(6, priority: .green)]
        let kinds = callAll(lane, priorityRun: alone.run, burst: 2).map { $0.priority == .green ? "G" : "N" }
        #expect(kinds == ["G", "G", "N", "G"])
    }

    @Test func burstZeroNeverLetsPriorityOvertakeAWaitingNormal() {
        let lane = [ticket(1), ticket(2, priority: .green), ticket(3)]
        #expect(callAll(lane, burst: 0).map(\.number) == ["A001", "A003", "A002"])
    }

    // MARK: order(of:) is the basis of `ahead`

    @Test func orderOfALaneAgreesWithRepeatedNextOnRandomLanes() {
        var rng = SeededRNG(seed: 20_261_121)
        let others: [Ticket.State] = [.called, .serving, .done, .noShow, .cancelled]
        let priorities: [Ticket.Priority] = [.normal, .normal, .green, .appointment]
        var nonTrivial = 0
        for _ in 0..<3000 {
            let count = Int.random(in: 0...18, using: &rng)
            let keys = (0..<count).map { Int64($0 * 10) }.shuffled(using: &rng)
            let lane = (0..<count).map { i in
                ticket(
                    i + 1,
                    state: Int.random(in: 0..<5, using: &rng) == 0 ? others.randomElement(using: &rng)! : .waiting,
                    priority: priorities.randomElement(using: &rng)!, orderKey: keys[i],
                    front: Int.random(in: 0..<8, using: &rng) == 0)
            }
            let burst = Int.random(in: 0...4, using: &rng)
            let run = Int.random(in: 0...(burst + 1), using: &rng)

            let predicted = CallOrder.order(of: lane, priorityRun: run, burst: burst)
            let called = callAll(lane, priorityRun: run, burst: burst)
            #expect(predicted.map(\.id) == called.map(\.id), "burst \(burst), run \(run), lane \(lane.map(\.orderKey))")

            // Independent of the code: everyone waiting is called once, nobody else is.
            let waitingIDs = Set(lane.filter { $0.state == .waiting }.map(\.id))
            #expect(called.count == waitingIDs.count)
            #expect(Set(called.map(\.id)) == waitingIDs)
            // Fronts first; then never more than `burst` priorities in a row while a normal waits.
            let fronts = called.prefix { $0.front }
            #expect(fronts.count == called.filter(\.front).count)
            var inARow = run, normalsLeft = called.filter { !$0.front && !$0.priority.isPriority }.count
            for t in called.dropFirst(fronts.count) {
                if t.priority.isPriority {
                    if normalsLeft > 0 {
                        inARow += 1
                        #expect(inARow <= burst, "too many priority calls in a row")
                    }
                } else {
                    normalsLeft -= 1
                    inARow = 0
                }
            }
            if Set(called.map(\.priority)).count > 1 { nonTrivial += 1 }
        }
        #expect(nonTrivial > 1000)  // the generator really mixes priorities
    }
}
