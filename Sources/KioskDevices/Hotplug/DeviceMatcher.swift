import Foundation
import KioskCore

/// Decides which `[[devices]]` entries a udev node satisfies. Pure: no udev, no file system
/// except through the injected symlink resolver, so every rule is unit-tested.
///
/// Rules:
/// - `match = "usb:VVVV:PPPP[:SERIAL]"` compares the node's USB IDs (for a tty or usbmisc node,
///   those of its USB parent) and, if given, the serial number. It only considers the node kind
///   the transport opens: `usb` → the USB device itself, `serial` → a tty, `file` → a usbmisc
///   node (`/dev/usb/lp0`); a USB-serial adapter thus matches a serial reader by its tty only.
/// - `path` matches the devnode, one of udev's symlinks to it (`/dev/kiosk/…`, which udev
///   reports, so this works for removals too, after the link is gone), or a symlink resolved now;
///   for `serial` and `usb` only on a node of the kind the transport opens (a tty, a usb device),
///   so a USB-serial adapter's USB node never resolves the path. (umockdev 0.17's `realpath`
///   corrupts the heap when a testbed link points outside the testbed: not calling it for nodes
///   that cannot match is what keeps the RS-485 hotplug test on a real pty possible.)
/// - With both, both must hold. Entries with neither, and tcp/cups/simulated ones, never match.
public struct DeviceMatcher: Sendable {
    public let configs: [DeviceConfig]
    private let resolve: @Sendable (String) -> String?

    /// - Parameter resolveLink: the target of a path that is a symlink (default: `realpath`).
    public init(
        configs: [DeviceConfig], resolveLink: @escaping @Sendable (String) -> String? = DeviceMatcher.realPath
    ) {
        self.configs = configs
        self.resolve = resolveLink
    }

    /// Entries the node satisfies, in configuration order. More than one means the config names
    /// the same device twice: the caller reports it.
    public func configs(for node: DeviceNode) -> [DeviceConfig] {
        configs.filter { matches($0, node) }
    }

    public func matches(_ config: DeviceConfig, _ node: DeviceNode) -> Bool {
        guard config.path != nil || config.match != nil else { return false }
        if let match = config.match {
            guard let usb = USBMatch(match), Self.subsystems(for: config.transport).contains(node.subsystem),
                usb.matches(vendorID: node.vendorID, productID: node.productID, serial: node.serial)
            else { return false }
        }
        if let path = config.path {
            guard let devnode = node.devnode else { return false }
            // A serial port is a tty and a USB device a usb node, whatever the path resolves to:
            // other nodes are not looked at (no file-system lookup per udev event and entry).
            if config.transport == .serial || config.transport == .usb,
                !Self.subsystems(for: config.transport).contains(node.subsystem) {
                return false
            }
            if path == devnode || node.devlinks.contains(path) { return true }
            return resolve(path) == devnode
        }
        return true
    }

    /// The udev subsystems whose nodes a transport opens.
    static func subsystems(for transport: DeviceConfig.Transport) -> Set<String> {
        switch transport {
        case .usb: ["usb"]
        case .serial: ["tty"]
        case .file: ["usbmisc"]
        case .tcp, .cups, .simulated: []
        }
    }

    /// `realpath(3)`, nil when the path does not exist.
    @Sendable public static func realPath(_ path: String) -> String? {
        guard let p = realpath(path, nil) else { return nil }
        defer { free(p) }
        return String(cString: p)
    }
}
