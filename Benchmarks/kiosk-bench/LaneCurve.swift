import Foundation
import KioskClient
import KioskProtocol

/// `--only curve`: does a request cost the same whatever the queue? One lane is filled to each
/// level in turn and, at each, `queue.take`, `queue.ticket` (the new ticket, just after the
/// take's commit, so never from the read cache) and `queue.call` are timed; a no-show after each
/// call (not timed) frees the window, so the lane stays at its level while it is measured.
extension Bench {
    static let curveLevels = [0, 1_000, 2_500, 5_000, 7_500, 10_000]
    /// Rounds between two blocks of as many raw commits.
    static let curveBlock = 30

    func laneCurve() throws {
        let before = try rawCommit()
        // The disk's speed drifts within a run: each level's ratio is to raw commits timed in
        // blocks between its own rounds, so both see the same minutes of the disk.
        let raw = try RawCommits(), asLarge = try RawCommits(pages: 11)
        try raw.warmUp()
        try asLarge.warmUp()
        let d = try Daemon.start()
        let c = try KioskClient(socketPath: d.socket)
        try c.call("window.open", ["window": "1", "staff": "bench"])
        var waiting = 0
        for _ in 0..<50 {  // warm up: the lane is back at 0 afterwards
            let t = try c.call("queue.take", ["category": "C"])
            try c.call("queue.ticket", ["id": t["id"]!])
            try c.call("queue.call", ["window": "1"])
            try c.call("queue.noShow", ["window": "1"])
        }
        say("waiting in lane C → p50 / p99 in ms and p50 ÷ the raw commit p50 timed between them (\(curveSamples) of each per level; raw commit p50 before \(String(format: "%.3f", before)) ms)")
        for level in Self.curveLevels {
            while waiting < level {
                try c.call("queue.take", ["category": "C"])
                waiting += 1
            }
            var take: [Double] = [], ticket: [Double] = [], call: [Double] = [], commit: [Double] = [], large: [Double] = []
            for round in 0..<curveSamples {
                if round % Self.curveBlock == 0 {
                    commit += try raw.time(Self.curveBlock)
                    large += try asLarge.time(Self.curveBlock)
                }
                var t0 = DispatchTime.now()
                let t = try c.call("queue.take", ["category": "C"])
                take.append(ms(since: t0))
                t0 = DispatchTime.now()
                try c.call("queue.ticket", ["id": t["id"]!])
                ticket.append(ms(since: t0))
                t0 = DispatchTime.now()
                try c.call("queue.call", ["window": "1"])
                call.append(ms(since: t0))
                try c.call("queue.noShow", ["window": "1"])
            }
            let (tk, tc, ca, co, lg) = (Percentiles(take), Percentiles(ticket), Percentiles(call), Percentiles(commit), Percentiles(large))
            say(String(format: "%6d waiting: take %.3f / %.3f (%.2f×), ticket %.3f / %.3f (%.2f×), call %.3f / %.3f (%.2f×); raw commit %.3f; of 11 pages %.3f (take %.2f×, call %.2f×)",
                level, tk.p50, tk.p99, tk.p50 / co.p50, tc.p50, tc.p99, tc.p50 / co.p50, ca.p50, ca.p99, ca.p50 / co.p50, co.p50,
                lg.p50, tk.p50 / lg.p50, ca.p50 / lg.p50))
        }
        // The disk's speed drifts: the floor again, after the run.
        _ = try rawCommit()
    }
}
