import Foundation
import Testing

/// Hotplug with the daemon running: the umockdev Testbed plugs a USB ticket printer in, out and
/// in again; a subscriber sees `device.added`, `device.removed`, `device.added` for the
/// configured printer it matches by VID:PID.
@Suite(.serialized) struct HotplugDaemonTests {
    static var repo: URL { URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent() }

    @Test func aUSBPrinterUnpluggedAndPluggedBackIsAnnouncedAndReopened() throws {
        let wrapper = "/usr/bin/umockdev-wrapper"
        guard FileManager.default.isExecutableFile(atPath: wrapper) else {
            Issue.record("umockdev is not installed: run scripts/setup")
            return
        }
        let daemon = try DaemonHarness(extraConfig: """

            [[devices]]
            id = "usbprinter"
            kind = "receipt-printer"
            transport = "usb"
            match = "usb:0416:5011"
            """)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: wrapper)
        p.arguments = ["/usr/bin/python3", Self.repo.appendingPathComponent("Devices/umockdev/daemon_hotplug.py").path,
            DaemonHarness.binary("kioskd"), daemon.configPath, daemon.socket,
            Self.repo.appendingPathComponent("Devices/umockdev/printer-58mm.umockdev").path]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(p.terminationStatus == 0, "\(text)")
        let events = text.split(separator: "\n").compactMap { line -> (String, String?)? in
            guard let data = line.data(using: .utf8),
                let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                let event = object["event"] as? String
            else { return nil }
            return (event, (object["data"] as? [String: Any])?["device"] as? String)
        }
        #expect(events.map(\.0) == ["device.added", "device.removed", "device.added"], "\(text)")
        #expect(events.allSatisfy { $0.1 == "usbprinter" })
    }
}
