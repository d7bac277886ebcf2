import Foundation
import KioskClient
import KioskProtocol
import KioskTestSupport
import Testing

/// One daemon per state dir, and a socket that stays reachable: a second daemon refuses, a
/// deleted socket is bound again, a stranger's socket is never taken or removed.
@Suite(.serialized) struct StateDirTests {
    /// A second config on the same state dir, with a socket of its own.
    static func secondConfig(of h: DaemonHarness, socket: String) throws -> String {
        let text = try String(contentsOfFile: h.configPath, encoding: .utf8).replacingOccurrences(of: h.socket, with: socket)
        let path = h.dir.appendingPathComponent("second.toml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func aSecondDaemonOnTheSameStateDirRefusesAndNamesTheFirst() throws {
        let h = try DaemonHarness()
        try h.start()
        let config = try Self.secondConfig(of: h, socket: h.dir.appendingPathComponent("other.sock").path)
        let run = try ToolRun.run(DaemonHarness.binary("kioskd"), ["--config", config], timeout: 30)
        #expect(run.status != 0)
        let pid = h.process!.processIdentifier
        #expect(run.stderr.contains("pid \(pid)"), "\(run.stderr)")
        #expect(run.stderr.contains(h.stateDir))
        #expect(!FileManager.default.fileExists(atPath: h.dir.appendingPathComponent("other.sock").path))
        // The first daemon goes on, the only writer of its database.
        #expect(try h.client().call("daemon.status")["pid"]?.intValue == Int64(pid))
    }

    @Test func aDeletedSocketIsBoundAgainWithAWarning() throws {
        let h = try DaemonHarness()
        try h.start()
        try FileManager.default.removeItem(atPath: h.socket)
        var client: KioskClient?
        for _ in 0..<100 where client == nil {
            usleep(100_000)
            client = try? KioskClient(socketPath: h.socket)
        }
        let c = try #require(client, "the socket never came back")
        #expect(try c.call("daemon.status")["pid"]?.intValue == Int64(h.process!.processIdentifier))
        #expect(h.log().contains("was deleted"))
        // Stopping removes the socket it bound.
        h.stop()
        #expect(!FileManager.default.fileExists(atPath: h.socket))
    }

    @Test func aStrangersSocketOnThePathIsNeitherTakenNorRemoved() throws {
        let h = try DaemonHarness()
        try h.start()
        // Someone else listens on the path now. Their socket is renamed over ours, so the path is
        // never empty: a daemon check in between cannot bind first. (A socket bound at a path
        // the daemon lost is never unlinked: SocketFileTests.)
        let strangerPath = h.socket + ".stranger"
        let stranger = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(stranger) }
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &addr.sun_path) { raw in raw.copyBytes(from: Array(strangerPath.utf8) + [0]) }
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(stranger, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        try #require(bound == 0 && listen(stranger, 4) == 0)
        try #require(rename(strangerPath, h.socket) == 0)
        let inode = try FileManager.default.attributesOfItem(atPath: h.socket)[.systemFileNumber] as? Int
        usleep(5_000_000)  // more than two of the daemon's socket checks
        #expect(try FileManager.default.attributesOfItem(atPath: h.socket)[.systemFileNumber] as? Int == inode)
        h.stop()
        #expect(FileManager.default.fileExists(atPath: h.socket), "the stranger's socket was removed")
    }

    @Test func afterAStopTheStateDirCanBeUsedAgain() throws {
        let h = try DaemonHarness()
        try h.start()
        h.stop()
        try h.start()
        #expect(try h.client().call("daemon.status")["pid"]?.intValue == Int64(h.process!.processIdentifier))
        h.kill9()  // the kernel drops the lock with the process
        try h.start()
        #expect(try h.client().call("daemon.status")["pid"]?.intValue == Int64(h.process!.processIdentifier))
    }
}
