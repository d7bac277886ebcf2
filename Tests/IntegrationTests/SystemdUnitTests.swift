import Foundation
import KioskTestSupport
import Testing

/// The systemd units in `systemd/`: they must load cleanly, keep the sandbox strong
/// (`systemd-analyze security` exposure <= 3.0, see `scripts/check-systemd`), and keep the
/// settings the daemon's lifecycle depends on (readiness, watchdog, socket permissions).
@Suite struct SystemdUnitTests {
    static let repo = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // IntegrationTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // repository root
    static let maxExposure = 3.0

    // MARK: scripts/check-systemd

    @Test func checkScriptPassesWithExposureAtMostThree() throws {
        let run = try Self.runCheckScript()
        #expect(run.status == 0, "scripts/check-systemd failed:\n\(run.output)")

        let exposure = try #require(Self.exposure(in: run.output), "no exposure in:\n\(run.output)")
        #expect(exposure >= 0 && exposure <= Self.maxExposure, "exposure \(exposure) > \(Self.maxExposure)")
        #expect(run.output.contains("verify ok"), "\(run.output)")
        #expect(run.output.contains("sysusers ok"), "\(run.output)")
        #expect(run.output.contains("tmpfiles ok"), "\(run.output)")
    }

    // MARK: kioskd.service

    @Test func serviceTalksToSystemdTheWayKioskdDoes() throws {
        let unit = try UnitFile.load(Self.repo.appendingPathComponent("systemd/kioskd.service"))
        // kioskd sends READY=1 once the socket accepts, then WATCHDOG=1 every WatchdogSec/2.
        #expect(unit.last("Service", "Type") == "notify")
        #expect(unit.last("Service", "NotifyAccess") == "main")
        let watchdog = try #require(unit.last("Service", "WatchdogSec"))
        let seconds = try #require(UnitFile.seconds(watchdog), "WatchdogSec=\(watchdog)")
        #expect(seconds >= 10 && seconds <= 120, "WatchdogSec=\(watchdog)")

        let start = try #require(unit.last("Service", "ExecStart"))
        #expect(start == "/usr/bin/kioskd --config /etc/kioskd/kioskd.toml")
        #expect(unit.all("Service", "ExecStartPre").contains { $0.hasPrefix("/usr/bin/kioskd ") && $0.contains("--check-config") })
        #expect(unit.all("Service", "ExecReload").last == "/bin/kill -HUP $MAINPID")

        #expect(unit.last("Service", "Restart") == "on-failure")
        #expect(unit.all("Service", "RestartPreventExitStatus").flatMap(UnitFile.words).contains("78"))
        #expect(unit.last("Service", "TimeoutStopSec").flatMap(UnitFile.seconds) == 15)
    }

    @Test func serviceDoesNotNeedTheSocketUnit() throws {
        let unit = try UnitFile.load(Self.repo.appendingPathComponent("systemd/kioskd.service"))
        for key in ["Requires", "BindsTo", "Requisite", "PartOf"] {
            let deps = unit.all("Unit", key).flatMap(UnitFile.words)
            #expect(!deps.contains("kioskd.socket"), "\(key)=kioskd.socket makes the socket unit mandatory")
        }
    }

    @Test func serviceKeepsItsSandbox() throws {
        let unit = try UnitFile.load(Self.repo.appendingPathComponent("systemd/kioskd.service"))
        let expected: [String: String] = [
            "User": "kioskd", "Group": "kioskd",
            "ProtectSystem": "strict", "ProtectHome": "yes", "PrivateTmp": "yes",
            "NoNewPrivileges": "yes", "ProtectKernelTunables": "yes", "ProtectKernelModules": "yes",
            "ProtectKernelLogs": "yes", "ProtectControlGroups": "yes", "ProtectClock": "yes",
            "ProtectHostname": "yes", "ProtectProc": "invisible", "ProcSubset": "pid",
            "RestrictNamespaces": "yes", "RestrictRealtime": "yes", "RestrictSUIDSGID": "yes",
            "LockPersonality": "yes", "MemoryDenyWriteExecute": "yes", "RemoveIPC": "yes",
            "SystemCallArchitectures": "native", "DevicePolicy": "closed", "IPAddressDeny": "any",
            "StateDirectory": "kioskd", "RuntimeDirectory": "kioskd",
            // libdispatch's setpriority() must fail softly, not kill kioskd with SIGSYS.
            "SystemCallErrorNumber": "EPERM",
        ]
        for (key, value) in expected.sorted(by: { $0.key < $1.key }) {
            #expect(unit.last("Service", key) == value, "\(key)=")
        }
        // No capabilities at all: the last assignment empties the set.
        #expect(unit.last("Service", "CapabilityBoundingSet") == "")
        #expect((unit.last("Service", "AmbientCapabilities") ?? "") == "")
        // Not 0002/0022: nothing kioskd creates may be world-accessible.
        let umask = try #require(unit.last("Service", "UMask").flatMap { Int($0, radix: 8) })
        #expect(umask & 0o007 == 0o007, "UMask must strip all 'other' bits")

        // Allow-list first (it sets the default action), then the privileged and resource
        // groups removed.
        let filters = unit.all("Service", "SystemCallFilter")
        #expect(filters.first == "@system-service")
        let denied = filters.filter { $0.hasPrefix("~") }.flatMap { UnitFile.words(String($0.dropFirst())) }
        #expect(denied.contains("@privileged") && denied.contains("@resources"))

        // Exactly the families kioskd speaks: no AF_PACKET, no "everything".
        let families = Set(unit.all("Service", "RestrictAddressFamilies").flatMap(UnitFile.words))
        #expect(families == ["AF_UNIX", "AF_NETLINK", "AF_INET", "AF_INET6"])
        #expect(unit.all("Service", "IPAddressAllow").flatMap(UnitFile.words) == ["localhost"])

        // Device access by the serial and USB classes only, never a wildcard or block devices.
        let devices = unit.all("Service", "DeviceAllow")
        let classes = Set(devices.compactMap { UnitFile.words($0).first })
        #expect(classes.isSuperset(of: ["char-ttyUSB", "char-ttyACM", "char-usb_device", "char-usb"]))
        #expect(classes.contains("char-ttyS") || classes.contains("char-tty"))
        #expect(!classes.contains { $0.hasPrefix("block-") || $0.contains("*") || $0 == "/dev" })
        // PrivateDevices would hide the real ports; PrivateUsers would hide the peers' uids.
        #expect(unit.last("Service", "PrivateDevices").map(UnitFile.isFalse) ?? true)
        #expect(unit.last("Service", "PrivateUsers").map(UnitFile.isFalse) ?? true)
        #expect(Set(unit.all("Service", "SupplementaryGroups").flatMap(UnitFile.words)).isSuperset(of: ["dialout", "lp"]))
    }

    // MARK: kioskd.socket

    @Test func socketUnitMatchesTheSocketContract() throws {
        let unit = try UnitFile.load(Self.repo.appendingPathComponent("systemd/kioskd.socket"))
        #expect(unit.last("Socket", "ListenStream") == "/run/kioskd/kioskd.sock")
        #expect(unit.last("Socket", "SocketMode") == "0660")
        #expect(unit.last("Socket", "SocketUser") == "kioskd")
        #expect(unit.last("Socket", "SocketGroup") == "kioskd")
        #expect(unit.last("Socket", "Service") == "kioskd.service")
        // kioskd takes fd 3 and serves it itself: one listening socket, not one per connection.
        #expect(unit.last("Socket", "Accept").map(UnitFile.isFalse) ?? true)
    }

    // MARK: the parser is tested too, so that the assertions above cannot pass vacuously

    @Test func unitParserReadsSectionsRepeatsAndEmptyAssignments() {
        let unit = UnitFile(text: """
            # comment
            [Service]
            ; other comment
            DeviceAllow=char-ttyS rw
            DeviceAllow=char-usb rw
            CapabilityBoundingSet=CAP_CHOWN
            CapabilityBoundingSet=
            ExecStart=/bin/a \\
              --flag
            [Socket]
            SocketMode = 0660
            """)
        #expect(unit.all("Service", "DeviceAllow") == ["char-ttyS rw", "char-usb rw"])
        #expect(unit.last("Service", "CapabilityBoundingSet") == "")
        #expect(unit.last("Service", "ExecStart") == "/bin/a --flag")
        #expect(unit.last("Socket", "SocketMode") == "0660")
        #expect(unit.last("Service", "SocketMode") == nil)
        #expect(UnitFile.seconds("30s") == 30 && UnitFile.seconds("2min") == 120 && UnitFile.seconds("15") == 15)
        #expect(UnitFile.seconds("banana") == nil)
        #expect(Self.exposure(in: "check-systemd: overall exposure 1.5 (limit 3.0)\n") == 1.5)
        #expect(Self.exposure(in: "nothing here") == nil)
    }

    // MARK: helpers

    static func runCheckScript() throws -> (status: Int32, output: String) {
        var arguments = [repo.appendingPathComponent("scripts/check-systemd").path]
        // The real binary if it was built beside the tests (verify then also checks that
        // ExecStart= points at an executable); the script falls back to /bin/true.
        if let built = builtKioskd() { arguments.append(built) }
        // From the repository, as the script expects (ToolRun starts children in our own folder).
        let r = try ToolRun.run("/bin/bash", ["-c", "cd \"$0\" && exec /bin/bash \"$@\"", repo.path] + arguments, timeout: 120)
        return (r.status, r.stdout + r.stderr)
    }

    static func builtKioskd() -> String? {
        let dir = ProcessInfo.processInfo.environment["KIOSKD_BIN_DIR"].map { URL(fileURLWithPath: $0) }
            ?? URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let path = dir.appendingPathComponent("kioskd").path
        return FileManager.default.isExecutableFile(atPath: path) ? path : nil
    }

    /// The number in `check-systemd: overall exposure 1.5 (limit 3.0)`.
    static func exposure(in output: String) -> Double? {
        for line in output.split(separator: "\n") {
            guard let range = line.range(of: "overall exposure ") else { continue }
            let number = line[range.upperBound...].prefix { $0.isNumber || $0 == "." }
            if let value = Double(number) { return value }
        }
        return nil
    }
}

/// Just enough of systemd.syntax(7) for assertions: sections, repeated keys in order, empty
/// assignments, comments, backslash continuations.
private struct UnitFile {
    private var entries: [(section: String, key: String, value: String)] = []

    static func load(_ url: URL) throws -> UnitFile {
        UnitFile(text: try String(contentsOf: url, encoding: .utf8))
    }

    init(text: String) {
        var section = ""
        var pending = ""
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = raw.trimmingCharacters(in: .whitespaces)
            if pending.isEmpty && (line.hasPrefix("#") || line.hasPrefix(";")) { continue }
            if line.hasSuffix("\\") {
                line.removeLast()
                pending += line.trimmingCharacters(in: .whitespaces) + " "
                continue
            }
            line = pending + line
            pending = ""
            if line.hasPrefix("[") && line.hasSuffix("]") {
                section = String(line.dropFirst().dropLast())
            } else if let eq = line.firstIndex(of: "=") {
                let key = line[..<eq].trimmingCharacters(in: .whitespaces)
                let value = line[line.index(after: eq)...].trimmingCharacters(in: .whitespaces)
                entries.append((section, key, value))
            }
        }
    }

    func all(_ section: String, _ key: String) -> [String] {
        entries.filter { $0.section == section && $0.key == key }.map(\.value)
    }

    func last(_ section: String, _ key: String) -> String? { all(section, key).last }

    static func words(_ value: String) -> [String] { value.split(separator: " ").map(String.init) }

    static func isFalse(_ value: String) -> Bool { ["no", "false", "0", "off"].contains(value.lowercased()) }

    /// systemd time spans as used here: "30s", "2min", "15" (seconds), "1h".
    static func seconds(_ value: String) -> Double? {
        let digits = value.prefix { $0.isNumber || $0 == "." }
        guard let number = Double(digits) else { return nil }
        switch value.dropFirst(digits.count).trimmingCharacters(in: .whitespaces) {
        case "", "s", "sec": return number
        case "ms", "msec": return number / 1000
        case "m", "min": return number * 60
        case "h", "hr": return number * 3600
        default: return nil
        }
    }
}
