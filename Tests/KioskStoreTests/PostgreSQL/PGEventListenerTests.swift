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
        try PGSchema.migrator.migrate(writer)
        // The event append itself notifies (`PGSchema.appendEvent`); a rolled-back append leaves
        // no seq behind either, so the next commit takes seq 2 again.
        // One at a time: the listener reports the newest of what arrives together.
        func append(commit: Bool) throws {
            try writer.execute("BEGIN")
            _ = try PGSchema.appendEvent(writer, topic: "t", at: 0, json: "{}")
            try writer.execute(commit ? "COMMIT" : "ROLLBACK")
        }
        try append(commit: true)
        #expect(heard.wait(for: 2) == [nil, 1])
        try append(commit: false)
        usleep(300_000)
        #expect(heard.wakes.withLock { $0 } == [nil, 1], "the rolled-back append is never heard")
        try append(commit: true)
        #expect(heard.wait(for: 3) == [nil, 1, 2])
    }

    /// A daemon's own commits were delivered by the writes that made them: their notifications
    /// wake nothing (else every write would cost a read of the log), others' still do.
    @Test func aDaemonsOwnAppendsWakeNothing() throws {
        let url = try PrivatePostgres.shared().createDatabase()
        let own = try PGConnection(url: url), other = try PGConnection(url: url)
        try PGSchema.migrator.migrate(own)
        let ownPID = own.backendPID
        let heard = Heard()
        let listener = PGEventListener(url: url, isOwn: { $0 == ownPID }) { seq in heard.wakes.withLock { $0.append(seq) } }
        listener.start()
        defer { listener.stop() }
        #expect(heard.wait(for: 1) == [nil])
        for writer in [own, own, other] {
            try writer.execute("BEGIN")
            _ = try PGSchema.appendEvent(writer, topic: "t", at: 0, json: "{}")
            try writer.execute("COMMIT")
        }
        // Notifications arrive in commit order: once the third is heard, the first two were
        // passed over.
        #expect(heard.wait(for: 2) == [nil, 3])
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
        try PGSchema.migrator.migrate(writer)
        _ = try PGSchema.appendEvent(writer, topic: "t", at: 0, json: "{}")
        #expect(heard.wait(for: 3) == [nil, nil, 1])
    }
}
