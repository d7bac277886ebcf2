import Foundation
import KioskClient
import KioskStore
import KioskTestSupport
import Synchronization

/// The shared hall database (issue 11): kioskd on a private PostgreSQL server (the tests' own,
/// `PrivatePostgres`, fsync on, on this machine's disk), against the SQLite figures.
extension Bench {
    func postgres() throws {
        let pg = try PrivatePostgres(port: 55490)
        defer { pg.remove() }
        try storeCommitFloor(url: pg.url(database: "postgres"))
        let one = try pgDaemons(1, url: pg.url(database: try pg.createDatabase().dbName))
        try pgTakeLatency(one[0], label: "one kioskd")
        one.forEach { $0.stop() }
        let three = try pgDaemons(3, url: pg.url(database: try pg.createDatabase().dbName))
        try pgHallThroughput(three)
        three.forEach { $0.stop() }
        try synchronousStandbyCost(primary: pg)
    }

    /// One store write that changes one row: BEGIN, the hall's write lock, the row, COMMIT (flushed).
    func storeCommitFloor(url: String) throws {
        let store = try PostgresStore(url: url)
        let samples = Mutex<[Double]>([])
        let done = DispatchSemaphore(value: 0)
        Task {
            for i in 0..<1000 {
                let t0 = DispatchTime.now()
                try? await store.write { w in try w.setMeta("bench", "\(i)") }
                samples.withLock { $0.append(ms(since: t0)) }
            }
            done.signal()
        }
        done.wait()
        let p = Percentiles(samples.withLock { $0 })
        say(String(format: "postgres store commit (one row, write lock, flushed): p50 %.3f ms, p99 %.3f ms", p.p50, p.p99))
    }

    /// `count` kioskd on `url`, T01…, the first one's keys copied to the others.
    func pgDaemons(_ count: Int, url: String) throws -> [Daemon] {
        var daemons: [Daemon] = []
        for i in 0..<count {
            let d = try Daemon(devices: "[storage]\nbackend = \"postgres\"\nurl = \"\(url)\"", daemon: "terminal = \"T0\(i + 1)\"")
            if let first = daemons.first {
                for key in ["person.key", "certificate-signing.key"] {
                    try FileManager.default.copyItem(atPath: first.stateDir + "/" + key, toPath: d.stateDir + "/" + key)
                }
            }
            try d.launch()
            daemons.append(d)
        }
        return daemons
    }

    func pgTakeLatency(_ d: Daemon, label: String) throws {
        let p = try timedTakes(socket: d.socket)
        say(String(format: "postgres queue.take round trip, %@ (%d): p50 %.3f ms, p99 %.3f ms", label, takes, p.p50, p.p99))
    }

    /// Two clients per daemon take as fast as they can for 10 s: the hall's takes per second
    /// (writes are one at a time hall-wide) and each take's latency.
    func pgHallThroughput(_ daemons: [Daemon]) throws {
        let samples = Mutex<[Double]>([])
        let stop = Atomic<Bool>(false)
        let sockets = daemons.map(\.socket)
        let threads = (0..<(daemons.count * 2)).map { i in
            Thread {
                let c = try! KioskClient(socketPath: sockets[i % sockets.count])
                while !stop.load(ordering: .relaxed) {
                    let t0 = DispatchTime.now()
                    _ = try! c.call("queue.take", ["category": "C"])
                    samples.withLock { $0.append(ms(since: t0)) }
                }
            }
        }
        threads.forEach { $0.start() }
        Thread.sleep(forTimeInterval: 10)
        stop.store(true, ordering: .relaxed)
        Thread.sleep(forTimeInterval: 0.5)
        let all = samples.withLock { $0 }
        let p = Percentiles(all)
        say(String(format: "postgres, %d kioskd × 2 clients taking at once: %.0f takes/s hall-wide, p50 %.3f ms, p99 %.3f ms",
            daemons.count, Double(all.count) / 10, p.p50, p.p99))
    }

    /// What zero loss on failover costs: take latency with a streaming standby, asynchronous
    /// (the default) and then synchronous (`synchronous_standby_names = '*'`).
    func synchronousStandbyCost(primary: PrivatePostgres) throws {
        let standby = try PrivatePostgres(standbyOf: primary, port: 55491)
        defer { standby.remove() }
        let url = primary.url(database: try primary.createDatabase().dbName)
        let d = try pgDaemons(1, url: url)[0]
        // Twice each, alternating: the two share this machine's cores and disk with the
        // standby's replay, and the first run of a fresh daemon and cluster runs colder.
        for _ in 0..<2 {
            for names in ["", "*"] {
                try primary.sql("ALTER SYSTEM SET synchronous_standby_names = '\(names)'")
                try primary.sql("SELECT pg_reload_conf()")
                Thread.sleep(forTimeInterval: 1)
                let state = try primary.sql("SELECT sync_state FROM pg_stat_replication")
                try pgTakeLatency(d, label: "standby \(state == "sync" ? "synchronous" : "asynchronous") (\(state))")
            }
        }
        d.stop()
        try primary.sql("ALTER SYSTEM RESET synchronous_standby_names")
        try primary.sql("SELECT pg_reload_conf()")
    }
}

extension String {
    /// The database name of a `PrivatePostgres` URL.
    fileprivate var dbName: String { String(dropFirst("postgresql:///".count).prefix { $0 != "?" }) }
}
