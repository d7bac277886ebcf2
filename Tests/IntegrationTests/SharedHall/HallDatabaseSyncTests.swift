import Foundation
import KioskClient
import KioskProtocol
import KioskTestSupport
import Testing

/// Answered means on disk, on PostgreSQL too — counted where it happens: strace follows every
/// server process forked for kioskd and counts the syncs of the write-ahead log (`pg_wal/`)
/// while the daemon answers takes. The database is set to `synchronous_commit = off`, which
/// would leave the flushes to the WAL writer after the answer; kioskd turns it back on for its
/// connections, so each answered take is flushed by its own server process first.
@Suite(.serialized) struct HallDatabaseSyncTests {
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: SyncPerCommitTests.strace), "needs strace (scripts/setup installs it)"))
    func everyAnsweredTakeIsFlushedByTheServerBeforeTheAnswer() throws {
        let pg = try PrivatePostgres(port: 55443)
        defer { pg.remove() }
        try pg.sql("ALTER DATABASE postgres SET synchronous_commit = off")
        let postmaster = try #require(
            try String(contentsOfFile: pg.dataDir + "/postmaster.pid", encoding: .utf8).split(separator: "\n").first.flatMap { Int32($0) })
        let trace = pg.dir + "/syncs.strace"
        // Attached before kioskd connects: every server process it gets is forked from here on.
        let strace = try ChildProcess(executable: SyncPerCommitTests.strace,
            arguments: ["-f", "-y", "-qq", "-e", "trace=fsync,fdatasync", "-e", "signal=none", "-o", trace, "-p", String(postmaster)],
            environment: ProcessInfo.processInfo.environment, stdout: "/dev/null", stderr: pg.dir + "/strace.err")
        #expect(eventually(10) { FileManager.default.fileExists(atPath: trace) })
        usleep(300_000)
        let hall = try SharedHall(count: 1, url: pg.url(database: "postgres"))
        try hall[0].start()
        let client = try hall[0].client()
        _ = try client.call("queue.take", ["category": "C"])
        let before = Self.walSyncs(trace)
        let takes = 50
        for _ in 0..<takes { _ = try client.call("queue.take", ["category": "C"]) }
        let after = Self.walSyncs(trace)
        strace.terminate()  // SIGTERM: strace detaches and exits (SIGINT may be ignored in a background job)
        strace.waitUntilExit()
        #expect(after - before >= takes, "\(takes) answered takes but \(after - before) syncs of pg_wal by kioskd's server processes")
    }

    static func walSyncs(_ trace: String) -> Int {
        ((try? String(contentsOfFile: trace, encoding: .utf8)) ?? "").split(separator: "\n")
            .filter { ($0.contains("fdatasync(") || $0.contains("fsync(")) && $0.contains("pg_wal/") && $0.hasSuffix("= 0") }.count
    }
}
