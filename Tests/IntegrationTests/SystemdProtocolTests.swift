import Foundation
import KioskClient
import KioskProtocol
import Testing

/// The daemon's side of systemd, against real sockets: sd_notify datagrams (READY, WATCHDOG,
/// STOPPING) and socket activation through `systemd-socket-activate`.
@Suite(.serialized) struct SystemdProtocolTests {
    /// A datagram socket standing in for systemd's notification socket.
    final class NotifySocket {
        let path: String
        let fd: Int32
        init(dir: URL) throws {
            path = dir.appendingPathComponent("notify.sock").path
            fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
            var addr = sockaddr_un()
            addr.sun_family = sa_family_t(AF_UNIX)
            withUnsafeMutableBytes(of: &addr.sun_path) { $0.copyBytes(from: Array(path.utf8) + [0]) }
            let rc = withUnsafePointer(to: &addr) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
            }
            guard rc == 0 else { throw HarnessError("cannot bind \(path)") }
        }
        deinit { close(fd) }

        /// Messages received until `deadline` or until `until` matches one.
        func receive(for seconds: Double, until: (String) -> Bool = { _ in false }) -> [String] {
            var out: [String] = []
            let deadline = Date().addingTimeInterval(seconds)
            while Date() < deadline {
                var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                guard poll(&pfd, 1, Int32(max(1, deadline.timeIntervalSinceNow * 1000))) > 0 else { continue }
                var buf = [UInt8](repeating: 0, count: 4096)
                let n = recv(fd, &buf, buf.count, 0)
                guard n > 0 else { continue }
                let message = String(decoding: buf[..<n], as: UTF8.self)
                out.append(message)
                if until(message) { break }
            }
            return out
        }
    }

    @Test func readyThenWatchdogPingsThenStopping() throws {
        let daemon = try DaemonHarness()
        let notify = try NotifySocket(dir: daemon.dir)
        try daemon.start(environment: ["NOTIFY_SOCKET": notify.path, "WATCHDOG_USEC": "400000"])
        let first = notify.receive(for: 5) { $0.contains("READY=1") }
        #expect(first.contains { $0.contains("READY=1") })
        // READY comes only once the socket accepts: by now a client connects.
        #expect(try daemon.client().call("daemon.status")["hall"]?["code"] == .string("500107-01"))
        // Pings every WatchdogSec/2 = 200 ms.
        let pings = notify.receive(for: 1.1).filter { $0.contains("WATCHDOG=1") }
        #expect(pings.count >= 3)
        daemon.signal(SIGTERM)
        #expect(notify.receive(for: 5) { $0.contains("STOPPING=1") }.contains { $0.contains("STOPPING=1") })
        daemon.process?.waitUntilExit()
        #expect(daemon.process?.terminationStatus == 0)
    }

    static let activate = "/usr/bin/systemd-socket-activate"

    // systemd-socket-activate comes with the systemd package (scripts/setup installs it).
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: SystemdProtocolTests.activate),
        "needs /usr/bin/systemd-socket-activate (Debian: systemd)"))
    func socketActivationServesOnTheInheritedSocket() throws {
        let activate = Self.activate
        let daemon = try DaemonHarness()
        // The listening socket is created by the launcher, not by kioskd.
        let activated = daemon.dir.appendingPathComponent("activated.sock").path
        try daemon.start(launcher: [activate, "-l", activated], waitOn: activated)
        let c = try KioskClient(socketPath: activated)
        let status = try c.call("daemon.status")
        #expect(status["hall"]?["code"] == .string("500107-01"))
        #expect(try c.call("queue.take", ["category": "A"])["number"] == .string("A001"))
        // kioskd did not bind its configured path.
        #expect(!FileManager.default.fileExists(atPath: daemon.socket))
    }
}
