import Foundation

/// Runs a command-line tool for a test and collects its exit status and output.
///
/// The child's standard input, output and error are files it opens itself, and every other
/// descriptor is closed in it (`ChildProcess`), so no descriptor of the test process is handed
/// over: that raced with the hundreds other tests open and close in parallel (a child once got a
/// stranger's socket as its standard input and waited on it forever). A tool that hangs is killed
/// after `timeout` and reported, instead of stopping the whole suite.
public struct ToolRun: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
    public var timedOut: Bool

    public static func run(
        _ executable: String, _ args: [String], stdin: String? = nil, environment: [String: String] = [:],
        removing: [String] = [], timeout: Double = 60
    ) throws -> ToolRun {
        let dir = FileManager.default.temporaryDirectory
        let id = UUID().uuidString
        let input = dir.appendingPathComponent("tool-\(id).in").path
        let out = dir.appendingPathComponent("tool-\(id).out").path
        let err = dir.appendingPathComponent("tool-\(id).err").path
        _ = FileManager.default.createFile(atPath: input, contents: Data((stdin ?? "").utf8))
        defer { for path in [input, out, err] { try? FileManager.default.removeItem(atPath: path) } }
        var env = ProcessInfo.processInfo.environment
        for key in removing { env[key] = nil }
        env.merge(environment) { $1 }
        let p = try ChildProcess(executable: executable, arguments: args, environment: env, stdin: input, stdout: out, stderr: err)
        let deadline = Date().addingTimeInterval(timeout)
        while p.isRunning, Date() < deadline { usleep(5_000) }
        let timedOut = p.isRunning
        if timedOut {
            p.terminate()
            usleep(200_000)
            if p.isRunning { kill(p.processIdentifier, SIGKILL) }
        }
        p.waitUntilExit()
        var stderr = (try? String(contentsOfFile: err, encoding: .utf8)) ?? ""
        if timedOut { stderr += "\n[killed after \(timeout) s: \(executable) \(args.joined(separator: " "))]" }
        return ToolRun(
            status: timedOut ? -1 : p.terminationStatus, stdout: (try? String(contentsOfFile: out, encoding: .utf8)) ?? "",
            stderr: stderr, timedOut: timedOut)
    }
}
