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
        let stranger = try SocketFile.listen(at: path, backlog: 4, removingStale: true)
        defer { close(stranger) }
        let theirs = try #require(SocketFile(path: path))

        #expect(throws: SocketError.self) { try SocketFile.listen(at: path, backlog: 4, removingStale: false) }
        #expect(SocketFile(path: path) == theirs, "the stranger's socket file is still the one at the path")
    }

    @Test func aStaleSocketIsReplacedWhenAsked() throws {
        let (dir, path) = scratchPath()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        close(try SocketFile.listen(at: path, backlog: 4, removingStale: true))  // left behind, dead
        let stale = try #require(SocketFile(path: path))

        let fd = try SocketFile.listen(at: path, backlog: 4, removingStale: true)
        defer { close(fd) }
        let now = try #require(SocketFile(path: path))
        #expect(now != stale)
    }

    @Test func aDeletedPathIsBoundWithoutReplacing() throws {
        let (dir, path) = scratchPath()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let fd = try SocketFile.listen(at: path, backlog: 4, removingStale: false)
        defer { close(fd) }
        #expect(SocketFile(path: path) != nil)
    }
}
