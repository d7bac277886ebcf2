import Foundation
import Synchronization

/// A private cupsd with ippeveprinter "certificate printers" for a test: a thin wrapper of
/// `scripts/testbed/private-cups`, which does the real work (see its header for the layout).
///
/// Everything runs in a fresh folder under /tmp and is stopped by `stop()` or `deinit`; a test
/// process that dies without either is cleaned up by the script's watchdog (`--owner`).
///
///     let cups = try PrivateCUPS(printers: ["P1", "P2"])
///     cups.server                       // "/tmp/kcups-…/cups.sock", for CUPSServer / CUPS_SERVER
///     cups.setMode("P1", "media-empty") // ok | slow SECONDS | media-empty | jam | media-low
///     cups.setIgnoresCancel("P2")       // P2 prints a held job even after Cancel-Job
///     cups.killPrinter("P1"); try cups.startPrinter("P1")
///     try cups.run("cupsdisable", "-r", "maintenance", "P1")
///     cups.printed("P1")                // ["001-attempt-7.pdf"]
public final class PrivateCUPS: Sendable {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// The bed's folder.
    public let dir: String
    /// `DIR/cups.sock`: pass it as the CUPS server (`CUPS_SERVER` syntax).
    public let socketPath: String
    /// `KEY=VALUE` lines of `DIR/env` when the bed started (ports do not change afterwards,
    /// except cupsd's if `startCupsd` had to pick another).
    public let env: [String: String]
    public let printers: [String]
    private let stopped = Mutex(false)

    /// The repository's `scripts/testbed` folder, found from this file.
    public static let testbed: String = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("scripts/testbed").path

    /// Whether the tools are installed (cupsd, ippeveprinter, lpadmin, dbus-daemon).
    public static var isAvailable: Bool {
        let path = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init)
        let dirs = path + ["/usr/sbin", "/sbin", "/usr/bin", "/bin"]
        return ["cupsd", "lpadmin", "lpstat", "ippeveprinter", "dbus-daemon", "pdftotext"].allSatisfy { tool in
            dirs.contains { FileManager.default.isExecutableFile(atPath: "\($0)/\(tool)") }
        }
    }

    /// Starts D-Bus, cupsd and one ippeveprinter + queue per name. `errorPolicy` is cupsd's
    /// `ErrorPolicy` (default stop-printer, like a stock cupsd).
    public init(printers: [String] = ["P1"], errorPolicy: String? = nil) throws {
        // Socket paths must stay under 108 bytes: a short folder directly in /tmp.
        let dir = "/tmp/kcups-\(UUID().uuidString.prefix(8).lowercased())"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        self.dir = dir
        socketPath = dir + "/cups.sock"
        self.printers = printers
        var args = ["start", dir, "--printers", printers.joined(separator: " "), "--owner", String(getpid())]
        if let errorPolicy { args += ["--error-policy", errorPolicy] }
        let (status, output) = Self.script(args)
        guard status == 0 else {
            _ = Self.script(["stop", dir])
            throw Failure(description: "private-cups start failed (\(status)): \(output)")
        }
        env = Self.parseEnv(dir + "/env")
    }

    deinit {
        stop()
    }

    /// Stops every process of the bed and removes its folder; with `KIOSK_CUPS_KEEP=1` in the
    /// environment the folder stays for a post-mortem (logs in `cups/log`, `printers/*/jobs.log`).
    public func stop() {
        let already = stopped.withLock { s in
            defer { s = true }
            return s
        }
        guard !already else { return }
        _ = Self.script(["stop", dir])
        if ProcessInfo.processInfo.environment["KIOSK_CUPS_KEEP"] != "1" {
            try? FileManager.default.removeItem(atPath: dir)
        }
    }

    /// cupsd's TCP port on 127.0.0.1.
    public var port: Int { Int(env["KIOSK_CUPS_PORT"] ?? "") ?? 0 }

    public func printerDir(_ name: String) -> String { "\(dir)/printers/\(name)" }
    public func printerPort(_ name: String) -> Int { Int(env["KIOSK_CUPS_PRINTER_\(name)_PORT"] ?? "") ?? 0 }
    public func printerURI(_ name: String) -> String { "ipp://localhost:\(printerPort(name))/ipp/print" }

    /// What printer `name` does with its next job (see scripts/testbed/print-command).
    public func setMode(_ name: String, _ mode: String) {
        let path = printerDir(name) + "/mode"
        try? (mode + "\n").write(toFile: path + ".tmp", atomically: false, encoding: .utf8)
        _ = rename(path + ".tmp", path)
    }

    /// Whether printer `name` prints a job it holds (waiting for paper, slow) even after CUPS
    /// cancelled it, as ippeveprinter itself does; by default the test printer stops such a job.
    public func setIgnoresCancel(_ name: String, _ ignores: Bool = true) {
        let path = printerDir(name) + "/ignore-cancel"
        if ignores { _ = FileManager.default.createFile(atPath: path, contents: nil) } else { unlink(path) }
    }

    /// SIGKILLs printer `name`'s ippeveprinter (the queue stays; its device stops answering).
    public func killPrinter(_ name: String) { _ = Self.script(["kill-printer", dir, name]) }

    /// Starts printer `name` again on its port.
    public func startPrinter(_ name: String) throws { try check(Self.script(["start-printer", dir, name]), "start-printer") }

    public func stopCupsd() { _ = Self.script(["stop-cupsd", dir]) }
    public func startCupsd() throws { try check(Self.script(["start-cupsd", dir]), "start-cupsd") }

    /// Documents printer `name` started on (`received/`) and those that came out (`printed/`),
    /// as `NNN-<job-name>.pdf`, in order.
    public func received(_ name: String) -> [String] { list(printerDir(name) + "/received") }
    public func printed(_ name: String) -> [String] { list(printerDir(name) + "/printed") }
    /// ippeveprinter's own spool (`-d … -k`): `<job-id>-<job-name>.pdf` and `.prn` files.
    public func spool(_ name: String) -> [String] { list(printerDir(name) + "/spool") }

    /// Runs a CUPS command-line tool (`cupsdisable`, `cupsreject`, `lpstat`) against this cupsd.
    @discardableResult
    public func run(_ tool: String, _ args: String...) throws -> String {
        let (status, output) = Self.exec(tool, args, extraEnv: ["CUPS_SERVER": socketPath])
        guard status == 0 else { throw Failure(description: "\(tool) \(args.joined(separator: " ")): \(output)") }
        return output
    }

    // MARK: Plumbing

    private func list(_ path: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted()
    }

    private func check(_ result: (Int32, String), _ what: String) throws {
        guard result.0 == 0 else { throw Failure(description: "private-cups \(what) failed: \(result.1)") }
    }

    private static func script(_ args: [String]) -> (Int32, String) {
        exec(testbed + "/private-cups", args, extraEnv: [:])
    }

    /// Runs a program to its end; output goes through a file, not a pipe, so a background child
    /// that inherited it could never keep us waiting. `ChildProcess`, not Foundation's `Process`:
    /// under a full parallel run `Process.waitUntilExit` once waited forever on this script's
    /// zombie (the CI run hung in `PrivateCUPS.init`).
    public static func exec(_ program: String, _ args: [String], extraEnv: [String: String]) -> (Int32, String) {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("kcups-out-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: out) }
        let p: ChildProcess
        do {
            p = try ChildProcess(executable: program.hasPrefix("/") ? program : "/usr/bin/env",
                arguments: program.hasPrefix("/") ? args : [program] + args,
                environment: ProcessInfo.processInfo.environment.merging(extraEnv) { $1 }, stdout: out, stderr: out)
        } catch {
            return (-1, "\(program): \(error)")
        }
        p.waitUntilExit()
        let text = (try? String(contentsOfFile: out, encoding: .utf8)) ?? ""
        return (p.terminationStatus, text.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    private static func parseEnv(_ path: String) -> [String: String] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [:] }
        var env: [String: String] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            var l = line.trimmingCharacters(in: .whitespaces)
            if l.hasPrefix("export ") { l.removeFirst(7) }
            guard let eq = l.firstIndex(of: "=") else { continue }
            var value = String(l[l.index(after: eq)...])
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
            env[String(l[..<eq])] = value
        }
        return env
    }
}
