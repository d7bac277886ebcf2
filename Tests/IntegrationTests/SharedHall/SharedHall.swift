import Foundation
import KioskTestSupport

/// Several real kioskd processes — terminals of one hall — on one real PostgreSQL database, as
/// a hall runs them: each with its own state dir and socket, all with the same `person.key`.
final class SharedHall: @unchecked Sendable {
    let daemons: [DaemonHarness]
    let url: String

    /// `count` daemons named T01, T02, … on `url` (a fresh database on the tests' shared server
    /// when nil); `extra` is appended to every config. Not started.
    init(count: Int = 3, url: String? = nil, extra: (Int) -> String = { _ in "" }) throws {
        let url = try url ?? PrivatePostgres.shared().createDatabase()
        self.url = url
        let key = Data((0..<32).map { _ in UInt8.random(in: 0...255) })
        daemons = try (0..<count).map { i in
            let d = try DaemonHarness(extraConfig: """

                [storage]
                backend = "postgres"
                url = "\(url)"
                \(extra(i))
                """, daemonExtra: "terminal = \"T0\(i + 1)\"")
            try FileManager.default.createDirectory(atPath: d.stateDir, withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o750])
            let keyPath = d.stateDir + "/person.key"
            FileManager.default.createFile(atPath: keyPath, contents: key, attributes: [.posixPermissions: 0o600])
            return d
        }
    }

    func startAll() throws {
        for d in daemons { try d.start() }
    }

    subscript(_ i: Int) -> DaemonHarness { daemons[i] }
}
