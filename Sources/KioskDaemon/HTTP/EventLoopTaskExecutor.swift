import NIOCore

/// Runs tasks on one NIO event loop: the HTTP listener's screen streams are written from the
/// loop that owns their channels, so a write is a direct call rather than a hop, and their work
/// stays on the listener's own thread instead of queueing in the cooperative pool ahead of the
/// kiosks' takes and calls.
final class EventLoopTaskExecutor: TaskExecutor {
    let loop: any EventLoop

    init(loop: any EventLoop) { self.loop = loop }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        loop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
