import KioskCore
import Testing

/// `CallOrder.ahead` places a ticket from counts alone; it must agree with the full simulated
/// order (`CallOrder.order`) that the daemon calls by.
@Suite struct CallOrderAheadTests {
    /// The counts the store would report for `t` in `lane`.
    func counts(of t: Ticket, in lane: [Ticket]) -> CallOrder.LaneCounts {
        func group(_ x: Ticket) -> Int { x.front ? 0 : (x.priority.isPriority ? 1 : 2) }
        return CallOrder.LaneCounts(
            fronts: lane.count { $0.front }, priorities: lane.count { !$0.front && $0.priority.isPriority },
            normals: lane.count { !$0.front && !$0.priority.isPriority },
            beforeInGroup: lane.count { group($0) == group(t) && $0.orderKey < t.orderKey })
    }

    @Test func aheadFromCountsEqualsThePositionInTheSimulatedOrder() {
        var rng = SeededRNG(seed: 20261121)
        for _ in 0..<3000 {
            let size = Int(rng.next() % 25)
            let burst = Int(rng.next() % 5)
            let run = Int(rng.next() % 6)
            let lane = (0..<size).map { i in
                let roll = rng.next() % 10
                return ticket(i + 1, priority: roll < 3 ? .green : (roll < 4 ? .appointment : .normal),
                    orderKey: Int64(rng.next() % 1000) * 100 + Int64(i), front: roll == 9)
            }
            let order = CallOrder.order(of: lane, priorityRun: run, burst: burst)
            for (index, t) in order.enumerated() {
                #expect(CallOrder.ahead(of: t, counts: counts(of: t, in: lane), priorityRun: run, burst: burst) == index,
                    "burst \(burst) run \(run) lane \(lane.map { ($0.front ? "F" : $0.priority.isPriority ? "P" : "N") + "\($0.orderKey)" })")
            }
        }
    }

    @Test func examplesReadAsTheRuleSays() {
        // burst 3, no run yet: G G G N G G N — the second normal has 6 ahead.
        let c = CallOrder.LaneCounts(fronts: 0, priorities: 5, normals: 2, beforeInGroup: 1)
        #expect(CallOrder.ahead(of: ticket(2), counts: c, priorityRun: 0, burst: 3) == 6)
        // The fifth green (index 4) waits for the first normal: 4 greens and 1 normal before it.
        let g = CallOrder.LaneCounts(fronts: 0, priorities: 5, normals: 2, beforeInGroup: 4)
        #expect(CallOrder.ahead(of: ticket(9, priority: .green), counts: g, priorityRun: 0, burst: 3) == 5)
        // A front transfer is ahead of everyone but earlier fronts.
        let f = CallOrder.LaneCounts(fronts: 2, priorities: 5, normals: 2, beforeInGroup: 1)
        #expect(CallOrder.ahead(of: ticket(10, front: true), counts: f, priorityRun: 0, burst: 3) == 1)
    }
}
