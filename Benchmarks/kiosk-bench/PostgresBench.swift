import CLibPQ
import Foundation
import KioskClient
import KioskProtocol
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
        try pgTakeAgainstRawCommit(one[0], url: pg.url(database: "postgres"))
        one.forEach { $0.stop() }
        let three = try pgDaemons(3, url: pg.url(database: try pg.createDatabase().dbName))
        try pgHallThroughput(three)
        three.forEach { $0.stop() }
        let hall = try pgDaemons(3, url: pg.url(database: try pg.createDatabase().dbName), windows: 6)
        try pgCrossDaemonEvents(hall)
        try pgHallLoad(hall)
        hall.forEach { $0.stop() }
        try synchronousStandbyCost(primary: pg)
    }

    /// The floors and the single take only, twice (the quick check of a take's cost).
    func postgresTake() throws {
        let pg = try PrivatePostgres(port: 55490)
        defer { pg.remove() }
        let one = try pgDaemons(1, url: pg.url(database: try pg.createDatabase().dbName))
        defer { one.forEach { $0.stop() } }
        for _ in 0..<2 {
            try storeCommitFloor(url: pg.url(database: "postgres"))
            try pgTakeAgainstRawCommit(one[0], url: pg.url(database: "postgres"))
        }
    }

    /// `queue.take` against the raw one-row commit of issue 11 — one autocommitted INSERT through
    /// libpq, prepared once: one round trip and the server's WAL flush, nothing of kioskd —
    /// measured alone just before and just after the takes (alternating them would slow each by the
    /// other's flush on the same disk), the ratio to the mean of the two.
    func pgTakeAgainstRawCommit(_ d: Daemon, url: String) throws {
        guard let c = PQconnectdb(url), PQstatus(c) == CONNECTION_OK else { throw BenchError("cannot connect to \(url)") }
        defer { PQfinish(c) }
        PQsetNoticeProcessor(c, { _, _ in }, nil)
        PQclear(PQexec(c, "CREATE TABLE IF NOT EXISTS bench_raw (id bigserial PRIMARY KEY, at double precision)"))
        PQclear(PQexec(c, "SET synchronous_commit = on"))
        PQclear(PQprepare(c, "raw", "INSERT INTO bench_raw (at) VALUES ($1)", 1, nil))
        func raw() throws -> Percentiles {
            var samples: [Double] = []
            for i in 0..<1100 {
                let t0 = DispatchTime.now()
                let r = "\(i)".withCString { value -> OpaquePointer? in
                    var values: [UnsafePointer<CChar>?] = [value]
                    return PQexecPrepared(c, "raw", 1, &values, nil, nil, 0)
                }
                defer { PQclear(r) }
                guard PQresultStatus(r) == PGRES_COMMAND_OK else { throw BenchError("the raw insert failed") }
                if i >= 100 { samples.append(ms(since: t0)) }
            }
            return Percentiles(samples)
        }
        let before = try raw()
        let t = try timedTakes(socket: d.socket)
        let after = try raw()
        let floor = (before.p50 + after.p50) / 2
        say(String(format: "postgres raw commit (one autocommitted INSERT, flushed), before / after the takes: p50 %.3f / %.3f ms, p99 %.3f / %.3f ms",
            before.p50, after.p50, before.p99, after.p99))
        say(String(format: "postgres queue.take round trip, one kioskd (%d): p50 %.3f ms, p99 %.3f ms: %.1f× the raw commit",
            takes, t.p50, t.p99, t.p50 / floor))
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
    func pgDaemons(_ count: Int, url: String, windows: Int = 4) throws -> [Daemon] {
        var daemons: [Daemon] = []
        for i in 0..<count {
            let d = try Daemon(devices: "[storage]\nbackend = \"postgres\"\nurl = \"\(url)\"", daemon: "terminal = \"T0\(i + 1)\"",
                windows: windows)
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

    /// A ticket taken on T01 (one every 5 ms), its `ticket.issued` received by a subscriber on
    /// T03: request sent → event read, through the commit, the notification, T03's read of the
    /// log and its socket.
    func pgCrossDaemonEvents(_ daemons: [Daemon]) throws {
        let count = 500
        let sent = Mutex<[String: DispatchTime]>([:])
        let latencies = Mutex<[Double]>([])
        let ready = Atomic<Bool>(false)
        let socket = daemons[2].socket
        let reader = Thread {
            let subscriber = try! KioskClient(socketPath: socket)
            try! subscriber.call("events.subscribe", ["topics": ["ticket.issued"]])
            ready.store(true, ordering: .releasing)
            while latencies.withLock({ $0.count }) < count {
                guard let e = try? subscriber.nextEvent(timeout: 10) else { return }
                let now = DispatchTime.now()
                guard let number = e.data["ticket"]?["number"]?.stringValue, let t0 = sent.withLock({ $0[number] }) else { continue }
                latencies.withLock { $0.append(Double(now.uptimeNanoseconds - t0.uptimeNanoseconds) / 1e6) }
            }
        }
        reader.start()
        while !ready.load(ordering: .acquiring) { usleep(1000) }
        let kiosk = try KioskClient(socketPath: daemons[0].socket)
        // The numbers to come follow the first one (A001 → A002, …).
        let ahead = try kiosk.call("queue.take", ["category": "A"])["number"]?.stringValue.flatMap { Int($0.dropFirst()) } ?? 0
        for n in 1...count {
            let number = String(format: "A%03d", ahead + n)
            sent.withLock { $0[number] = DispatchTime.now() }
            try kiosk.call("queue.take", ["category": "A"])
            usleep(5_000)
        }
        for _ in 0..<100 where latencies.withLock({ $0.count }) < count { usleep(50_000) }
        let p = Percentiles(latencies.withLock { $0 })
        say(String(format: "postgres, take on T01 → ticket.issued at a subscriber of T03 (%d of %d): p50 %.2f ms, p99 %.2f ms, max %.2f ms",
            p.count, count, p.p50, p.p99, p.max))
    }

    /// 3 kioskd × 8 clients for a minute: on each, six take and two work a window of their own
    /// (call, start, finish). Throughput and latency per kind, hall-wide.
    func pgHallLoad(_ daemons: [Daemon]) throws {
        let takes = Mutex<[Double]>([]), steps = Mutex<[Double]>([])
        let stop = Atomic<Bool>(false)
        let sockets = daemons.map(\.socket)
        var threads: [Thread] = []
        for (d, socket) in sockets.enumerated() {
            for k in 0..<8 {
                threads.append(Thread {
                    let c = try! KioskClient(socketPath: socket)
                    if k < 6 {
                        while !stop.load(ordering: .relaxed) {
                            let t0 = DispatchTime.now()
                            _ = try! c.call("queue.take", ["category": "C"])
                            takes.withLock { $0.append(ms(since: t0)) }
                        }
                        return
                    }
                    let window = JSONValue.string(String(d * 2 + k - 5))  // 1…6, one per caller
                    _ = try! c.call("window.open", ["window": window, "staff": "staff"])
                    while !stop.load(ordering: .relaxed) {
                        for method in ["queue.call", "queue.start", "queue.finish"] {
                            let t0 = DispatchTime.now()
                            let r = try? c.call(method, ["window": window])
                            steps.withLock { $0.append(ms(since: t0)) }
                            if method == "queue.call", r == nil || r == .null { break }
                        }
                    }
                })
            }
        }
        threads.forEach { $0.start() }
        let seconds = 60.0
        Thread.sleep(forTimeInterval: seconds)
        stop.store(true, ordering: .relaxed)
        Thread.sleep(forTimeInterval: 0.5)
        let t = Percentiles(takes.withLock { $0 }), s = Percentiles(steps.withLock { $0 })
        say(String(format: "postgres, 3 kioskd × 8 clients for %.0f s: %.0f takes/s (p50 %.2f ms, p99 %.2f ms) and %.0f window steps/s (call, start, finish: p50 %.2f ms, p99 %.2f ms)",
            seconds, Double(t.count) / seconds, t.p50, t.p99, Double(s.count) / seconds, s.p50, s.p99))
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

/// A benchmark that could not run, and why.
struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
