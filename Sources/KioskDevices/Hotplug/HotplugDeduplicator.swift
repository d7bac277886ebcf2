/// Turns "what the initial scan found" plus "what udev queued meanwhile and after" into one
/// consistent sequence of `HotplugEvent`s. Pure, so the race rules are unit-tested.
///
/// The monitor is enabled before the scan, so udev may deliver an `add` for a device the scan
/// already reported (dropped), or a `remove` for one the scan never saw because it came and
/// went in between (dropped: nobody was told it existed). Removals report the node as it was
/// added, since sysfs is gone by then.
struct HotplugDeduplicator: Sendable {
    private(set) var present: [String: DeviceNode] = [:]

    /// The scan's nodes, each once.
    mutating func scanned(_ nodes: [DeviceNode]) -> [HotplugEvent] {
        var events: [HotplugEvent] = []
        for node in nodes where present[node.syspath] == nil {
            present[node.syspath] = node
            events.append(.added(node))
        }
        events.append(.initialScanComplete)
        return events
    }

    /// One udev event; `node` is nil for devices we do not report (USB interfaces, consoles).
    mutating func received(action: String, syspath: String, node: DeviceNode?) -> HotplugEvent? {
        switch action {
        case "remove":
            return present.removeValue(forKey: syspath).map(HotplugEvent.removed)
        case "add":
            guard let node, present[syspath] == nil else { return nil }
            present[syspath] = node
            return .added(node)
        default:
            // "change"/"bind": a device first announced before its /dev node existed is reported
            // once it has one.
            guard let node, present[syspath] == nil, node.devnode != nil else { return nil }
            present[syspath] = node
            return .added(node)
        }
    }
}
