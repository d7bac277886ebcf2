import Foundation
import KioskCore
import KioskTestSupport
import Synchronization
import Testing

@testable import KioskDevices

/// The reader's watch: a card put down while nobody reads is noticed, announced by type and
/// held for the next read; a reader that goes away is retried with backoff.
@Suite(.serialized) struct SAMReaderWatchTests {
    /// Collects what the reader announces.
    final class Announcements: Sendable {
        let seen = Mutex<[IDCard.CardType]>([])
        var all: [IDCard.CardType] { seen.withLock { $0 } }

        func wait(for count: Int, seconds: Double = 30) async -> [IDCard.CardType] {
            let end = ContinuousClock.now + .seconds(seconds)
            while ContinuousClock.now < end, all.count < count { try? await Task.sleep(for: .milliseconds(10)) }
            return all
        }
    }

    func watchedReader(_ emulator: PtySAMReader, hold: Duration = .seconds(30)) -> (SAMIDCardReader, Announcements) {
        let options = SAMIDCardReader.Options(
            pollInterval: .milliseconds(20), responseTimeout: .milliseconds(400), attempts: 2, holdPlacement: hold)
        let reader = SAMIDCardReader(id: "card0", serialPath: emulator.path, options: options)
        let announcements = Announcements()
        reader.observePresentations { type in announcements.seen.withLock { $0.append(type) } }
        reader.startWatching(every: .milliseconds(20))
        return (reader, announcements)
    }

    @Test func aCardPutDownIsAnnouncedOnceAndHeldForTheNextRead() async throws {
        let emulator = try PtySAMReader()
        defer { emulator.stop() }
        // Held far longer than any stall of a loaded test run: the default 30 s once ran out
        // between the announcement and the status check when the test's task was starved.
        let (reader, announcements) = watchedReader(emulator, hold: .seconds(600))
        defer { reader.stopWatching() }
        emulator.place(text: CardTextFixture.hkMacauTaiwan())
        #expect(await announcements.wait(for: 1) == [.hkMacauTaiwan])
        #expect(await reader.status().cardPresent)

        let reads = emulator.commands.filter { $0 == SAMFixture.readBaseInfo }.count
        let card = try await reader.readCard(timeout: .seconds(5))  // held: answered at once; the bound is for a failure only
        #expect(card.cardType == .hkMacauTaiwan)
        #expect(card.name == "陈大文")
        // Handed over from memory, not read twice; and only once.
        #expect(emulator.commands.filter { $0 == SAMFixture.readBaseInfo }.count == reads)
        #expect(await !reader.status().cardPresent)
        await #expect(throws: DeviceError.timeout(id: "card0", seconds: 0.2)) {
            try await reader.readCard(timeout: .milliseconds(200))
        }
        // Still one announcement for the one placement, though the watch kept looking.
        try await Task.sleep(for: .milliseconds(100))
        #expect(announcements.all == [.hkMacauTaiwan])

        // A new placement is a new announcement.
        emulator.lift()
        emulator.place(text: CardTextFixture.resident())
        #expect(await announcements.wait(for: 2) == [.hkMacauTaiwan, .resident])
    }

    @Test func aHeldCardExpires() async throws {
        let emulator = try PtySAMReader()
        defer { emulator.stop() }
        let (reader, announcements) = watchedReader(emulator, hold: .milliseconds(100))
        defer { reader.stopWatching() }
        emulator.place(text: CardTextFixture.resident())
        #expect(await announcements.wait(for: 1) == [.resident])
        try await Task.sleep(for: .milliseconds(250))
        // Nobody asked in time: the person's data is gone from memory.
        await #expect(throws: DeviceError.timeout(id: "card0", seconds: 0.2)) {
            try await reader.readCard(timeout: .milliseconds(200))
        }
    }

    @Test func aReadWaitingWhenTheCardComesAnnouncesItToo() async throws {
        let emulator = try PtySAMReader()
        defer { emulator.stop() }
        let (reader, announcements) = watchedReader(emulator)
        defer { reader.stopWatching() }
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.2) { emulator.place(text: CardTextFixture.resident()) }
        let card = try await reader.readCard(timeout: .seconds(3))
        #expect(card.cardType == .resident)
        #expect(await announcements.wait(for: 1) == [.resident])
    }

    @Test func anUnpluggedReaderIsRetriedWithBackoffNotInABusyLoop() async throws {
        let emulator = try PtySAMReader()
        let (reader, _) = watchedReader(emulator)
        defer { reader.stopWatching() }
        _ = await reader.status()
        #expect(reader.health.state == .ok)
        emulator.unplug()
        let end = ContinuousClock.now + .seconds(3)
        while ContinuousClock.now < end, reader.health.state != .absent { try await Task.sleep(for: .milliseconds(10)) }
        #expect(reader.health.state == .absent)
        // At a 20 ms watch interval a busy loop would retry ~50 times a second; the backoff
        // (0.5 s, then 1 s, …) allows at most a few retries in 1.6 s.
        let commands = emulator.commands.count
        try await Task.sleep(for: .milliseconds(1600))
        #expect(emulator.commands.count == commands)  // the port is gone: nothing reaches it
        #expect(reader.health.state == .absent)
        #expect(reader.isWatching)
    }
}
