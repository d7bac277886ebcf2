import Foundation
import Testing
@testable import KioskDaemon

/// The socket file primitive: binding never takes a path from a socket that appeared there
/// unless the caller asked to replace a stale one.
@Suite struct SocketFileTests {
    private func scratchPath() -> (dir: String, path: String) {
        let dir = NSTemporaryDirectory() + "kioskd-sockfile-\(UUID().uuidString.prefix(8))"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return (dir, dir + "/k.sock")
    }

    @Test func bindingAgainNeverRemovesASocketThatAppearedAtThePath() throws {
        let (dir, path) = scratchPath()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let stranger = try SocketFile.listen(at: path, backlog: 4, removingStale: true).fd
        defer { close(stranger) }
        let theirs = try #require(SocketFile(path: path))

        #expect(throws: SocketError.self) { try SocketFile.listen(at: path, backlog: 4, removingStale: false).fd }
        #expect(SocketFile(path: path) == theirs, "the stranger's socket file is still the one at the path")
    }

    @Test func aStaleSocketIsReplacedWhenAsked() throws {
        let (dir, path) = scratchPath()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        close(try SocketFile.listen(at: path, backlog: 4, removingStale: true).fd)  // left behind, dead
        let stale = try #require(SocketFile(path: path))

        let fd = try SocketFile.listen(at: path, backlog: 4, removingStale: true).fd
        defer { close(fd) }
        let now = try #require(SocketFile(path: path))
        #expect(now != stale)
    }

    /// A client may replace the path the moment it can connect (a test harness does): the file's
    /// identity is taken, after `prepare`, before the socket accepts anyone.
    @Test func theFilesIdentityIsTakenBeforeItAcceptsConnections() throws {
        let (dir, path) = scratchPath()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var connectedDuringPrepare: Bool?
        let (fd, file) = try SocketFile.listen(at: path, backlog: 4, removingStale: false) { path in
            chmod(path, 0o640)  // changes the file's ctime, as a group change does
            connectedDuringPrepare = Self.connects(path)
        }
        defer { close(fd) }
        #expect(connectedDuringPrepare == false)
        #expect(SocketFile(path: path) == file, "the identity includes what prepare changed")
        #expect(Self.connects(path))
    }

    private static func connects(_ path: String) -> Bool {
        guard var addr = SocketFile.address(path) else { return false }
        let c = SocketFile.makeSocket()
        defer { close(c) }
        let r = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(c, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        return r == 0 || errno == EAGAIN
    }

    @Test func aDeletedPathIsBoundWithoutReplacing() throws {
        let (dir, path) = scratchPath()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let fd = try SocketFile.listen(at: path, backlog: 4, removingStale: false).fd
        defer { close(fd) }
        #expect(SocketFile(path: path) != nil)
    }
}
