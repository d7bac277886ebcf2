/// One device node as udev describes it: what hotplug reports and what `DeviceMatcher` matches
/// config entries against.
///
/// A plain value (no libudev pointer) so that it crosses threads and tests can build one by hand.
/// For a tty or usbmisc node the USB fields are those of the USB device it hangs off, because a
/// config says `match = "usb:1a86:7523"` for a reader behind a USB-serial adapter.
public struct DeviceNode: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// The sysfs path, unique while the device is present: the key for de-duplication.
    public var syspath: String
    /// "/dev/bus/usb/001/002", "/dev/ttyUSB0", "/dev/usb/lp0"; nil for nodes without one.
    public var devnode: String?
    /// "usb", "tty" or "usbmisc".
    public var subsystem: String
    /// Lower-case hex, four digits ("0416"), of the USB device (or the USB parent).
    public var vendorID: String?
    public var productID: String?
    /// The USB serial number string, if the device has one.
    public var serial: String?
    public var busnum: Int?
    public var devnum: Int?
    /// Symlinks udev made to the node ("/dev/kiosk/printer-A1", "/dev/serial/by-id/…").
    public var devlinks: [String]

    public init(
        syspath: String, devnode: String? = nil, subsystem: String, vendorID: String? = nil,
        productID: String? = nil, serial: String? = nil, busnum: Int? = nil, devnum: Int? = nil,
        devlinks: [String] = []
    ) {
        self.syspath = syspath
        self.devnode = devnode
        self.subsystem = subsystem
        self.vendorID = vendorID?.lowercased()
        self.productID = productID?.lowercased()
        self.serial = serial
        self.busnum = busnum
        self.devnum = devnum
        self.devlinks = devlinks
    }

    /// "usb:0416:5011" when the USB IDs are known.
    public var usbID: String? {
        guard let vendorID, let productID else { return nil }
        return "usb:\(vendorID):\(productID)"
    }

    public var description: String {
        var s = "\(subsystem) \(devnode ?? syspath)"
        if let usbID { s += " \(usbID)" }
        if let serial { s += " serial \(serial)" }
        return s
    }
}

/// What the udev monitor reports, in the order udev saw it.
public enum HotplugEvent: Sendable, Equatable {
    /// A device is present: found by the initial scan or plugged in later.
    case added(DeviceNode)
    /// A device went away. The node is the one reported when it was added (sysfs attributes are
    /// gone by the time udev announces a removal).
    case removed(DeviceNode)
    /// The initial scan is over: every device present at start has been reported as `added`.
    /// Configured devices not seen by now are absent.
    case initialScanComplete
}
