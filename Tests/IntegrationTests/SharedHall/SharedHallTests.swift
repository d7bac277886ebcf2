import Foundation
import KioskClient
import KioskProtocol
import KioskTestSupport
import Synchronization
import Testing

/// One hall, three terminals: three real kioskd processes on one real PostgreSQL database keep
/// every promise one daemon keeps — one numbering, no ticket called twice, one event log in one
/// order — including when one of them is killed mid-burst.
@Suite(.serialized) struct SharedHallTests {
    struct Answered: Hashable { var id: Int64; var number: String }

    /// Two clients per daemon take C tickets as fast as they can; the second daemon is killed
    /// (`kill -9`) mid-burst. On a surviving daemon: every answered ticket exists with the number
    /// it was answered with, and the numbers are exactly C001…Cn — none twice, none skipped.
    @Test func concurrentTakesOnThreeDaemonsNumberOnceWithoutGapsThroughAKill() throws {
        let hall = try SharedHall()
        try hall.startAll()
        let collected = Mutex<[Answered]>([])
        let stop = Atomic<Bool>(false)
        let threads = (0..<6).map { i in
            Thread {
                guard let c = try? KioskClient(socketPath: hall[i % 3].socket, timeout: 10) else { return }
                while !stop.load(ordering: .relaxed) {
                    guard let t = try? c.call("queue.take", ["category": "C"]),
                        let id = t["id"]?.intValue, let number = t["number"]?.stringValue
                    else { return }  // its daemon was killed
                    collected.withLock { $0.append(Answered(id: id, number: number)) }
                }
            }
        }
        threads.forEach { $0.start() }
        #expect(eventually(60) { collected.withLock { $0.count } >= 60 })
        hall[1].kill9()
        let afterKill = collected.withLock { $0.count }
        #expect(eventually(60) { collected.withLock { $0.count } >= afterKill + 60 }, "the other two carry on")
        stop.store(true, ordering: .relaxed)
        usleep(300_000)
        let answered = Set(collected.withLock { $0 })
        let c = try hall[0].client()
        for a in answered {
            #expect(try c.call("queue.ticket", ["id": .int(a.id)])["number"] == .string(a.number))
        }
        let numbers = try #require(c.call("queue.waiting", ["category": "C"]).arrayValue).compactMap { $0["number"]?.stringValue }
        #expect(Set(numbers).count == numbers.count, "a number was issued twice")
        #expect(Set(numbers) == Set((1...numbers.count).map { String(format: "C%03d", $0) }), "a number was skipped")
        #expect(answered.count <= numbers.count)
        #expect(Set(answered.map(\.number)).count == answered.count)
        // The killed terminal comes back and continues the same numbering.
        try hall[1].start()
        #expect(try hall[1].client().call("queue.take", ["category": "C"])["number"]
            == .string(String(format: "C%03d", numbers.count + 1)))
    }

    /// Windows 1 and 2 both serve A, on two different daemons; they call, start and finish as
    /// fast as they can until the queue is empty. Every ticket is called exactly once, by one
    /// window.
    @Test func windowsOnDifferentDaemonsCallingAtOnceNeverGetTheSameTicket() throws {
        let hall = try SharedHall(count: 2)
        try hall.startAll()
        let kiosk = try hall[0].client(role: "kiosk")
        for _ in 0..<60 { try kiosk.call("queue.take", ["category": "A"]) }
        let calls = Mutex<[(window: String, number: String)]>([])
        let failures = Mutex<[String]>([])
        let threads = [("1", 0), ("2", 1)].map { window, daemon in
            Thread {
                do {
                    let counter = try hall[daemon].client(role: "counter")
                    try counter.call("window.open", ["window": .string(window), "staff": .string("staff\(window)")])
                    while true {
                        let called = try counter.call("queue.call", ["window": .string(window)])
                        guard let number = called["number"]?.stringValue else { break }
                        calls.withLock { $0.append((window, number)) }
                        try counter.call("queue.start", ["window": .string(window)])
                        try counter.call("queue.finish", ["window": .string(window)])
                    }
                } catch {
                    failures.withLock { $0.append("window \(window): \(error)") }
                }
            }
        }
        threads.forEach { $0.start() }
        #expect(eventually(90) { calls.withLock { $0.count } >= 60 || !failures.withLock { $0.isEmpty } })
        #expect(eventually(10) { (try? hall[0].client().call("queue.waiting", ["category": "A"]).arrayValue?.isEmpty) == true })
        usleep(300_000)
        #expect(failures.withLock { $0 } == [])
        let all = calls.withLock { $0 }
        #expect(all.count == 60)
        #expect(Set(all.map(\.number)).count == all.count, "a ticket was called by two windows")
        #expect(Set(all.map(\.number)) == Set((1...60).map { String(format: "A%03d", $0) }))
        #expect(Set(all.map(\.window)) == ["1", "2"], "both windows called")
    }

    /// A subscriber on each daemon, tickets taken on all three: every subscriber receives every
    /// daemon's events, with the same seqs in the same order, one apart.
    @Test func everyDaemonsSubscribersSeeEveryDaemonsEventsInOneOrder() throws {
        let hall = try SharedHall()
        try hall.startAll()
        let displays = try (0..<3).map { i in try hall[i].client(role: "display") }
        for d in displays { try d.call("events.subscribe", ["topics": ["ticket.*"]]) }
        let kiosks = try (0..<3).map { i in try hall[i].client(role: "kiosk") }
        for round in 0..<10 {
            for (i, k) in kiosks.enumerated() { try k.call("queue.take", ["category": .string(["A", "C", "A"][(i + round) % 3])]) }
        }
        let seen = try displays.map { d in try (0..<30).map { _ in try #require(try d.nextEvent(timeout: 10)) } }
        for events in seen {
            let seqs = events.map(\.seq)
            #expect(zip(seqs, seqs.dropFirst()).allSatisfy { $1 == $0 + 1 }, "seqs one apart: \(seqs)")
            #expect(events.map(\.topic) == Array(repeating: "ticket.issued", count: 30))
        }
        let keys = seen.map { events in events.map { "\($0.seq) \($0.data["ticket"]?["number"]?.stringValue ?? "?")" } }
        #expect(keys[0] == keys[1] && keys[1] == keys[2])
        for d in displays { #expect(try d.nextEvent(timeout: 0.3) == nil, "each event once") }
    }
}

/// The hall server's screens show what every terminal does: a ticket taken at T01 and called
/// from a window on T02 reaches the screen stream served by T03, live, with the same seq every
/// daemon gives it.
@Suite(.serialized) struct SharedHallScreenTests {
    @Test func theHallServersScreenStreamShowsCallsMadeOnOtherDaemons() throws {
        let port = RawHTTP.freePort()
        let hall = try SharedHall { i in
            i == 2 ? """

                [http]
                listen = "127.0.0.1:\(port)"

                [[screens]]
                id = "hall"
                name = "大厅主屏"
                """ : ""
        }
        try hall.startAll()
        #expect(eventually(10) { (try? RawHTTP.request(port: port, "GET", "/healthz").status) == 200 })
        let stream = try HTTPListenerTests.openStream(port: port, "/screens/hall/events")
        _ = stream.read(until: { $0.contains("\r\n\r\n") }, timeout: 5)
        let number = try #require(try hall[0].client(role: "kiosk").call("queue.take", ["category": "A"])["number"]?.stringValue)
        let counter = try hall[1].client(role: "counter")
        try counter.call("window.open", ["window": "1", "staff": "王芳"])
        try counter.call("queue.call", ["window": "1"])
        let text = stream.read(until: { HTTPListenerTests.messages($0).contains { $0.event == "ticket.called" } }, timeout: 15)
        let called = try #require(HTTPListenerTests.messages(text).first { $0.event == "ticket.called" }, "\(text)")
        #expect(called.data.contains(number))
        // The same seq as on the daemon that committed it.
        let display = try hall[1].client(role: "display")
        try display.call("events.subscribe", ["topics": ["ticket.called"], "since": 0])
        let replayed = try #require(try display.nextEvent(timeout: 5))
        #expect(replayed.seq == Int64(called.id))
    }
}

/// A terminal that joins the hall with keys of its own (a fresh install, key files not copied)
/// would split the hall: its hashes and signatures match no one else's. It refuses to start and
/// names the file to copy; with the hall's key it starts.
@Suite(.serialized) struct HallKeyTests {
    @Test func aTerminalWithAnotherKeyRefusesToStartAndNamesTheFile() throws {
        let hall = try SharedHall(count: 2)
        try hall[0].start()
        do {
            try hall[1].start()
            Issue.record("a terminal with its own person.key started")
        } catch {
            #expect("\(error)".contains("person.key is not the key this hall's database was started with"), "\(error)")
        }
        // The hall's person key, but still its own signing key: refused for that one.
        try FileManager.default.removeItem(atPath: hall[1].stateDir + "/person.key")
        try FileManager.default.copyItem(atPath: hall[0].stateDir + "/person.key", toPath: hall[1].stateDir + "/person.key")
        do {
            try hall[1].start()
            Issue.record("a terminal with its own certificate-signing.key started")
        } catch {
            #expect("\(error)".contains("certificate-signing.key is not the key"), "\(error)")
        }
        try FileManager.default.removeItem(atPath: hall[1].stateDir + "/certificate-signing.key")
        try FileManager.default.copyItem(atPath: hall[0].stateDir + "/certificate-signing.key",
            toPath: hall[1].stateDir + "/certificate-signing.key")
        try hall[1].start()
        #expect(try hall[1].client().call("daemon.status")["storage"]?["state"] == .string("ok"))
    }
}
