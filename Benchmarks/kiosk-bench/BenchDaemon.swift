import Foundation
import KioskClient

/// A kioskd started for one benchmark, on a temp state dir, with every category open.
final class Daemon {
    let dir: TempDir
    let socket: String
    let stateDir: String
    let config: String
    var process: Process?

    /// `devices`: extra `[[devices]]` TOML appended to the config; `daemon`: extra `[daemon]`
    /// keys (a `terminal` name).
    init(prepareOnly: Bool = false, devices: String = "", daemon: String = "", windows: Int = 4) throws {
        dir = try TempDir()
        socket = dir.path + "/k.sock"
        stateDir = dir.path + "/state"
        config = dir.path + "/kioskd.toml"
        try FileManager.default.createDirectory(atPath: stateDir, withIntermediateDirectories: true)
        try """
            [daemon]
            socket = "\(socket)"
            state_dir = "\(stateDir)"
            log_level = "error"
            \(daemon)
            [hall]
            code = "bench"
            name = "benchmark hall"
            [[categories]]
            id = "C"
            name = "社保医保"
            prefix = "C"
            hours = "00:00-24:00"
            [[categories]]
            id = "A"
            name = "企业开办"
            prefix = "A"
            hours = "00:00-24:00"
            \((1...windows).map { "[[windows]]\nid = \"\($0)\"\nname = \"\($0)号窗口\"\nserves = [\"A\", \"C\"]" }.joined(separator: "\n"))
            \(devices)
            """.write(toFile: config, atomically: true, encoding: .utf8)
    }

    static func start(devices: String = "") throws -> Daemon {
        let d = try Daemon(devices: devices)
        try d.launch()
        return d
    }

    /// Starts kioskd and returns once `daemon.status` answers.
    func launch(environment: [String: String] = [:]) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("kioskd")
        p.arguments = ["--config", config]
        if !environment.isEmpty {
            p.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        }
        try p.run()
        process = p
        while true {
            if let c = try? KioskClient(socketPath: socket), (try? c.call("daemon.status")) != nil { return }
            guard p.isRunning else { throw CocoaError(.executableLoad) }
            usleep(1000)
        }
    }

    func stop() {
        guard let p = process, p.isRunning else { return }
        p.terminate()
        p.waitUntilExit()
    }

    /// Resident memory in MB from /proc: "VmRSS" (all), "RssAnon" (the daemon's own heap and
    /// stacks) or "RssFile" (mapped libraries, shared with any other Swift process).
    func rssMB(_ field: String = "VmRSS") -> Int {
        guard let pid = process?.processIdentifier,
            let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix(field + ":") })
        else { return -1 }
        return (Int(line.split(separator: " ").dropFirst().first ?? "0") ?? 0) / 1024
    }

    func walMB() -> Int {
        let size = (try? FileManager.default.attributesOfItem(atPath: stateDir + "/kioskd.sqlite-wal")[.size] as? Int) ?? 0
        return size / (1 << 20)
    }

    deinit { stop() }
}

final class TempDir {
    let path: String
    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("kiosk-bench-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }
}

enum Host {
    static func describe() -> String {
        let cpu = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8))?
            .split(separator: "\n").first { $0.hasPrefix("model name") }?.split(separator: ":").last?
            .trimmingCharacters(in: .whitespaces) ?? "unknown CPU"
        let mem = ProcessInfo.processInfo.physicalMemory / (1 << 30)
        return "\(ProcessInfo.processInfo.activeProcessorCount) cores (\(cpu)), \(mem) GiB, \(ProcessInfo.processInfo.operatingSystemVersionString)"
    }
}
