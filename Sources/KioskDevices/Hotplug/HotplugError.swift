/// Why hotplug monitoring could not start. Without it the daemon still runs, but a device
/// plugged in later is only found after a restart: the health reason says so.
public enum HotplugError: Error, Sendable, Equatable, CustomStringConvertible {
    /// libudev could not create its context or monitor (no /run/udev, no netlink socket).
    case udevUnavailable(String)

    public var description: String {
        switch self {
        case .udevUnavailable(let m): "udev unavailable: \(m)"
        }
    }
}
