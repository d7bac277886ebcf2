import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A child process started with `posix_spawn` and reaped with `waitpid`, for tests.
///
/// Why not Foundation's `Process`: with hundreds of tests spawning in parallel, its exit
/// monitoring sometimes never sees a child end (the child sits as a zombie and `waitUntilExit`
/// waits forever; seen with `kioskctl`), and `run()` once crashed the whole suite. `waitpid` on the
/// child's own pid cannot miss it. Descriptors 3 and up are closed in the child, so no test's
/// socket or pipe leaks into another test's daemon.
public final class ChildProcess: @unchecked Sendable {
    public let processIdentifier: Int32
    private let lock = NSLock()
    /// The raw wait status once reaped.
    private var waitStatus: Int32?

    /// Starts `executable` with `arguments`. Standard input, output and error are files opened in
    /// the child (nil: /dev/null); output and error are appended to when they exist.
    public init(
        executable: String, arguments: [String], environment: [String: String]? = nil,
        stdin: String? = nil, stdout: String? = nil, stderr: String? = nil
    ) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, stdin ?? "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout ?? "/dev/null", O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, stderr ?? "/dev/null", O_WRONLY | O_CREAT | O_APPEND, 0o644)
        if let closeFrom = Self.addCloseFrom { _ = closeFrom(&actions, 3) }
        let env = (environment ?? ProcessInfo.processInfo.environment).map { "\($0.key)=\($0.value)" }
        var pid: pid_t = 0
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = env.map { strdup($0) } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        // A child starts with no signal blocked and default actions: it inherits the spawning
        // thread's mask (a dispatch thread blocks most signals) and ignored signals (a background
        // job ignores SIGINT), and a strace that never sees its SIGTERM never detaches.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t(), all = sigset_t()
        sigemptyset(&none)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let rc = posix_spawnp(&pid, executable, &actions, &attributes, argv, envp)  // a bare name is looked up in PATH
        guard rc == 0 else {
            throw NSError(domain: NSPOSIXErrorDomain, code: Int(rc),
                userInfo: [NSLocalizedDescriptionKey: "cannot start \(executable): \(String(cString: strerror(rc)))"])
        }
        processIdentifier = pid
    }

    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34+), which Swift's Glibc module does
    /// not declare: looked up once by name.
    private static let addCloseFrom: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32)? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32).self)
    }()

    /// Reaps the child if it has ended; never blocks.
    public var isRunning: Bool {
        lock.lock()
        defer { lock.unlock() }
        if waitStatus != nil { return false }
        var status: Int32 = 0
        var r: Int32
        repeat { r = waitpid(processIdentifier, &status, WNOHANG) } while r < 0 && errno == EINTR
        if r == processIdentifier { waitStatus = status }
        // Not ours to reap any more (someone else waited for it): running while the pid lives,
        // so a daemon is never taken for ended — and left running — on a wait error.
        if r < 0 { return kill(processIdentifier, 0) == 0 }
        return waitStatus == nil && r == 0
    }

    /// Blocks until the child ends (polling, so a second caller is never starved).
    public func waitUntilExit() {
        while isRunning { usleep(2_000) }
    }

    public func terminate() { kill(processIdentifier, SIGTERM) }

    /// The exit code, or the signal that ended it (`terminatedBySignal`).
    public var terminationStatus: Int32 {
        guard let s = lock.withLock({ waitStatus }) else { return 0 }
        return s & 0x7F == 0 ? (s >> 8) & 0xFF : s & 0x7F
    }

    public var terminatedBySignal: Bool {
        guard let s = lock.withLock({ waitStatus }) else { return false }
        return s & 0x7F != 0 && s & 0x7F != 0x7F
    }
}
