import Foundation
import KioskTestSupport
import Testing

@testable import KioskDevices

/// The SAM driver against umockdev's emulated `/dev/ttyUSB0`, replaying a tty script: the
/// second kind of device emulator TESTING.md describes. umockdev works by LD_PRELOAD, so the
/// parent test re-runs this test binary under `umockdev-run` and only the child talks to the
/// emulated port. The script says exactly which bytes the driver must write (a mismatch aborts
/// the child with exit status 133) and which bytes the "reader" answers.
@Suite(.serialized) struct SAMUmockdevTests {
    static let childVariable = "KIOSK_SAM_UMOCKDEV_CHILD"
    static var inChild: Bool { ProcessInfo.processInfo.environment[childVariable] != nil }
    static var umockdevRun: String? {
        ["/usr/bin/umockdev-run", "/usr/local/bin/umockdev-run"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// A tty node as `umockdev-record` would describe a USB-serial adapter's port.
    static let description = """
        P: /devices/pci0000:00/0000:00:14.0/usb1/1-1/1-1:1.0/ttyUSB0/tty/ttyUSB0
        N: ttyUSB0
        E: DEVNAME=/dev/ttyUSB0
        E: MAJOR=188
        E: MINOR=0
        E: SUBSYSTEM=tty
        A: dev=188:0

        """

    /// One script line: bytes below 32 as `^` + (b + 64), `^` itself as "^`", the rest verbatim.
    static func line(_ op: Character, _ ms: Int, _ bytes: [UInt8]) -> [UInt8] {
        var out = Array("\(op) \(ms) ".utf8)
        for b in bytes {
            if b < 32 {
                out += [0x5E, b + 64]
            } else if b == 0x5E {
                out += [0x5E, 0x60]
            } else {
                out.append(b)
            }
        }
        out.append(0x0A)
        return out
    }

    /// Runs the child test `name` under umockdev-run with `script` on /dev/ttyUSB0.
    func runChild(_ name: String, script: [UInt8]) throws -> (status: Int32, output: String) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kioskd-sam-umockdev-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let dev = dir.appendingPathComponent("reader.umockdev")
        let scr = dir.appendingPathComponent("reader.script")
        try Self.description.write(to: dev, atomically: true, encoding: .utf8)
        try Data(script).write(to: scr)
        let r = try ToolRun.run(Self.umockdevRun!, [
            "-d", dev.path, "-s", "/dev/ttyUSB0=\(scr.path)", "--",
            CommandLine.arguments[0], "--testing-library", "swift-testing", "--filter", name,
        ], environment: [Self.childVariable: "1"], timeout: 120)
        return (r.status, r.stdout + r.stderr)
    }

    // MARK: Parents (run normally)

    @Test(.enabled(if: !inChild && umockdevRun != nil))
    func aScriptedReaderGivesAResidentCard() throws {
        var script: [UInt8] = []
        script += Self.line("w", 0, SAMFixture.findCard)
        script += Self.line("r", 0, SAMFixture.noCard)
        script += Self.line("w", 0, SAMFixture.findCard)
        script += Self.line("r", 0, SAMFixture.cardFound)
        script += Self.line("w", 0, SAMFixture.selectCard)
        script += Self.line("r", 0, SAMFixture.selected)
        script += Self.line("w", 0, SAMFixture.readBaseInfo)
        script += Self.line("r", 5, SAMFixture.readAnswer(text: CardTextFixture.resident()))
        let (status, output) = try runChild("childReadsTheScriptedCard", script: script)
        #expect(status == 0, "\(output)")
        #expect(output.contains("childReadsTheScriptedCard() passed"), "\(output)")
    }

    @Test(.enabled(if: !inChild && umockdevRun != nil))
    func aScriptedReaderReportsItsSAMAndThenUnknownStatus() throws {
        var script: [UInt8] = []
        script += Self.line("w", 0, SAMFixture.samStatus)
        script += Self.line("r", 0, SAMFixture.ok)
        script += Self.line("w", 0, SAMFixture.samID)
        script += Self.line("r", 0, SAMFixture.samIDAnswer)
        script += Self.line("w", 0, SAMFixture.findCard)
        script += Self.line("r", 0, SAMFixture.unknown42)
        let (status, output) = try runChild("childReadsSAMStatusAndID", script: script)
        #expect(status == 0, "\(output)")
        #expect(output.contains("childReadsSAMStatusAndID() passed"), "\(output)")
    }

    @Test(.enabled(if: !inChild && umockdevRun != nil))
    func aDriverWritingOtherBytesThanTheScriptSaysIsCaught() throws {
        // The script expects "SAM status" first; the child's readCard sends "find card".
        var script: [UInt8] = []
        script += Self.line("w", 0, SAMFixture.samStatus)
        script += Self.line("r", 0, SAMFixture.ok)
        let (status, output) = try runChild("childReadsTheScriptedCard", script: script)
        #expect(status != 0, "\(output)")
        #expect(!output.contains("childReadsTheScriptedCard() passed"), "\(output)")
    }

    // MARK: Children (run only under umockdev-run)

    static let options = SAMIDCardReader.Options(pollInterval: .milliseconds(10), responseTimeout: .seconds(2))

    @Test(.enabled(if: inChild))
    func childReadsTheScriptedCard() async throws {
        let reader = SAMIDCardReader(id: "card0", serialPath: "/dev/ttyUSB0", options: Self.options)
        let card = try await reader.readCard(timeout: .seconds(5))
        #expect(card.name == "张三")
        #expect(card.idNumber.digits == "500107198001011233")
        #expect(reader.health.state == .ok)
    }

    @Test(.enabled(if: inChild))
    func childReadsSAMStatusAndID() async throws {
        let reader = SAMIDCardReader(id: "card0", serialPath: "/dev/ttyUSB0", options: Self.options)
        #expect(await reader.status().health.state == .ok)
        #expect(try await reader.samID() == "05.01-20101111-0049052391-1262258713")
        await #expect(throws: DeviceError.fault(id: "card0", message: "find card: unknown status 0x42")) {
            try await reader.readCard(timeout: .seconds(2))
        }
        #expect(reader.health.state == .degraded)
    }
}
