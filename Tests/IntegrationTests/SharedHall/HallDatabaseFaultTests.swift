import Foundation
import KioskClient
import KioskProtocol
import KioskTestSupport
import Testing

/// The hall database goes away — stopped, or lost and replaced by its promoted standby — under
/// running daemons: requests fail fast with `storage_unavailable`, the daemons stay up with their
/// devices, say so in `daemon.status` and `/healthz`, and carry on by themselves when a database
/// that accepts writes is back, with nothing answered lost.
@Suite(.serialized) struct HallDatabaseFaultTests {
    @Test func aStoppedDatabaseIsAQuickClearErrorAndEverythingRecoversWhenItReturns() throws {
        let pg = try PrivatePostgres(port: 55440)
        defer { pg.remove() }
        let port = RawHTTP.freePort()
        let hall = try SharedHall(count: 1, url: pg.url(database: "postgres")) { _ in
            """

            [http]
            listen = "127.0.0.1:\(port)"
            """
        }
        let d = hall[0]
        try d.start()
        let kiosk = try d.client(role: "kiosk")
        #expect(try kiosk.call("queue.take", ["category": "A"])["number"] == .string("A001"))
        let devicesBefore = try d.client().call("device.list")
        #expect(try RawHTTP.request(port: port, "GET", "/healthz").status == 200)

        try pg.stop(.immediate)
        // Answered, not hung (the client's own timeout is 20 s; `PostgresStoreTests` shows the
        // refusals come without trying the server), and the daemon says why everywhere.
        let refused = rpcError { try kiosk.call("queue.take", ["category": "A"]) }
        #expect(refused?.reason == "storage_unavailable", "\(String(describing: refused))")
        #expect(rpcError { try kiosk.call("queue.take", ["category": "A"]) }?.reason == "storage_unavailable")
        let status = try d.client().call("daemon.status")
        #expect(status["storage"]?["state"] == .string("fault"))
        #expect(status["storage"]?["error"]?.stringValue?.hasPrefix("PostgreSQL: ") == true, "\(status)")
        #expect(status["storage"]?["backend"]?.stringValue?.hasPrefix("postgres ") == true)
        let health = try RawHTTP.request(port: port, "GET", "/healthz")
        #expect(health.status == 503)
        #expect(health.body.contains("PostgreSQL"))
        // The devices do not depend on the database: same states as before.
        #expect(try d.client().call("device.list") == devicesBefore)

        try pg.start()
        #expect(eventually(15) { (try? kiosk.call("queue.take", ["category": "A"]))?["number"] == .string("A002") })
        #expect(try RawHTTP.request(port: port, "GET", "/healthz").status == 200)
        #expect(try d.client().call("daemon.status")["storage"]?["state"] == .string("ok"))
        #expect(d.process?.isRunning == true)
    }

    /// A primary and its streaming standby; both daemons' URL names both servers with
    /// `target_session_attrs=read-write`. Tickets are taken, the primary is stopped and the
    /// standby promoted: the daemons go on against it by themselves — every answered ticket is
    /// there and the numbering continues.
    @Test func theDaemonsFollowAPromotedStandbyWithNothingAnsweredLost() throws {
        let primary = try PrivatePostgres(port: 55441)
        defer { primary.remove() }
        let standby = try PrivatePostgres(standbyOf: primary, port: 55442)
        defer { standby.remove() }
        let url = "postgresql:///postgres?host=\(primary.dir),\(standby.dir)&port=\(primary.port),\(standby.port)"
            + "&user=\(primary.user)&target_session_attrs=read-write"
        let hall = try SharedHall(count: 2, url: url)
        try hall.startAll()
        let kiosks = try (0..<2).map { try hall[$0].client(role: "kiosk") }
        var answered: [String] = []
        for i in 0..<20 { answered.append(try #require(kiosks[i % 2].call("queue.take", ["category": "C"])["number"]?.stringValue)) }

        // A clean stop sends the standby all the WAL first (asynchronous replication loses what
        // a crash does not send: docs/operations.md).
        try primary.stop(.fast)
        #expect(rpcError { try kiosks[0].call("queue.take", ["category": "C"]) }?.reason == "storage_unavailable")
        try standby.promote()
        for i in 0..<10 {
            let k = kiosks[i % 2]
            var number: String?
            #expect(eventually(20) {
                number = (try? k.call("queue.take", ["category": "C"]))?["number"]?.stringValue
                return number != nil
            })
            if let number { answered.append(number) }
        }
        #expect(answered == (1...30).map { String(format: "C%03d", $0) })
        let numbers = try #require(hall[1].client().call("queue.waiting", ["category": "C"]).arrayValue)
            .compactMap { $0["number"]?.stringValue }
        #expect(numbers == answered)
        let server = try standby.sql("SELECT pg_is_in_recovery()")
        #expect(server == "f", "the standby is the primary now")
    }
}
