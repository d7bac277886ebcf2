import Foundation
import KioskClient
import KioskProtocol
import Testing

/// Answered means on disk: every answered `queue.take` costs at least one fsync of the
/// database's write-ahead log, counted from outside with strace on the real daemon.
@Suite(.serialized, .enabled(if: DaemonHarness.onSQLite, "opens the SQLite file itself")) struct SyncPerCommitTests {
    static let strace = "/usr/bin/strace"

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: strace), "needs strace (scripts/setup installs it)"))
    func everyAnsweredTakeIsSyncedToTheWriteAheadLog() throws {
        let daemon = try DaemonHarness()
        let trace = daemon.dir.appendingPathComponent("syncs.strace").path
        // -f: the writer runs on its own thread; -y: show the file each descriptor is.
        try daemon.start(launcher: [Self.strace, "-f", "-y", "-qq", "-e", "trace=fsync,fdatasync", "-e", "signal=none",
            "-o", trace])
        let client = try daemon.client()
        let kioskd = try #require(try client.call("daemon.status")["pid"]?.intValue)  // strace's child
        let takes = 60
        for _ in 0..<takes { _ = try client.call("queue.take", ["category": "C"]) }
        // SIGKILL, so no shutdown checkpoint adds syncs; strace ends with its tracee.
        kill(pid_t(kioskd), SIGKILL)
        daemon.process?.waitUntilExit()
        let wal = daemon.stateDir + "/kioskd.sqlite-wal>"
        let syncs = try String(contentsOfFile: trace, encoding: .utf8).split(separator: "\n")
            .filter { ($0.contains("fdatasync(") || $0.contains("fsync(")) && $0.contains(wal) && $0.hasSuffix("= 0") }
        #expect(syncs.count >= takes, "\(takes) answered takes but \(syncs.count) syncs of the WAL")
    }
}
