import Foundation

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
        static func run(_ executable: String, _ arguments: [String], timeout: Double = 30) throws -> ProcessResult {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
            let out = Pipe()
            let err = Pipe()
            process.standardOutput = out
            process.standardError = err
            try process.run()
            let pid = process.processIdentifier
            let watchdog = DispatchWorkItem { kill(pid, SIGKILL) }
            DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: watchdog)
            // Read both pipes concurrently so a chatty stderr never blocks the child.
            let errData = LockedData()
            let group = DispatchGroup()
            DispatchQueue.global().async(group: group) { errData.set(err.fileHandleForReading.readDataToEndOfFile()) }
            let outData = out.fileHandleForReading.readDataToEndOfFile()
            group.wait()
            process.waitUntilExit()
            watchdog.cancel()
            return ProcessResult(
                status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                stderr: String(decoding: errData.get(), as: UTF8.self))
        }
    }

    final class LockedData: @unchecked Sendable {
        private let lock = NSLock()
        private var data = Data()
        func set(_ d: Data) { lock.withLock { data = d } }
        func get() -> Data { lock.withLock { data } }
    }
}
