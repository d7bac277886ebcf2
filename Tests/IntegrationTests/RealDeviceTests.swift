import Foundation
import KioskClient
import KioskProtocol
import Testing

/// The daemon with real drivers on real endpoints: an ESC/POS printer writing to a character
/// device stand-in (a capture file), a network printer nobody answers, a serial reader whose
/// adapter is unplugged. Faults are clear errors that issue nothing.
@Suite(.serialized) struct RealDeviceTests {
    @Test func aFilePrinterReceivesTheTicketsESCPOSBytes() throws {
        // A regular file stands in for /dev/usb/lp0: same driver, same bytes, no status back.
        let capture = FileManager.default.temporaryDirectory.appendingPathComponent("kioskd-lp0-\(UUID().uuidString)").path
        #expect(FileManager.default.createFile(atPath: capture, contents: nil))
        defer { try? FileManager.default.removeItem(atPath: capture) }
        let daemon = try DaemonHarness(extraConfig: """

            [[devices]]
            id = "lp0"
            kind = "receipt-printer"
            transport = "file"
            path = "\(capture)"
            """)
        try daemon.start()
        let c = try daemon.client(role: "kiosk")
        let t = try c.call("queue.take", ["category": "A", "print": true, "printer": "lp0"])
        #expect(t["printed"] == .bool(true))
        let bytes = Array(FileManager.default.contents(atPath: capture) ?? Data())
        #expect(Array(bytes.prefix(2)) == [0x1B, 0x40])  // ESC @
        #expect(bytes.contains(run: Array("A001".utf8)))
        #expect(bytes.contains(run: [0x1D, 0x28, 0x6B]))  // GS ( k: the QR code
        #expect(Array(bytes.suffix(4)) == [0x1D, 0x56, 0x42, 0x00])  // GS V 66 0: cut
        let status = try daemon.client().call("device.status", ["id": "lp0"])
        #expect(status["transport"] == .string("file"))
    }

    @Test func aPrinterPrintsTheLayoutItsConfigNames() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kioskd-layout-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let capture = dir.appendingPathComponent("lp0").path
        let layout = dir.appendingPathComponent("ticket.toml").path
        #expect(FileManager.default.createFile(atPath: capture, contents: nil))
        try """
            [[block]]
            text = "{number}"
            size = 2

            [[block]]
            text = "请到二楼等候"
            """.write(toFile: layout, atomically: true, encoding: .utf8)
        let daemon = try DaemonHarness(extraConfig: """

            [[devices]]
            id = "lp0"
            kind = "receipt-printer"
            transport = "file"
            path = "\(capture)"
            layout = "\(layout)"
            """)
        try daemon.start()
        let t = try daemon.client(role: "kiosk").call("queue.take", ["category": "A", "print": true, "printer": "lp0"])
        #expect(t["printed"] == .bool(true))
        let bytes = Array(FileManager.default.contents(atPath: capture) ?? Data())
        #expect(bytes.contains(run: [0x1D, 0x21, 0x11] + Array("A001".utf8)))  // GS ! 2×2, the number
        #expect(bytes.contains(run: [0xC7, 0xEB, 0xB5, 0xBD]))  // 请到 in GB 18030
        #expect(!bytes.contains(run: [0x1D, 0x28, 0x6B]))  // this layout has no QR code
        #expect(Array(bytes.suffix(4)) == [0x1D, 0x56, 0x42, 0x00])
    }

    @Test func anUnreachableNetworkPrinterRefusesPrintedTicketsAndIssuesNothing() throws {
        // A port on loopback that nobody listens on.
        let daemon = try DaemonHarness(extraConfig: """

            [[devices]]
            id = "net0"
            kind = "receipt-printer"
            transport = "tcp"
            host = "127.0.0.1"
            port = 9
            """)
        try daemon.start()
        let c = try daemon.client()
        let before = try c.call("daemon.status")["tickets"]
        let e = rpcError { try c.call("queue.take", ["category": "A", "print": true, "printer": "net0"]) }
        #expect(e?.reason == "device_unavailable")
        #expect(try c.call("daemon.status")["tickets"] == before)
        let status = try c.call("device.status", ["id": "net0"])
        #expect(status["state"] == .string("absent"))
        #expect(status["lastError"]?.stringValue?.contains("127.0.0.1:9") == true)
    }

    @Test func aReaderWhoseAdapterIsUnpluggedAnswersClearly() throws {
        let daemon = try DaemonHarness(extraConfig: """

            [[devices]]
            id = "sam0"
            kind = "idcard-reader"
            transport = "serial"
            path = "/dev/ttyKIOSKNOPE0"
            baud = 115200
            """)
        try daemon.start()
        let e = rpcError { try daemon.client().call("idcard.read", ["device": "sam0", "timeoutSeconds": 1]) }
        #expect(e?.reason == "device_unavailable")
        #expect(e?.message.contains("ttyKIOSKNOPE0") == true)
        #expect(try daemon.client().call("device.status", ["id": "sam0"])["state"] == .string("absent"))
    }
}

extension Array where Element == UInt8 {
    func contains(run: [UInt8]) -> Bool {
        guard run.count <= count else { return false }
        return (0...(count - run.count)).contains { Array(self[$0..<($0 + run.count)]) == run }
    }
}
