import Foundation

/// How a device is doing right now (设备状态), as `device.list`, `device.status` and the
/// `device.status` event report it.
///
/// The report on government service halls names "old terminals, slow repair, frequent faults" as
/// the top complaint and asks for online alarms and online tests of every device: so each device
/// carries one of these, and every change of it becomes an event instead of a silent failure.
public struct DeviceHealth: Sendable, Equatable, Codable, CustomStringConvertible {
    /// The four states a technician's screen distinguishes.
    public enum State: String, Sendable, Equatable, Codable, CaseIterable {
        /// Working normally.
        case ok
        /// Working, but needs attention soon (paper near end): jobs still succeed.
        case degraded
        /// Present but cannot do its job (paper out, cover open, write error): jobs fail.
        case fault
        /// Not there: unplugged, never found, or no driver for its transport yet.
        case absent

        /// Whether jobs can be sent to the device in this state.
        public var isUsable: Bool { self == .ok || self == .degraded }
    }

    public var state: State
    /// Why the device is in `state`, in words a technician can act on ("paper out",
    /// "disconnected", "no driver for transport serial yet"). "ready" when `ok`.
    public var reason: String
    /// The last error seen by the driver, kept after recovery so a technician can still see
    /// what went wrong last; nil if nothing ever failed.
    public var lastError: String?
    /// When the device entered `state` (a reason change within the same state keeps it).
    public var since: Date

    public init(state: State, reason: String, lastError: String? = nil, since: Date) {
        self.state = state
        self.reason = reason
        self.lastError = lastError
        self.since = since
    }

    /// The common healthy value.
    public static func ready(since: Date) -> DeviceHealth {
        DeviceHealth(state: .ok, reason: "ready", since: since)
    }

    /// `fault: paper out (last error: …)`: for logs and the test result message.
    public var description: String {
        var s = "\(state.rawValue): \(reason)"
        if let lastError, lastError != reason { s += " (last error: \(lastError))" }
        return s
    }
}
