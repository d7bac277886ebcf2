import Foundation

/// Follows udev: reports every device present at start, then every one plugged in or pulled out,
/// as an `AsyncStream<HotplugEvent>`.
///
/// No event is lost at start: the monitor is enabled before the scan, so a device plugged in
/// during the scan is queued in the socket; one that the scan already reported is dropped when
/// its queued `add` arrives (de-duplicated by syspath), and a removal is only reported for a
/// device that was reported present.
///
/// A dedicated thread polls the monitor socket, so waiting for udev never occupies a thread of
/// the Swift concurrency pool and an event reaches the stream as soon as udev sends it.
public final class UdevMonitor: Sendable {
    /// Subsystems the daemon's devices live in: USB devices, serial ports, USB printers' lp nodes.
    public static let defaultSubsystems = ["usb", "tty", "usbmisc"]

    /// The events, in udev's order. One consumer. Finishes after `stop()`.
    public let events: AsyncStream<HotplugEvent>

    private let continuation: AsyncStream<HotplugEvent>.Continuation
    private let handle: UdevHandle
    /// Ends the polling thread.
    private let wake: WakePipe

    /// Opens the monitor and starts the thread; the initial scan runs on it.
    public init(subsystems: [String] = UdevMonitor.defaultSubsystems) throws(HotplugError) {
        handle = try UdevHandle(subsystems: subsystems)
        do throws(HotplugError) {
            wake = try WakePipe()
        } catch {
            handle.close()
            throw error
        }
        (events, continuation) = AsyncStream.makeStream(of: HotplugEvent.self, bufferingPolicy: .unbounded)
        let (handle, continuation, wake, wakeFD) = (handle, continuation, wake, wake.readFD)
        let thread = Thread {
            Self.run(handle: handle, continuation: continuation, wakeFD: wakeFD)
        }
        thread.name = "kioskd-udev"
        thread.start()
        continuation.onTermination = { _ in wake.signal() }
    }

    deinit { wake.shutdown() }

    /// The devices of `subsystems` present now, in one scan without following changes; empty
    /// when udev is not reachable (a container without /run/udev).
    public static func scan(subsystems: [String] = UdevMonitor.defaultSubsystems) -> [DeviceNode] {
        guard let handle = try? UdevHandle(subsystems: subsystems) else { return [] }
        defer { handle.close() }
        return handle.enumerate()
    }

    /// Ends monitoring and the stream (after the events already queued). Safe to call twice.
    public func stop() {
        wake.signal()
    }

    /// The thread: scan, then report events until woken to stop.
    private static func run(handle: UdevHandle, continuation: AsyncStream<HotplugEvent>.Continuation, wakeFD: Int32) {
        var dedup = HotplugDeduplicator()
        for event in dedup.scanned(handle.enumerate()) { continuation.yield(event) }
        loop: while true {
            var fds = [
                pollfd(fd: handle.fd, events: Int16(POLLIN), revents: 0),
                pollfd(fd: wakeFD, events: Int16(POLLIN), revents: 0),
            ]
            let n = poll(&fds, 2, -1)
            if n < 0 {
                if errno == EINTR { continue }
                break
            }
            if fds[1].revents != 0 { break loop }
            if fds[0].revents & Int16(POLLERR | POLLHUP | POLLNVAL) != 0, fds[0].revents & Int16(POLLIN) == 0 {
                break loop
            }
            while let (action, syspath, node) = handle.receive() {
                if let event = dedup.received(action: action, syspath: syspath, node: node) {
                    continuation.yield(event)
                }
            }
        }
        handle.close()
        close(wakeFD)
        continuation.finish()
    }
}
