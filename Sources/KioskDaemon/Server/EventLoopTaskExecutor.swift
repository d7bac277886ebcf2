import NIOCore

/// Runs tasks on one NIO event loop, so work for a channel happens on the thread that owns it: a
/// write is a direct call rather than a hop. Socket connections run on their channel's loop (a
/// request read, handled and answered on one thread); the HTTP listener's screen streams on the
/// listener's own loop, so their work stays off the socket's threads and out of the cooperative
/// pool. Only structured child tasks inherit it; whatever blocks must hop away.
final class EventLoopTaskExecutor: TaskExecutor {
    let loop: any EventLoop

    init(loop: any EventLoop) { self.loop = loop }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        loop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
