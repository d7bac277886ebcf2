import Foundation
import KioskCore
import KioskProtocol
import Testing
@testable import KioskDaemon

/// 取号 through the service and a real SQLite store: each refusal changes nothing.
@Suite struct IssueTests {
    @Test func dailyLimitRefusesTheNextTicketAndIssuesNothing() async throws {
        let f = try HallFixture()
        for _ in 0..<5 { try await f.take("B") }
        #expect(await reason { try await f.take("B") } == "daily_limit")
        #expect(try await f.hall.categories().first { $0.id == "B" }?.issued == 5)
        #expect(f.events("ticket.issued").count == 5)
    }

    @Test func prereviewCategoryIsIssuedOnlyAtAPrereviewWindow() async throws {
        let f = try HallFixture()
        #expect(await reason { try await f.take("D") } == "prereview_required")
        #expect(await reason { try await f.take("D", role: .counter, window: "1") } == "prereview_required")
        #expect(await reason { try await f.take("D", role: .kiosk, window: "P1") } == "prereview_required")
        #expect(try await f.take("D", role: .counter, window: "P1").number == "D001")
    }

    @Test func onePersonHoldsOneActiveTicketPerCategory() async throws {
        let f = try HallFixture()
        let id = idNumber(born: "19850612")
        let first = try await f.take("A", id: id)
        #expect(first.holder == IDNumber.mask(id))
        #expect(await reason { try await f.take("A", id: id) } == "duplicate_ticket")
        // Another category is fine; after cancelling, the same category is fine again.
        #expect(try await f.take("C", id: id).number == "C001")
        _ = try await f.hall.cancel(ticket: first.id, reason: nil)
        #expect(try await f.take("A", id: id).number == "A002")
    }

    @Test func idNumbersAreNeverStoredInTheClear() async throws {
        let f = try HallFixture()
        let id = idNumber(born: "19850612")
        try await f.take("A", id: id)
        let db = try Data(contentsOf: f.dir.appendingPathComponent("kioskd.sqlite"))
            + ((try? Data(contentsOf: f.dir.appendingPathComponent("kioskd.sqlite-wal"))) ?? Data())
        #expect(db.range(of: Data(id.utf8)) == nil)
        #expect(f.events.withLock { $0.allSatisfy { !$0.json.contains(id) } })
    }

    @Test func elderlyHoldersGoToTheGreenChannelAutomatically() async throws {
        let f = try HallFixture(start: HallFixture.beijing(23, 10))
        // 60 on 2026-11-23 exactly, and one day short of it.
        #expect(try await f.take("A", id: idNumber(born: "19661123")).priority == "green")
        #expect(try await f.take("A", id: idNumber(born: "19661124", serial: "456")).priority == "normal")
        #expect(try await f.take("A", green: true).priority == "green")
    }

    @Test func appointmentChecksInInsideItsSlotOnly() async throws {
        let f = try HallFixture(start: HallFixture.beijing(23, 9))
        let slot = AppointmentBookParams(category: "A", code: "YY-0001",
            slotStart: ISO8601.string(HallFixture.beijing(23, 10)), slotEnd: ISO8601.string(HallFixture.beijing(23, 10, 30)))
        _ = try await f.hall.book(slot)
        _ = try await f.hall.book(slot)  // same booking twice: accepted once
        var other = slot
        other.category = "C"
        #expect(await reason { try await f.hall.book(other) } == "conflict")
        let checkIn = TakeParams(appointmentCode: "YY-0001")
        #expect(await reason { try await f.hall.take(checkIn, caller: Caller(role: .kiosk)) } == "outside_slot")
        f.clock.set(HallFixture.beijing(23, 10, 5))
        let t = try await f.hall.take(checkIn, caller: Caller(role: .kiosk))
        #expect(t.priority == "appointment")
        #expect(t.category == "A")
        #expect(await reason { try await f.hall.take(checkIn, caller: Caller(role: .kiosk)) } == "invalid_state")
        #expect(await reason { try await f.hall.take(TakeParams(appointmentCode: "nope"), caller: Caller(role: .kiosk)) } == "not_found")
    }

    @Test func waitingTicketsKnowHowManyAreAheadAndHowLongToWait() async throws {
        let f = try HallFixture(queue: { var q = QueueSettings(); q.defaultServiceSeconds = 600; return q }())
        try await f.open("3")
        let tickets = try await (0..<4).asyncMap { _ in try await f.take("C") }
        #expect(tickets.map(\.ahead) == [0, 1, 2, 3])
        // One open, idle window: the first is called at once, the others wait one service each.
        #expect(tickets.map(\.estimatedWaitSeconds) == [0, 600, 1200, 1800])
        _ = try await f.hall.call(window: "3", ticket: nil)
        let now = try await f.hall.ticket(id: tickets[3].id, number: nil, date: nil)
        #expect(now.ahead == 2)
        #expect(now.estimatedWaitSeconds == 1800)  // the window is busy: 3 departures
    }
}

extension Sequence {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var out: [T] = []
        for e in self { out.append(try await transform(e)) }
        return out
    }
}

@Suite struct CardTokenTests {
    @Test func aTokenIsBoundToItsConnectionAndExpires() throws {
        let clock = ManualClock(HallFixture.beijing(23, 9))
        let tokens = CardTokens(lifetime: 120, clock: clock)
        let id = try IDNumber(validating: idNumber(born: "19850612"))
        let (token, _) = tokens.issue(for: id, personKey: "k", connection: 7)
        #expect(try tokens.redeem(token, connection: 7).masked == id.masked)
        #expect(throws: KioskError.self) { try tokens.redeem(token, connection: 8) }
        clock.advance(by: 121)
        #expect(throws: KioskError.self) { try tokens.redeem(token, connection: 7) }
    }
}

