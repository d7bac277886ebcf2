import Foundation
import KioskTestSupport
import Synchronization
import Testing

@testable import KioskStore

/// Cross-daemon wake-ups on a real server: a committed append is heard with its seq, a rolled-back
/// one never, and after the server comes back the listener says "read the log" before anything else.
@Suite struct PGEventListenerTests {
    final class Heard: Sendable {
        let wakes = Mutex<[Int64?]>([])
        func wait(for count: Int) -> [Int64?] {
            let deadline = Date().addingTimeInterval(15)
            while Date() < deadline, wakes.withLock({ $0.count }) < count { usleep(10_000) }
            return wakes.withLock { $0 }
        }
    }

    @Test func committedAppendsAreHeardAndRolledBackOnesAreNot() throws {
        let url = try PrivatePostgres.shared().createDatabase()
        let heard = Heard()
        let listener = PGEventListener(url: url) { seq in heard.wakes.withLock { $0.append(seq) } }
        listener.start()
        defer { listener.stop() }
        #expect(heard.wait(for: 1) == [nil], "a resync first, once listening")
        let writer = try PGConnection(url: url)
        for (seq, commit) in [(1, true), (2, false), (3, true)] as [(Int64, Bool)] {
            try writer.execute("BEGIN")
            try PGEventListener.notify(writer, seq: seq)
            try writer.execute(commit ? "COMMIT" : "ROLLBACK")
        }
        #expect(heard.wait(for: 3) == [nil, 1, 3])
        usleep(300_000)
        #expect(heard.wakes.withLock { $0 } == [nil, 1, 3], "the rolled-back seq 2 is never heard")
    }

    @Test func afterTheServerIsBackTheListenerSaysReadTheLog() throws {
        let pg = try PrivatePostgres(port: 55437)
        defer { pg.remove() }
        let heard = Heard()
        let listener = PGEventListener(url: pg.url(database: "postgres")) { seq in heard.wakes.withLock { $0.append(seq) } }
        listener.start()
        defer { listener.stop() }
        #expect(heard.wait(for: 1) == [nil])
        try pg.stop(.immediate)
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline, listener.isListening { usleep(20_000) }
        #expect(!listener.isListening)
        try pg.start()
        #expect(heard.wait(for: 2) == [nil, nil], "a second resync once listening again")
        let writer = try PGConnection(url: pg.url(database: "postgres"))
        try PGEventListener.notify(writer, seq: 12)
        #expect(heard.wait(for: 3) == [nil, nil, 12])
    }
}
