import KioskCore

/// Finds `[[devices]]` entries that reach the same physical device by different names —
/// `/dev/ttyUSB0` and the udev link `/dev/kiosk/idreader`, or a printer's `match = "usb:…"` and
/// its `/dev/usb/lp0` — which the config loader cannot see (it only compares the text).
///
/// Why it matters: two drivers on one port interleave their bytes (a status poll inside a
/// card read) or lock each other out. The first entry keeps the device; each later one is
/// refused with a reason naming the first, and the technician removes one of the two.
public enum DeviceConflicts {
    /// Later entry id → why it is refused, for every clash among `configs`.
    ///
    /// - Parameters:
    ///   - nodes: the devices udev lists now (for `match` entries and udev links).
    ///   - resolve: a path's canonical target, nil when it does not exist (`realpath`).
    public static func find(
        configs: [DeviceConfig], nodes: [DeviceNode],
        resolve: (String) -> String? = DeviceMatcher.realPath
    ) -> [String: String] {
        let matcher = DeviceMatcher(configs: configs, resolveLink: { _ in nil })
        var nodeOwner: [String: String] = [:]  // canonical node path → first entry id
        var usbOwner: [String: (id: String, whole: Bool)] = [:]  // "usb:bus-dev" → first entry
        var refused: [String: String] = [:]
        // Only local device nodes: CUPS queues share their server's socket by design.
        for config in configs where [.serial, .usb, .file].contains(config.transport) {
            var paths: Set<String> = []
            var usb: Set<String> = []
            if let path = config.path, let real = resolve(path) { paths.insert(real) }
            for node in nodes where matcher.matches(config, node) || (config.path.map(resolve) ?? nil) == node.devnode {
                if let devnode = node.devnode { paths.insert(devnode) }
                if let key = node.usbKey { usb.insert(key) }
            }
            // libusb (`transport = "usb"`) takes the whole USB device; a tty or lp node is one
            // function of it, and two functions of one composite device may be used apart.
            let whole = config.transport == .usb
            var clash: (first: String, what: String)?
            // Window devices on one RS-485 bus share its port by design (told apart by address).
            let sharesBus = { (owner: String) in
                config.kind.isWindowDevice && (configs.first { $0.id == owner }?.kind.isWindowDevice ?? false)
            }
            if let p = paths.sorted().first(where: { nodeOwner[$0].map { !sharesBus($0) } ?? false }) {
                clash = (nodeOwner[p]!, p)
            } else if let k = usb.sorted().first(where: { usbOwner[$0].map { $0.whole || whole } ?? false }) {
                clash = (usbOwner[k]!.id, k)
            }
            if let clash {
                refused[config.id] =
                    "names the same device as \(clash.first) (\(clash.what)); remove one of the two [[devices]] entries"
                continue
            }
            for p in paths where nodeOwner[p] == nil { nodeOwner[p] = config.id }
            for k in usb where usbOwner[k] == nil { usbOwner[k] = (config.id, whole) }
        }
        return refused
    }
}

extension DeviceNode {
    /// "usb:<bus>-<dev>" for anything on USB: the same for a USB device and its tty or lp node.
    var usbKey: String? {
        guard let busnum, let devnum else { return nil }
        return "usb:\(busnum)-\(devnum)"
    }
}
