import Foundation
import KioskClient
import KioskProtocol
import Synchronization
import Testing

/// `kill -9` in the middle of concurrent `queue.take` bursts: after a restart every answered
/// ticket exists with its number, no number is duplicated and none is skipped.
@Suite(.serialized) struct DurabilityTests {
    struct Answered: Hashable { var id: Int64; var number: String }

    @Test func killNineDuringTakeBurstsLosesNothingAndSkipsNothing() throws {
        let daemon = try DaemonHarness()
        var answered = Set<Answered>()
        for round in 0..<3 {
            try daemon.start()
            let collected = Mutex<[Answered]>([])
            let stop = Atomic<Bool>(false)
            let threads = (0..<4).map { _ in
                Thread {
                    guard let c = try? KioskClient(socketPath: daemon.socket, timeout: 5) else { return }
                    while !stop.load(ordering: .relaxed) {
                        guard let t = try? c.call("queue.take", ["category": "C"]),
                            let id = t["id"]?.intValue, let number = t["number"]?.stringValue
                        else { return }  // the daemon died under us
                        collected.withLock { $0.append(Answered(id: id, number: number)) }
                    }
                }
            }
            threads.forEach { $0.start() }
            // Let the bursts run, then kill without warning while requests are in flight.
            let target = 50 * (round + 1)
            let deadline = Date().addingTimeInterval(20)
            while collected.withLock({ $0.count }) < target && Date() < deadline { usleep(2_000) }
            daemon.kill9()
            stop.store(true, ordering: .relaxed)
            usleep(100_000)
            let got = collected.withLock { $0 }
            #expect(got.count >= target)
            answered.formUnion(got)
        }
        try daemon.start()
        let c = try daemon.client()
        // Every answered ticket is there, with the number it was answered with.
        for a in answered {
            let t = try c.call("queue.ticket", ["id": .int(a.id)])
            #expect(t["number"] == .string(a.number))
        }
        // No duplicates and no gaps: the numbers are exactly C001…C(n).
        let waiting = try #require(c.call("queue.waiting", ["category": "C"]).arrayValue)
        let numbers = waiting.compactMap { $0["number"]?.stringValue }
        #expect(Set(numbers).count == numbers.count)
        let expected = (1...numbers.count).map { String(format: "C%03d", $0) }
        #expect(Set(numbers) == Set(expected))
        #expect(answered.count <= numbers.count)
        // A new ticket continues the sequence.
        #expect(try c.call("queue.take", ["category": "C"])["number"] == .string(String(format: "C%03d", numbers.count + 1)))
    }
}
