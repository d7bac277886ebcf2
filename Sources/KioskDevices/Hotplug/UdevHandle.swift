import CUdev
import Foundation

/// The libudev context and monitor, and the translation of `udev_device`s into `DeviceNode`s.
///
/// libudev objects are not thread-safe and not `Sendable`: this class owns them, every use goes
/// through its lock, and no libudev pointer ever leaves it. It is `@unchecked Sendable` for
/// that reason only (Swift 6 cannot see a lock protecting C pointers).
final class UdevHandle: @unchecked Sendable {
    private let lock = NSLock()
    private var udev: OpaquePointer?
    private var monitor: OpaquePointer?
    private let subsystems: [String]
    /// The monitor's netlink socket (non-blocking), for `poll`.
    let fd: Int32

    /// Creates the monitor and enables it at once, so that events from now on are queued in the
    /// socket while the caller enumerates: none is lost between the scan and the first receive.
    init(subsystems: [String]) throws(HotplugError) {
        guard let udev = udev_new() else { throw .udevUnavailable("udev_new failed") }
        guard let monitor = udev_monitor_new_from_netlink(udev, "udev") else {
            udev_unref(udev)
            throw .udevUnavailable("cannot open the udev netlink monitor")
        }
        for subsystem in subsystems {
            // usb: only whole devices, not each interface.
            let devtype: String? = subsystem == "usb" ? "usb_device" : nil
            udev_monitor_filter_add_match_subsystem_devtype(monitor, subsystem, devtype)
        }
        let rc = udev_monitor_enable_receiving(monitor)
        guard rc >= 0 else {
            udev_monitor_unref(monitor)
            udev_unref(udev)
            throw .udevUnavailable("cannot enable the udev monitor (\(rc))")
        }
        self.udev = udev
        self.monitor = monitor
        self.subsystems = subsystems
        self.fd = udev_monitor_get_fd(monitor)
    }

    deinit { close() }

    /// Every device of the watched subsystems present now.
    func enumerate() -> [DeviceNode] {
        lock.withLock {
            guard let udev, let e = udev_enumerate_new(udev) else { return [] }
            defer { udev_enumerate_unref(e) }
            for subsystem in subsystems { udev_enumerate_add_match_subsystem(e, subsystem) }
            udev_enumerate_scan_devices(e)
            var nodes: [DeviceNode] = []
            var entry = udev_enumerate_get_list_entry(e)
            while let current = entry {
                if let path = udev_list_entry_get_name(current),
                    let dev = udev_device_new_from_syspath(udev, path)
                {
                    if let node = Self.node(dev) { nodes.append(node) }
                    udev_device_unref(dev)
                }
                entry = udev_list_entry_get_next(current)
            }
            return nodes
        }
    }

    /// The next queued event, or nil when none is waiting (the socket is non-blocking).
    /// Events for nodes we do not report (USB interfaces, virtual consoles) come back as a nil
    /// node so the caller keeps draining.
    func receive() -> (action: String, syspath: String, node: DeviceNode?)? {
        lock.withLock {
            guard let monitor, let dev = udev_monitor_receive_device(monitor) else { return nil }
            defer { udev_device_unref(dev) }
            let action = udev_device_get_action(dev).map { String(cString: $0) } ?? ""
            let syspath = udev_device_get_syspath(dev).map { String(cString: $0) } ?? ""
            return (action, syspath, Self.node(dev))
        }
    }

    func close() {
        lock.withLock {
            if let monitor { udev_monitor_unref(monitor) }
            if let udev { udev_unref(udev) }
            monitor = nil
            udev = nil
        }
    }

    // MARK: udev_device → DeviceNode

    /// The node for a device we report, nil for the rest: USB interfaces and hubs' ports,
    /// virtual ttys (consoles, ptys), anything without a /dev node.
    static func node(_ dev: OpaquePointer) -> DeviceNode? {
        guard let syspath = string(udev_device_get_syspath(dev)),
            let subsystem = string(udev_device_get_subsystem(dev))
        else { return nil }
        let devnode = string(udev_device_get_devnode(dev))
        var node = DeviceNode(
            syspath: syspath, devnode: devnode, subsystem: subsystem, devlinks: devlinks(dev))
        switch subsystem {
        case "usb":
            guard string(udev_device_get_devtype(dev)) == "usb_device" else { return nil }
            fillUSB(&node, from: dev)
        case "tty", "usbmisc":
            guard devnode != nil, !syspath.contains("/virtual/") else { return nil }
            if let parent = udev_device_get_parent_with_subsystem_devtype(dev, "usb", "usb_device") {
                fillUSB(&node, from: parent)  // owned by `dev`, not unref'd
            } else {
                node.vendorID = property(dev, "ID_VENDOR_ID")?.lowercased()
                node.productID = property(dev, "ID_MODEL_ID")?.lowercased()
                node.serial = property(dev, "ID_SERIAL_SHORT")
            }
        default:
            guard devnode != nil else { return nil }
        }
        return node
    }

    /// IDs from sysfs attributes, falling back to udev properties (a removal has no sysfs).
    private static func fillUSB(_ node: inout DeviceNode, from dev: OpaquePointer) {
        node.vendorID = (attribute(dev, "idVendor") ?? property(dev, "ID_VENDOR_ID"))?.lowercased()
        node.productID = (attribute(dev, "idProduct") ?? property(dev, "ID_MODEL_ID"))?.lowercased()
        node.serial = attribute(dev, "serial") ?? property(dev, "ID_SERIAL_SHORT")
        node.busnum = (attribute(dev, "busnum") ?? property(dev, "BUSNUM")).flatMap { Int($0) }
        node.devnum = (attribute(dev, "devnum") ?? property(dev, "DEVNUM")).flatMap { Int($0) }
    }

    private static func devlinks(_ dev: OpaquePointer) -> [String] {
        var links: [String] = []
        var entry = udev_device_get_devlinks_list_entry(dev)
        while let current = entry {
            if let name = string(udev_list_entry_get_name(current)) { links.append(name) }
            entry = udev_list_entry_get_next(current)
        }
        return links
    }

    private static func attribute(_ dev: OpaquePointer, _ name: String) -> String? {
        string(udev_device_get_sysattr_value(dev, name))?.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private static func property(_ dev: OpaquePointer, _ name: String) -> String? {
        string(udev_device_get_property_value(dev, name))
    }

    private static func string(_ p: UnsafePointer<CChar>?) -> String? {
        p.map { String(cString: $0) }
    }
}
