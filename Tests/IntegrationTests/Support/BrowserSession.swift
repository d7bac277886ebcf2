import Foundation
import KioskProtocol
import KioskTestSupport

#if canImport(Glibc)
import Glibc
#endif

/// Headless Chromium driven over the DevTools protocol by `cdp.py session`, for tests that read
/// what a page shows at any moment (`document.body.innerText`, the page's own test hook) and take
/// pictures of it.
///
/// `ChildProcess` only gives a child files, so the commands go through a named pipe (a FIFO in a
/// private temp folder, held open read-write here so opening it never blocks and a write never
/// raises SIGPIPE) and the answers come back in a file, one JSON line per command, read from
/// where the last answer ended. cdp.py makes its Chromium profile in the same folder (TMPDIR), so
/// `close()` can find and kill a Chromium that outlived its driver.
final class BrowserSession: @unchecked Sendable {
    let dir: URL
    let url: String
    private let process: ChildProcess
    private var input: Int32
    private let outPath: String
    private let errPath: String
    private var outOffset: UInt64 = 0
    private var pendingLine = Data()
    private let lock = NSLock()
    private var closed = false

    static let cdpScript = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("cdp.py").path

    static var python: String {
        FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") ? "/usr/bin/python3" : "python3"
    }

    /// The Chromium binary cdp.py would start, if there is one.
    static var chromium: String? {
        if let env = ProcessInfo.processInfo.environment["CHROMIUM"], FileManager.default.isExecutableFile(atPath: env) { return env }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for folder in path.split(separator: ":") + ["/usr/bin"] {
            for name in ["chromium", "chromium-browser"] {
                let candidate = "\(folder)/\(name)"
                if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            }
        }
        return nil
    }

    /// Whether these tests can run here (scripts/setup installs chromium and fonts-noto-cjk).
    static var available: Bool { chromium != nil }

    /// Starts Chromium on `url` at `width`×`height`. Chromium's first start can take 15 s: the
    /// first command waits for it.
    init(url: String, width: Int = 1920, height: Int = 1080) throws {
        self.url = url
        dir = URL(fileURLWithPath: "/tmp").appendingPathComponent("kioskd-browser-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let fifo = dir.appendingPathComponent("commands").path
        outPath = dir.appendingPathComponent("answers.jsonl").path
        errPath = dir.appendingPathComponent("cdp.log").path
        guard mkfifo(fifo, 0o600) == 0 else { throw HarnessError("mkfifo \(fifo): errno \(errno)") }
        _ = FileManager.default.createFile(atPath: outPath, contents: nil)
        // Read-write: open does not wait for a reader, and the pipe always has one (no SIGPIPE).
        input = open(fifo, O_RDWR | O_NONBLOCK | O_CLOEXEC)
        guard input >= 0 else { throw HarnessError("open \(fifo): errno \(errno)") }
        var env = ProcessInfo.processInfo.environment
        env["TMPDIR"] = dir.path
        env["PYTHONUNBUFFERED"] = "1"
        if let chromium = Self.chromium { env["CHROMIUM"] = chromium }
        do {
            process = try ChildProcess(executable: Self.python,
                arguments: [Self.cdpScript, "session", url, "--size", "\(width)x\(height)"],
                environment: env, stdin: fifo, stdout: outPath, stderr: errPath)
        } catch {
            Glibc.close(input)
            try? FileManager.default.removeItem(at: dir)
            throw error
        }
    }

    deinit { close() }

    /// What cdp.py wrote on its standard error (a traceback when Chromium did not start).
    func log() -> String { (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "" }

    /// Sends one command line and returns the value of its answer; throws on `{"ok": false}`,
    /// when cdp.py ended, or when no answer came within `timeout`.
    @discardableResult
    func command(_ line: String, timeout: TimeInterval = 60) throws -> JSONValue {
        lock.lock()
        defer { lock.unlock() }
        guard !closed else { throw HarnessError("browser session already closed") }
        let oneLine = line.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ") + "\n"
        var bytes = Array(oneLine.utf8)[...]
        let writeDeadline = Date().addingTimeInterval(timeout)
        while !bytes.isEmpty {
            let n = bytes.withUnsafeBufferPointer { write(input, $0.baseAddress, $0.count) }
            if n > 0 {
                bytes = bytes.dropFirst(n)
            } else if n < 0 && (errno == EAGAIN || errno == EINTR) && Date() < writeDeadline && process.isRunning {
                usleep(10_000)
            } else {
                throw HarnessError("cannot send \(line.prefix(80)) to cdp.py (errno \(errno)); its log: \(log())")
            }
        }
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if let answer = try nextLine() {
                let value: JSONValue
                do {
                    value = try JSONDecoder().decode(JSONValue.self, from: answer)
                } catch {
                    throw HarnessError("cdp.py answered \(String(decoding: answer, as: UTF8.self).prefix(300)) to \(line.prefix(120))")
                }
                if value["ok"] == .bool(true) { return value["value"] ?? .null }
                throw HarnessError("\(line.prefix(300)): \(value["error"]?.stringValue ?? "\(value)")")
            }
            guard process.isRunning else {
                // One last read: it may have answered just before it ended.
                if let answer = try nextLine(), let value = try? JSONDecoder().decode(JSONValue.self, from: answer),
                    value["ok"] == .bool(true) {
                    return value["value"] ?? .null
                }
                throw HarnessError("cdp.py ended (status \(process.terminationStatus)) before answering \(line.prefix(120)): \(log())")
            }
            guard Date() < deadline else {
                throw HarnessError("no answer from cdp.py within \(Int(timeout)) s to \(line.prefix(120)); its log: \(log())")
            }
            usleep(20_000)
        }
    }

    /// The next whole line of the answers file, if one has arrived.
    private func nextLine() throws -> Data? {
        if let nl = pendingLine.firstIndex(of: 10) {
            let line = pendingLine[pendingLine.startIndex..<nl]
            pendingLine = Data(pendingLine[(nl + 1)...])
            return Data(line)
        }
        guard let handle = FileHandle(forReadingAtPath: outPath) else { return nil }
        defer { try? handle.close() }
        try handle.seek(toOffset: outOffset)
        let more = handle.readDataToEndOfFile()
        guard !more.isEmpty else { return nil }
        outOffset += UInt64(more.count)
        pendingLine.append(more)
        guard let nl = pendingLine.firstIndex(of: 10) else { return nil }
        let line = pendingLine[pendingLine.startIndex..<nl]
        pendingLine = Data(pendingLine[(nl + 1)...])
        return Data(line)
    }

    /// The value of a JavaScript expression (one line; a Promise is awaited).
    @discardableResult
    func eval(_ expression: String) throws -> JSONValue { try command("eval " + expression) }

    /// Polls `expression` in the page until it is truthy and returns its value; throws with the
    /// last value seen when `seconds` pass first. Deadlines here are generous on purpose.
    @discardableResult
    func wait(_ expression: String, seconds: Double = 30) throws -> JSONValue {
        try command("wait \(seconds) \(expression)", timeout: seconds + 60)
    }

    func text() throws -> String { try eval("document.body.innerText").stringValue ?? "" }

    func screenshot(_ path: String) throws { try command("screenshot \(path)") }
    func size(_ width: Int, _ height: Int) throws { try command("size \(width) \(height)") }
    func reload() throws { try command("reload") }
    func navigate(_ url: String) throws { try command("navigate \(url)") }

    /// Quits Chromium and cdp.py (politely, then by force), kills any Chromium left from this
    /// session's profile, and removes the folder. Safe to call more than once.
    func close() {
        lock.lock()
        defer { lock.unlock() }
        guard !closed else { return }
        closed = true
        if input >= 0 {
            let quit = Array("quit\n".utf8)
            _ = quit.withUnsafeBufferPointer { write(input, $0.baseAddress, $0.count) }
            Glibc.close(input)  // no writer left: cdp.py reads the end of its input even if quit was lost
            input = -1
        }
        if !waitForExit(15) {
            kill(process.processIdentifier, SIGINT)  // KeyboardInterrupt: cdp.py's `with` still closes Chromium
            if !waitForExit(10) {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
            }
        }
        killLeftovers()
        if ProcessInfo.processInfo.environment["KIOSKD_KEEP_TEST_DIRS"] == nil { try? FileManager.default.removeItem(at: dir) }
    }

    private func waitForExit(_ seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning, Date() < deadline { usleep(20_000) }
        return !process.isRunning
    }

    /// Processes whose command line names this session's folder (its Chromium, by profile path).
    func leftoverProcesses() -> [Int32] {
        let me = getpid()
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { Int32($0) }.filter { pid in
            guard pid != me, let raw = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return false }
            return String(decoding: raw, as: UTF8.self).contains(dir.path)
        }
    }

    private func killLeftovers() {
        for _ in 0..<3 {
            let pids = leftoverProcesses()
            if pids.isEmpty { return }
            for pid in pids { kill(pid, SIGKILL) }
            usleep(200_000)
        }
    }
}
