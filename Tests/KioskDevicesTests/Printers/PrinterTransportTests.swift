import Foundation
import KioskTestSupport
import Testing

@testable import KioskDevices

#if canImport(Glibc)
    import Glibc
#endif

/// `TCPTransport` against loopback listeners and `FileTransport` against files and missing paths.
@Suite("Printer transports: TCP and file (PrinterTransportTests)")
struct PrinterTransportTests {
    @Test func tcpDeliversTheExactBytes() throws {
        let server = try LoopbackListener()
        let t = try TCPTransport(host: "127.0.0.1", port: server.port, connectTimeout: .seconds(2))
        #expect(t.endpoint == "tcp://127.0.0.1:\(server.port)")
        let bytes = (0..<20_000).map { UInt8(truncatingIfNeeded: $0 * 7) }.filter { $0 != 0x10 }
        try t.write(bytes, timeout: .seconds(2))
        t.close()
        #expect(server.receivedAfterClose() == bytes)
    }

    @Test func tcpPrinterPrintsAKnownTicketAndReadsStatus() async throws {
        let server = try LoopbackListener()
        let port = server.port
        let printer = ESCPOSPrinter(
            id: "printer1", transport: .tcp, endpoint: "tcp://127.0.0.1:\(port)", profile: .default,
            options: .init(statusMaxAge: .zero),
            open: { () throws(TransportError) -> any ByteTransport in try TCPTransport(host: "127.0.0.1", port: port) })
        let slip = Fixtures.slip()
        try await printer.printTicket(slip)
        #expect(printer.health.state == .ok && printer.health.reason == "ready")
        let expected = try printer.bytes(for: slip)
        printer.close()
        #expect(server.receivedAfterClose() == statusRound + expected)
    }

    /// Network printers drop idle connections; the status request before the next job notices
    /// and the printer connects again instead of failing the ticket.
    @Test func tcpPrinterReconnectsAfterTheConnectionWasDropped() async throws {
        let server = try LoopbackListener()
        let port = server.port
        let printer = ESCPOSPrinter(
            id: "printer1", transport: .tcp, endpoint: "tcp://127.0.0.1:\(port)", profile: .default,
            options: .init(statusTimeout: .milliseconds(300), statusMaxAge: .zero),
            open: { () throws(TransportError) -> any ByteTransport in try TCPTransport(host: "127.0.0.1", port: port) })
        try await printer.printTicket(Fixtures.slip())
        server.dropConnections()
        try await printer.printTicket(Fixtures.slip())
        #expect(printer.health.state == .ok)
        let expected = try printer.bytes(for: Fixtures.slip())
        printer.close()
        let deadline = ContinuousClock.now + .seconds(3)
        while server.connections.count < 2 || !server.connections[1].suffix(4).elementsEqual(expected.suffix(4)),
            ContinuousClock.now < deadline
        {
            try await Task.sleep(for: .milliseconds(5))
        }
        let connections = server.connections
        #expect(connections.count == 2)
        #expect(connections.last.map { $0 == statusRound + expected } == true)
    }

    @Test func tcpRefusedIsNotFoundWithTheAddress() throws {
        let closed = try RefusingPort()
        #expect {
            _ = try TCPTransport(host: "127.0.0.1", port: closed.port, connectTimeout: .seconds(2))
        } throws: { error in
            guard case .notFound(let m) = error as? TransportError else { return false }
            return m.contains("tcp://127.0.0.1:\(closed.port)") && m.contains("refused")
        }
    }

    @Test func tcpPrinterThatRefusesIsAbsent() async throws {
        let closed = try RefusingPort()
        let port = closed.port
        let printer = ESCPOSPrinter(
            id: "printer1", transport: .tcp, endpoint: "tcp://127.0.0.1:\(port)",
            open: { () throws(TransportError) -> any ByteTransport in try TCPTransport(host: "127.0.0.1", port: port) })
        await #expect(throws: DeviceError.self) { try await printer.printTicket(Fixtures.slip()) }
        #expect(printer.health.state == .absent)
        #expect(printer.health.reason.contains("127.0.0.1:\(port)"))
    }

    @Test func missingPathIsNotFound() {
        #expect(throws: TransportError.self) { try FileTransport(path: "/nonexistent/kioskd/lp0") }
        do {
            _ = try FileTransport(path: "/nonexistent/kioskd/lp0")
        } catch {
            guard case .notFound(let m) = error else {
                Issue.record("expected notFound, got \(error)")
                return
            }
            #expect(m.hasPrefix("/nonexistent/kioskd/lp0"))
        }
    }

    @Test func aDirectoryIsNotAPrinter() {
        #expect(throws: TransportError.self) { try FileTransport(path: "/tmp") }
    }

    @Test func aCaptureFileReceivesTheBytesAndReadsNothing() throws {
        let path = Fixtures.tempDir() + "/lp0"
        #expect(FileManager.default.createFile(atPath: path, contents: nil))
        let t = try FileTransport(path: path)
        #expect(!t.canRead)  // a file never answers DLE EOT
        try t.write([0x1B, 0x40, 0x41, 0x0A], timeout: .seconds(1))
        // A file cannot answer: read returns at once instead of waiting out its timeout.
        let started = ContinuousClock.now
        #expect(try t.read(max: 16, timeout: .seconds(30)) == [])
        #expect(ContinuousClock.now - started < .seconds(15))
        t.close()
        #expect(Array(FileManager.default.contents(atPath: path) ?? Data()) == [0x1B, 0x40, 0x41, 0x0A])
        #expect(throws: TransportError.self) { try t.write([0], timeout: .seconds(1)) }
    }

    /// /dev/full refuses every byte with ENOSPC: an I/O error, not a hang.
    @Test func aRefusedWriteIsAnIOError() throws {
        let t = try FileTransport(path: "/dev/full")
        #expect {
            try t.write([1, 2, 3], timeout: .seconds(1))
        } throws: { error in
            guard case .io(let m) = error as? TransportError else { return false }
            return m.contains("/dev/full")
        }
    }

    /// As a non-root user a write-only node opens write-only; as root permissions do not apply.
    @Test(.enabled(if: getuid() != 0)) func aWriteOnlyNodeOpensWriteOnly() throws {
        let path = Fixtures.tempDir() + "/lp-wo"
        #expect(FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o200]))
        let t = try FileTransport(path: path)
        #expect(!t.canRead)
        #expect(try t.read(max: 1, timeout: .seconds(1)) == [])
        try t.write([0x41], timeout: .seconds(1))
    }
}
