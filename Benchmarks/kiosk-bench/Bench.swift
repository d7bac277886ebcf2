import ArgumentParser
import Foundation
import GRDB
import KioskClient
import KioskCore
import KioskProtocol
import KioskStore
import Synchronization

/// `kiosk-bench`: measures kioskd against the targets of docs/benchmarks.md. It starts its own
/// kioskd (the binary beside it; build with `swift build -c release`) on a temp state dir.
@main
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "kiosk-bench",
        abstract: "Benchmarks kioskd: take latency, read throughput, event fan-out, memory, start time.")

    @Option(help: "Which: all, commit, take, curve, reads, events, memory, startup, store, idcard, print, render, cups, abuse, screens, voice, bus, postgres, postgres-take (its floor and single-take rows only).") var only = "all"
    @Option(help: "The repository's Config folder (certificate templates for `render`).") var configDir = "Config"
    @Option(help: "queue.take round trips to time.") var takes = 2000
    @Option(help: "Timed requests of each kind per level of `curve`.") var curveSamples = 300
    @Option(help: "Seconds of read load.") var readSeconds = 5.0
    @Option(help: "Tickets for the memory check.") var memoryTickets = 100_000
    @Option(help: "Past tickets stored for the start-up check.") var pastTickets = 1_000_000

    func run() throws {
        say("kiosk-bench on \(Host.describe())")
        let want = { (name: String) in only == "all" || only == name }
        var commitP50: Double?
        if want("commit") || want("take") { commitP50 = try rawCommit() }
        if want("take") { try takeLatency(commitP50: commitP50!) }
        if want("curve") { try laneCurve() }
        if want("reads") { try readThroughput() }
        if want("events") { try eventFanOut() }
        if want("memory") { try memory() }
        if want("startup") { try startup() }
        if want("idcard") { try idcardRead() }
        if want("print") { try printAfterCommit() }
        if want("render") { try certificateRendering() }
        if want("cups") { try certificateToCUPS() }
        if want("abuse") {
            try slowSubscribers()
            try partialLineFlood()
        }
        if only == "store" { try storeReads() }
        if want("screens") { try screens() }
        if only == "screens-idle" {  // never-read streams alone, 8 rounds (≈ 2 min)
            raiseOpenFiles()
            try idleScreens(.notReading, rounds: 8)
        }
        if want("voice") { try voice() }
        if want("bus") { try windowBus() }
        if want("postgres") { try postgres() }
        if only == "postgres-take" { try postgresTake() }
    }

    /// The store alone, in-process: what one read transaction and one query cost.
    func storeReads() throws {
        let dir = try TempDir()
        let store = try SQLiteStore(path: dir.path + "/kioskd.sqlite")
        let day = HallDay("2026-11-23")
        let done = DispatchSemaphore(value: 0)
        Task {
            for i in 0..<200 {
                _ = try await store.write { w in
                    _ = try w.insert(Ticket(day: day, category: "C", sequence: i + 1, number: "C\(i)", issuedAt: Date(),
                        orderKey: Int64(i)))
                }
            }
            let empty: @Sendable (any StoreReader) throws -> Void = { _ in }
            let one: @Sendable (any StoreReader) throws -> Void = { r in _ = try r.issuedCount(day: day, category: "C") }
            let ten: @Sendable (any StoreReader) throws -> Void = { r in
                for _ in 0..<10 { _ = try r.waitingSummary(day: day, category: "C") }
            }
            for (label, n, body) in [("empty read transaction", 20000, empty), ("one cached query", 20000, one),
                ("ten cached queries", 5000, ten)] {
                let t0 = DispatchTime.now()
                for _ in 0..<n { try await store.read(body) }
                say(String(format: "store %@: %.1f µs", label, ms(since: t0) * 1000 / Double(n)))
            }
            done.signal()
        }
        done.wait()
    }

    /// The floor: one SQLite WAL commit of one row with fsync (synchronous=FULL), same disk,
    /// timed while its log grows (a fresh file) and once it is rewritten in place, as kioskd's
    /// is (`RawCommits`). The second is the one requests are measured against.
    func rawCommit() throws -> Double {
        let raw = try RawCommits()
        let growing = Percentiles(try raw.time(1000))
        try raw.warmUp()
        let steady = Percentiles(try raw.time(1000))
        say(String(format: "raw SQLite WAL commit (fsync), one row: p50 %.3f ms, p99 %.3f ms (log growing: p50 %.3f ms, p99 %.3f ms)",
            steady.p50, steady.p99, growing.p50, growing.p99))
        let asLarge = try RawCommits(pages: 11)
        try asLarge.warmUp()
        let eleven = Percentiles(try asLarge.time(1000))
        say(String(format: "raw SQLite WAL commit (fsync) of 11 pages, as large as a take's: p50 %.3f ms, p99 %.3f ms", eleven.p50, eleven.p99))
        return steady.p50
    }

    func takeLatency(commitP50: Double) throws {
        let d = try Daemon.start()
        let p = try timedTakes(socket: d.socket)
        say(String(format: "queue.take round trip (%d): p50 %.3f ms, p99 %.3f ms; p50 = %.2f× raw commit", takes, p.p50, p.p99, p.p50 / commitP50))
        // The request path alone: a request answered from the read cache, no store.
        let c = try KioskClient(socketPath: d.socket)
        for _ in 0..<50 { try c.call("queue.categories", [:]) }
        var samples: [Double] = []
        for _ in 0..<takes {
            let t0 = DispatchTime.now()
            try c.call("queue.categories", [:])
            samples.append(ms(since: t0))
        }
        let r = Percentiles(samples)
        say(String(format: "queue.categories round trip (%d, no store): p50 %.3f ms, p99 %.3f ms", takes, r.p50, r.p99))
    }

    /// `takes` round trips of `queue.take` on one connection, after 50 to warm up.
    func timedTakes(socket: String) throws -> Percentiles {
        let c = try KioskClient(socketPath: socket)
        for _ in 0..<50 { try c.call("queue.take", ["category": "C"]) }
        var samples: [Double] = []
        for _ in 0..<takes {
            let t0 = DispatchTime.now()
            try c.call("queue.take", ["category": "C"])
            samples.append(ms(since: t0))
        }
        return Percentiles(samples)
    }

    func readThroughput() throws {
        let d = try Daemon.start()
        let c = try KioskClient(socketPath: d.socket)
        var ids: [Int64] = []
        for _ in 0..<200 { ids.append(try c.call("queue.take", ["category": "C"])["id"]!.intValue!) }
        let socket = d.socket, known = ids
        for method in ["queue.ticket", "queue.categories"] {
            let count = Atomic<Int>(0)
            let stop = Atomic<Bool>(false)
            let threads = (0..<8).map { n in
                Thread {
                    let c = try! KioskClient(socketPath: socket)
                    var i = n
                    while !stop.load(ordering: .relaxed) {
                        let params: JSONValue = method == "queue.ticket" ? ["id": .int(known[i % known.count])] : [:]
                        _ = try! c.call(method, params)
                        count.add(1, ordering: .relaxed)
                        i += 1
                    }
                }
            }
            threads.forEach { $0.start() }
            Thread.sleep(forTimeInterval: readSeconds)
            stop.store(true, ordering: .relaxed)
            Thread.sleep(forTimeInterval: 0.2)
            say(String(format: "%@ across 8 connections: %.0f requests/s", method, Double(count.load(ordering: .relaxed)) / readSeconds))
        }
    }

    func eventFanOut() throws {
        let d = try Daemon.start()
        let subscribers = 100, events = 200
        let sent = Mutex<[Int64: DispatchTime]>([:])
        let latencies = Mutex<[Double]>([])
        let ready = Atomic<Int>(0)
        let socket = d.socket
        let threads = (0..<subscribers).map { _ in
            Thread {
                let s = try! KioskClient(socketPath: socket)
                try! s.call("events.subscribe", ["topics": ["ticket.issued"]])
                ready.add(1, ordering: .relaxed)
                var got = 0
                while got < events, let e = try? s.nextEvent(timeout: 30) {
                    let now = DispatchTime.now()
                    var start: DispatchTime?
                    while start == nil { start = sent.withLock { $0[e.seq] }; if start == nil { usleep(50) } }
                    latencies.withLock { $0.append(Double(now.uptimeNanoseconds - start!.uptimeNanoseconds) / 1e6) }
                    got += 1
                }
            }
        }
        threads.forEach { $0.start() }
        while ready.load(ordering: .relaxed) < subscribers { usleep(1000) }
        let c = try KioskClient(socketPath: d.socket)
        var seq = try c.call("daemon.status")["lastEventSeq"]!.intValue!
        for _ in 0..<events {
            // The event's seq is the next one: record the send time before sending.
            seq += 1
            let t0 = DispatchTime.now()
            sent.withLock { $0[seq] = t0 }
            try c.call("queue.take", ["category": "C"])
            usleep(5000)
        }
        let deadline = Date().addingTimeInterval(30)
        while latencies.withLock({ $0.count }) < subscribers * events && Date() < deadline { usleep(10_000) }
        let p = Percentiles(latencies.withLock { $0 })
        say(String(format: "event to %d subscribers (%d events, %d deliveries): p50 %.2f ms, p99 %.2f ms (from request sent)",
            subscribers, events, p.count, p.p50, p.p99))
    }

    /// 100,000 tickets through the daemon: each connection takes a ticket and serves it at its
    /// own window (call, start, finish), as a busy hall does, then the daemon's RSS is read.
    func memory() throws {
        let d = try Daemon.start()
        let connections = 4, per = memoryTickets / connections, socket = d.socket
        let done = Atomic<Int>(0)
        for n in 0..<connections {
            Thread {
                let c = try! KioskClient(socketPath: socket)
                let window: JSONValue = .string("\(n + 1)")
                _ = try! c.call("window.open", ["window": window, "staff": "bench"])
                for _ in 0..<per {
                    let t = try! c.call("queue.take", ["category": "C"])
                    _ = try! c.call("queue.call", ["window": window, "ticket": t["id"]!])
                    _ = try! c.call("queue.start", ["window": window])
                    _ = try! c.call("queue.finish", ["window": window])
                }
                done.add(1, ordering: .relaxed)
            }.start()
        }
        while done.load(ordering: .relaxed) < connections { usleep(100_000) }
        _ = try KioskClient(socketPath: socket).call("stats.day")
        say("resident memory after \(per * connections) tickets issued and served: \(d.rssMB()) MB "
            + "(anonymous \(d.rssMB("RssAnon")) MB, mapped files \(d.rssMB("RssFile")) MB; WAL \(d.walMB()) MB)")
    }

    /// Start → READY with many past tickets: the database is seeded directly (same schema).
    func startup() throws {
        let d = try Daemon(prepareOnly: true)
        _ = try SQLiteStore(path: d.stateDir + "/kioskd.sqlite")  // creates the schema
        let db = try DatabaseQueue(path: d.stateDir + "/kioskd.sqlite")
        let t0 = Date()
        try db.write { db in
            let stmt = try db.makeStatement(sql: """
                INSERT INTO tickets (day, category, issue_category, sequence, number, state, priority, issued_at, order_key)
                VALUES (?, 'C', 'C', ?, ?, 'done', 'normal', ?, ?)
                """)
            let perDay = 2000
            for i in 0..<pastTickets {
                let day = String(format: "2020-%02d-%02d", 1 + (i / perDay) / 28 % 12, 1 + (i / perDay) % 28) + "-\(i / perDay / 336)"
                let seq = i % perDay + 1
                try stmt.execute(arguments: [day, seq, String(format: "C%03d", seq), 1.6e9 + Double(i), Int64(i)])
            }
        }
        say(String(format: "seeded %d past tickets in %.1f s", pastTickets, Date().timeIntervalSince(t0)))
        var samples: [Double] = []
        for _ in 0..<5 {
            let t = DispatchTime.now()
            try d.launch()
            samples.append(ms(since: t))
            d.stop()
        }
        let p = Percentiles(samples)
        say(String(format: "start to READY (socket answers daemon.status) with %d past tickets: median %.0f ms, max %.0f ms",
            pastTickets, p.p50, p.max))
    }
}

func ms(since t0: DispatchTime) -> Double { Double(DispatchTime.now().uptimeNanoseconds - t0.uptimeNanoseconds) / 1e6 }

struct Percentiles {
    let p50: Double, p99: Double, max: Double, count: Int
    init(_ samples: [Double]) {
        let s = samples.sorted()
        count = s.count
        p50 = s.isEmpty ? .nan : s[s.count / 2]
        p99 = s.isEmpty ? .nan : s[min(s.count - 1, Int(Double(s.count) * 0.99))]
        max = s.last ?? .nan
    }
}

/// Prints a result line at once (flushing), so results appear as measured even into a file.
func say(_ line: String) {
    print(line)
    fflush(nil)
}
