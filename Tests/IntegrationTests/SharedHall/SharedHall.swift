import Foundation
import KioskTestSupport

/// Several real kioskd processes — terminals of one hall — on one real PostgreSQL database, as
/// a hall runs them: each with its own state dir and socket, all with the hall's keys
/// (`person.key`, `certificate-signing.key`) copied from the first, as docs/operations.md says.
final class SharedHall: @unchecked Sendable {
    let daemons: [DaemonHarness]
    let url: String

    /// `count` daemons named T01, T02, … on `url` (a fresh database on the tests' shared server
    /// when nil); `extra` is appended to every config. Not started.
    init(count: Int = 3, url: String? = nil, extra: (Int) -> String = { _ in "" }) throws {
        let url = try url ?? PrivatePostgres.shared().createDatabase()
        self.url = url
        daemons = try (0..<count).map { i in
            let d = try DaemonHarness(extraConfig: """

                [storage]
                backend = "postgres"
                url = "\(url)"
                \(extra(i))
                """, daemonExtra: "terminal = \"T0\(i + 1)\"")
            return d
        }
    }

    /// Starts the first daemon (which makes the hall's keys), gives the others its keys, and
    /// starts them.
    func startAll() throws {
        try daemons[0].start()
        for d in daemons.dropFirst() {
            try FileManager.default.createDirectory(atPath: d.stateDir, withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o750])
            for key in Self.hallKeys {
                let from = daemons[0].stateDir + "/" + key, to = d.stateDir + "/" + key
                try? FileManager.default.removeItem(atPath: to)
                try FileManager.default.copyItem(atPath: from, toPath: to)
            }
            try d.start()
        }
    }

    static let hallKeys = ["person.key", "certificate-signing.key"]

    subscript(_ i: Int) -> DaemonHarness { daemons[i] }
}
