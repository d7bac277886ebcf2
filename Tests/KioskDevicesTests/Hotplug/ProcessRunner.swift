import Foundation
import KioskTestSupport

extension HotplugTests {
    /// Runs a child process to completion and parses its JSON-lines output, with a watchdog so a
    /// hung child fails the test instead of hanging it.
    struct ProcessResult: Sendable {
        var status: Int32
        var stdout: String
        var stderr: String

        /// The stdout lines that are JSON objects.
        var objects: [[String: any Sendable]] {
            stdout.split(separator: "\n").compactMap { line in
                (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: any Sendable]
            }
        }

        /// The objects with `"event": name`.
        func events(_ name: String) -> [[String: any Sendable]] {
            objects.filter { $0["event"] as? String == name }
        }
    }

    enum ProcessRunner {
        /// Through `ToolRun` (files, `waitpid`): Foundation's `Process` can miss a child's exit
        /// under a parallel run, and a hung test holds up the whole suite.
        static func run(_ executable: String, _ arguments: [String], timeout: Double = 30) throws -> ProcessResult {
            let r = try ToolRun.run(executable, arguments, timeout: timeout)
            return ProcessResult(status: r.status, stdout: r.stdout, stderr: r.stderr)
        }
    }
}
