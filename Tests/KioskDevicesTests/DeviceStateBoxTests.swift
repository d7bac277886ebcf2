import Foundation
import KioskCore
import Testing

@testable import KioskDevices

@Suite struct DeviceStateBoxTests {
    static func assess(_ level: Int) -> (DeviceHealth.State, String) {
        switch level {
        case 0: (.ok, "ready")
        case 1: (.degraded, "low")
        case 2: (.fault, "broken")
        default: (.fault, "very broken")
        }
    }

    @Test func aReasonChangeNotifiesButKeepsSince() {
        let clock = ManualClock(Fixtures.issuedAt)
        let box = DeviceStateBox(0, health: .ready(since: clock.now()), clock: clock)
        let recorder = HealthRecorder()
        box.observe { recorder.record($0) }
        clock.advance(by: 10)
        box.mutate(assess: Self.assess) { s, _ in s = 2 }
        clock.advance(by: 10)
        box.mutate(assess: Self.assess) { s, _ in s = 3 }
        #expect(recorder.changes.map(\.reason) == ["broken", "very broken"])
        #expect(recorder.changes.map(\.since) == [Fixtures.issuedAt + 10, Fixtures.issuedAt + 10])
    }

    @Test func anObserverMayLookAtTheDeviceAgain() {
        let clock = ManualClock(Fixtures.issuedAt)
        let box = DeviceStateBox(0, health: .ready(since: clock.now()), clock: clock)
        let recorder = HealthRecorder()
        box.observe { h in
            // Reading, and even changing, the box from the observer must not deadlock.
            recorder.record(box.health)
            if h.state == .degraded { box.mutate(assess: Self.assess) { s, _ in s = 2 } }
        }
        box.mutate(assess: Self.assess) { s, _ in s = 1 }
        #expect(recorder.states == [.degraded, .fault])
        #expect(box.health.state == .fault)
    }

    @Test func anErrorNoteSetsLastErrorWithoutNotifying() {
        let clock = ManualClock(Fixtures.issuedAt)
        let box = DeviceStateBox(0, health: .ready(since: clock.now()), clock: clock)
        let recorder = HealthRecorder()
        box.observe { recorder.record($0) }
        box.mutate(assess: Self.assess) { _, note in note.record("hiccup") }
        #expect(box.health.lastError == "hiccup")
        #expect(box.health.state == .ok)
        #expect(recorder.changes.isEmpty)
    }

    @Test func concurrentChangesAreDeliveredInOrderAndEndConsistent() async {
        let clock = ManualClock(Fixtures.issuedAt)
        let box = DeviceStateBox(0, health: .ready(since: clock.now()), clock: clock)
        let recorder = HealthRecorder()
        box.observe { recorder.record($0) }
        await withTaskGroup(of: Void.self) { group in
            for i in 0..<200 {
                group.addTask { box.mutate(assess: Self.assess) { s, _ in s = i % 3 } }
            }
        }
        // Whatever the interleaving, the last notification is the final health,
        // and no two consecutive notifications are the same.
        #expect(recorder.changes.last?.state == box.health.state || recorder.changes.isEmpty)
        let pairs = zip(recorder.changes, recorder.changes.dropFirst())
        #expect(pairs.allSatisfy { $0.reason != $1.reason })
        #expect(Self.assess(box.state).1 == box.health.reason)
    }
}
