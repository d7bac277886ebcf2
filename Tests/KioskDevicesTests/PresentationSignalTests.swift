import Foundation
import Synchronization
import Testing
@testable import KioskDevices

/// A reader's card-placement observer is called the same way however many cards came before.
@Suite struct PresentationSignalTests {
    @Test func theObserverIsCalledAtTheSameDepthAfterManyCards() {
        let signal = PresentationSignal()
        let depths = Mutex<[Int]>([])
        signal.observe { _ in depths.withLock { $0.append(Thread.callStackReturnAddresses.count) } }
        for _ in 0..<200 { signal.send(.resident) }
        let seen = depths.withLock { $0 }
        #expect(seen.count == 200)
        #expect(seen.last == seen.first, "stack depth at the observer: first \(seen.first ?? 0), last \(seen.last ?? 0)")
    }
}
