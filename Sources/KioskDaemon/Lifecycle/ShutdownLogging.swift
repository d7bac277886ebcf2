import Logging

/// Stopping is not a failure. When the daemon shuts down (SIGTERM, Ctrl-C, or a refusal to start
/// that stops the services already running) the workers' tasks are cancelled, and whatever they
/// were doing throws `CancellationError`. Logged as a warning or an error, that sends a technician
/// looking for a fault that is not there, so such failures are logged at debug.
extension Logger {
    /// Logs "`message`: `error`" at `level`, or at debug when it is only the shutdown.
    func failure(_ level: Logger.Level, _ message: @autoclosure () -> String, _ error: any Error) {
        let shutdown = error is CancellationError || Task.isCancelled
        log(level: shutdown ? .debug : level, "\(message()): \(error)")
    }
}
