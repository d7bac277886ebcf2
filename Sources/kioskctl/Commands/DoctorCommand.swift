import ArgumentParser
import Foundation
import KioskClient
import KioskConfig
import KioskCore
import KioskProtocol

/// `kioskctl doctor`: the one command a technician runs in front of a broken terminal. It checks
/// the configuration, the socket, the storage, every device, the udev rules, free disk and the
/// clock, prints one verdict per line, and exits 1 when anything failed.
struct DoctorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check this terminal end to end: config, socket, storage, devices, udev rules, disk, clock.",
        discussion: """
            One line per check: ok, warn (works, but look at it) or FAIL (broken), with what to do.
            Exit status 0 when nothing failed, 1 otherwise (warnings do not fail).
            """)

    @Option(name: .long, help: ConfigFile.help)
    var config: String?

    @Option(name: .long, help: ArgumentHelp("The socket; default: the config's daemon.socket.", valueName: "path"))
    var socket: String?

    enum Verdict: String { case ok, warn, fail = "FAIL" }

    struct Check {
        var verdict: Verdict
        var area: String
        var detail: String
    }

    func run() throws {
        // Verdicts are coloured; details are never cut, but wrapped under themselves at a terminal.
        let width = Terminal.detect(wide: false).width
        Terminal.current = Terminal.detect(wide: true)
        var checks: [Check] = []
        func add(_ v: Verdict, _ area: String, _ detail: String) {
            let c = Check(verdict: v, area: area, detail: detail)
            checks.append(c)
            let verdict = Palette.paint(c.verdict.rawValue, Palette.colour(ofState: c.verdict.rawValue))
            let indent = 16  // "FAIL  " + area (9) + " "
            let lines = width.map { DisplayWidth.wrap(detail, to: max(20, $0 - indent)) } ?? [detail]
            Output.line("\(verdict)\(String(repeating: " ", count: max(1, 6 - c.verdict.rawValue.count)))\(area.padding(toLength: 9, withPad: " ", startingAt: 0)) \(lines[0])")
            for more in lines.dropFirst() { Output.line(String(repeating: " ", count: indent) + more) }
        }

        // 1. Configuration: the same loader the daemon uses.
        let configPath = ConfigFile.path(config)
        var hall: HallConfig?
        do {
            let c = try ConfigLoader.load(path: configPath)
            hall = c
            add(.ok, "config", "\(configPath): hall \(c.hall.code) \(c.hall.name), \(c.categories.count) categories, \(c.windows.count) windows, \(c.devices.count) devices")
        } catch {
            add(.fail, "config", "\(error) — kioskd will not start with it")
        }

        // 2. Socket: there, a socket, 0660, and answering.
        let socketPath = socket ?? hall?.daemon.socket ?? ConnectionOptions.defaultSocket
        var status: JSONValue?
        var client: KioskClient?
        var st = stat()
        if stat(socketPath, &st) != 0 {
            add(.fail, "socket", "\(socketPath) does not exist — is kioskd running? (systemctl status kioskd)")
        } else if st.st_mode & S_IFMT != S_IFSOCK {
            add(.fail, "socket", "\(socketPath) is not a socket")
        } else {
            let mode = st.st_mode & 0o777
            let group = groupName(st.st_gid)
            if let want = hall?.daemon.socketGroup, want != group {
                add(.warn, "socket", "\(socketPath) belongs to group \(group), the config says \(want)")
            }
            do {
                let c = try KioskClient(socketPath: socketPath, timeout: 5)
                status = try c.call(Method.daemonStatus.rawValue)
                client = c
                let verdict: Verdict = mode == 0o660 ? .ok : .warn
                add(verdict, "socket", "\(socketPath) mode \(String(mode, radix: 8)) group \(group); kioskd \(status?["version"]?.plainText ?? "?") answers, pid \(status?["pid"]?.plainText ?? "?")"
                    + (verdict == .warn ? " — expected mode 660" : ""))
            } catch {
                add(.fail, "socket", "\(socketPath): \(error) — check [access] and the socket's group")
            }
        }

        // 3. Storage, as the daemon sees it, and free disk where it keeps its state.
        if let storage = status?["storage"], let state = storage["state"]?.stringValue {
            let backend = storage["backend"]?.plainText ?? "?"
            if state == "ok" {
                let server = storage["server"].map { s in
                    "PostgreSQL \(storage["serverVersion"]?.plainText ?? "") at \(s.plainText), " }
                add(.ok, "storage", backend + ": " + (server ?? "") + "schema \(storage["schema"]?.plainText ?? "?")"
                    + (status?["tickets"].map { ", \($0.plainText) tickets stored" } ?? ""))
                // Every terminal stamps tickets and hall-days with its own clock: on a shared
                // database they must agree with the server's (and so with each other).
                if let skew = storage["clockSkewSeconds"]?.doubleValue {
                    let text = abs(skew) < 0.05 ? "this terminal's clock agrees with the database server's"
                        : String(format: "this terminal's clock is %.1f s %@ the database server's", abs(skew), skew > 0 ? "behind" : "ahead of")
                    add(abs(skew) > 30 ? .fail : (abs(skew) > 2 ? .warn : .ok), "clock",
                        text + (abs(skew) > 2 ? " — synchronize both with NTP (timedatectl set-ntp true)" : ""))
                }
            } else {
                // The reason says what to do; the restart is what systemd will do anyway.
                add(.fail, "storage", "\(backend): \(state) since \(storage["since"]?.plainText ?? "?") — "
                    + "\(storage["error"]?.plainText ?? "?"); then `systemctl restart kioskd` if it does not recover within a minute")
            }
        } else if status != nil {
            add(.warn, "storage", "daemon.status did not say")
        }
        if let stateDir = hall?.daemon.stateDir {
            var fs = statvfs()
            if statvfs(stateDir, &fs) == 0 {
                let free = Double(fs.f_bavail) * Double(fs.f_frsize)
                let share = fs.f_blocks > 0 ? Double(fs.f_bavail) / Double(fs.f_blocks) : 1
                let text = String(format: "%@: %.1f GiB free (%.0f%%)", stateDir, free / Double(1 << 30), share * 100)
                add(free < 100 * 1024 * 1024 ? .fail : (free < Double(1 << 30) || share < 0.05 ? .warn : .ok), "disk", text)
            } else {
                add(.fail, "disk", "\(stateDir): \(String(cString: strerror(errno))) — the state dir is missing or unreadable")
            }
        }

        // 4. Every device.
        var realDevices = false
        if let client {
            if let all = (try? client.call(Method.deviceList.rawValue))?.arrayValue {
                // This terminal's devices decide the verdict; the other terminals' (a shared
                // hall database) are shown, and warn when broken or not reporting.
                let me = status?["terminal"]?.stringValue
                let devices = all.filter { $0["terminal"] == nil || $0["terminal"]?.stringValue == me }
                if devices.isEmpty { add(.ok, "devices", "none configured") }
                for d in devices {
                    let id = d["id"]?.plainText ?? "?", transport = d["transport"]?.plainText ?? "?"
                    if transport != "simulated" { realDevices = true }
                    let state = d["health"]?["state"]?.stringValue ?? "?"
                    let reason = d["health"]?["lastError"]?.stringValue ?? d["health"]?["reason"]?.stringValue ?? ""
                    let verdict: Verdict = state == "ok" ? .ok : (state == "degraded" ? .warn : .fail)
                    let endpoint = d["endpoint"]?.plainText ?? ""
                    let place = endpoint.isEmpty || endpoint == transport ? transport : "\(transport) \(endpoint)"
                    add(verdict, "device", "\(id) (\(d["kind"]?.plainText ?? "?"), \(place)): \(state)"
                        + (reason.isEmpty || state == "ok" ? "" : " — \(reason)"))
                }
                for d in all where !devices.contains(d) {
                    let id = "\(d["terminal"]?.plainText ?? "?")/\(d["id"]?.plainText ?? "?")"
                    let state = d["health"]?["state"]?.stringValue ?? "?"
                    let reason = d["health"]?["lastError"]?.stringValue ?? d["health"]?["reason"]?.stringValue ?? ""
                    if d["stale"]?.boolValue == true {
                        add(.warn, "device", "\(id): no report from its terminal since \(Format.dateTime(d["reportedAt"]?.stringValue ?? "")) (stale; last known \(state)) — is kioskd running there?")
                    } else {
                        add(state == "ok" ? .ok : .warn, "device", "\(id) (\(d["kind"]?.plainText ?? "?")): \(state)"
                            + (reason.isEmpty || state == "ok" ? "" : " — \(reason)"))
                    }
                }
            } else {
                add(.fail, "devices", "device.list failed")
            }
        } else if let devices = hall?.devices {
            realDevices = devices.contains { $0.transport != .simulated }
        }

        // 5. udev rules, needed as soon as a real device is configured.
        let rules = ["/etc/udev/rules.d/60-kioskd.rules", "/usr/lib/udev/rules.d/60-kioskd.rules", "/lib/udev/rules.d/60-kioskd.rules"]
        if let found = rules.first(where: { FileManager.default.fileExists(atPath: $0) }) {
            add(.ok, "udev", "\(found) installed")
        } else {
            add(realDevices ? .warn : .ok, "udev", realDevices
                ? "60-kioskd.rules is not installed: copy Devices/udev/60-kioskd.rules to /etc/udev/rules.d/ and run udevadm trigger"
                : "rules not installed (not needed: only simulated devices)")
        }

        // 6. The clock: the daemon's and ours agree, and it is plausibly now.
        let now = Date()
        if let daemonNow = status?["now"]?.stringValue.flatMap(ISO8601.date) {
            let skew = abs(daemonNow.timeIntervalSince(now))
            add(skew > 5 ? .warn : .ok, "clock", "kioskd's hall-day \(status?["day"]?.plainText ?? "?"), its clock \(String(format: "%.1f", skew)) s from this shell's")
        }
        let year = Calendar(identifier: .gregorian).component(.year, from: now)
        if year < 2025 {
            add(.fail, "clock", "the system clock says \(year): ticket numbers and hall-days follow it — set the time (timedatectl)")
        } else if let synced = ntpSynchronized() {
            add(synced ? .ok : .warn, "clock", synced ? "synchronized (NTP)" : "not synchronized: timedatectl set-ntp true")
        }

        let failed = checks.filter { $0.verdict == .fail }.count, warned = checks.filter { $0.verdict == .warn }.count
        Output.line(failed == 0 ? "\nno problems found" + (warned > 0 ? " (\(warned) warning\(warned == 1 ? "" : "s"))" : "")
            : "\n\(failed) problem\(failed == 1 ? "" : "s") found")
        if failed > 0 { throw ExitCode(1) }
    }

    private func groupName(_ gid: gid_t) -> String {
        guard let g = getgrgid(gid) else { return String(gid) }
        return String(cString: g.pointee.gr_name)
    }

    /// `timedatectl show -p NTPSynchronized`, when systemd is there to ask.
    private func ntpSynchronized() -> Bool? {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/timedatectl") else { return nil }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/timedatectl")
        p.arguments = ["show", "-p", "NTPSynchronized", "--value"]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        guard (try? p.run()) != nil else { return nil }
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { return nil }
        return String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) == "yes"
    }
}
