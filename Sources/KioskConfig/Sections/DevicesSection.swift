import KioskCore

/// `[[devices]]`: the hall's peripherals. Each transport needs its own address (a serial port
/// needs `path`, a network printer `host`, …); two entries on the same port or USB device would
/// fight over it, so the second one is refused.
extension DeviceConfig {
    static let configKeys: Set<String> = [
        "id", "kind", "transport", "path", "match", "baud", "host", "port", "queue", "paper_width_dots", "output",
        "layout", "profile", "address", "window",
    ]

    /// RS-485 buses of window devices run at 9600 baud unless told otherwise.
    static let defaultBusBaud = 9600

    /// The raw-TCP (JetDirect) port of network receipt printers.
    static let defaultTCPPort = 9100

    static func readAll(from root: TableReader, windows: [Window]) throws(ConfigError) -> [DeviceConfig] {
        let tables = try root.tables("devices") ?? []
        var devices: [DeviceConfig] = []
        var firstWithId: [String: Int] = [:]
        var firstWithPath: [String: Int] = [:]
        var firstWithMatch: [String: Int] = [:]
        for (index, table) in tables.enumerated() {
            let device = try DeviceConfig(reading: table)
            if let earlier = firstWithId[device.id] {
                throw table.error("id", "duplicate id \"\(device.id)\", already used by devices[\(earlier)]")
            }
            if let window = device.window, !windows.contains(where: { $0.id == window }) {
                throw table.error("window", "no [[windows]] entry has the id \"\(window)\"")
            }
            if let path = device.path, let earlier = firstWithPath[path] {
                let other = devices[earlier]
                // One RS-485 bus (one path) carries several window devices, told apart by address.
                guard device.kind.isWindowDevice, other.kind.isWindowDevice else {
                    throw table.error(
                        "path", "\(path) is already used by devices[\(earlier)] (\(other.id))")
                }
                if let clash = devices.first(where: { $0.path == path && $0.address == device.address }) {
                    throw table.error(
                        "address", "\(path) already has a device at address \(device.address ?? 0) (\(clash.id))")
                }
                if other.baud != device.baud {
                    throw table.error(
                        "baud", "the bus \(path) runs at \(other.baud ?? 0) baud (\(other.id)); all its devices share it")
                }
            }
            // USB ids are hex: "usb:04B8:0E28" and "usb:04b8:0e28" are the same printer.
            let matchKey = device.match?.lowercased()
            if let matchKey, let earlier = firstWithMatch[matchKey] {
                throw table.error(
                    "match", "\(device.match!) is already used by devices[\(earlier)] (\(devices[earlier].id))")
            }
            firstWithId[device.id] = index
            if let path = device.path, firstWithPath[path] == nil { firstWithPath[path] = index }
            if let matchKey { firstWithMatch[matchKey] = index }
            devices.append(device)
        }
        return devices
    }

    init(reading table: TableReader) throws(ConfigError) {
        try table.refuseUnknownKeys(Self.configKeys)
        let id = try table.requiredIdentifier("id")
        guard let kind = try table.choice("kind", among: Kind.allCases) else { throw table.error("kind", "is required") }
        guard let transport = try table.choice("transport", among: Transport.allCases) else {
            throw table.error("transport", "is required")
        }
        self.init(id: id, kind: kind, transport: transport)
        path = try table.string("path").map(table.document.resolve)
        output = try table.string("output").map(table.document.resolve)
        match = try table.string("match")
        if let match, !Self.isUSBMatch(match) {
            throw table.error(
                "match", "must be \"usb:VVVV:PPPP\" or \"usb:VVVV:PPPP:SERIAL\" with 4-digit hex ids, not \"\(match)\"")
        }
        baud = try table.int("baud", atLeast: 1)
        host = try table.string("host")
        port = try table.int("port", atLeast: 1)
        if let port, port > 65535 { throw table.error("port", "must be a TCP port, 1 to 65535") }
        queue = try table.string("queue")
        paperWidthDots = try table.int("paper_width_dots", atLeast: 1)
        if let layout = try table.string("layout") {
            guard kind == .receiptPrinter else { throw table.error("layout", "only a receipt-printer takes a ticket layout") }
            ticketLayout = try TicketTemplate.load(table.document.resolve(layout), shownAs: layout)
        }

        profile = try table.string("profile").map { $0.hasSuffix(".toml") ? table.document.resolve($0) : $0 }
        address = try table.int("address", atLeast: 0)
        window = try table.string("window")
        if kind.isWindowDevice {
            if window == nil { throw table.error("window", "is required for a \(kind.rawValue) (the window it belongs to)") }
            if let address, address > 0xFFFF { throw table.error("address", "must be 0 to 65535") }
            if transport == .serial {
                if profile == nil { throw table.error("profile", "is required for a \(kind.rawValue) on a serial bus (led-a5, keypad-68, or a file in Devices/profiles)") }
                if address == nil { throw table.error("address", "is required for a \(kind.rawValue) on a serial bus") }
                if baud == nil { baud = Self.defaultBusBaud }
            } else if transport != .simulated {
                throw table.error("transport", "a \(kind.rawValue) is on a serial bus (\"serial\") or \"simulated\"")
            }
        } else {
            for key in ["profile", "address", "window"] where table.table[key] != nil {
                throw table.error(key, "only window devices (window-display, caller-keypad, evaluator) take \(key)")
            }
        }

        let needs = "is required for transport = \"\(transport.rawValue)\""
        switch transport {
        case .serial, .file:
            if path == nil { throw table.error("path", needs) }
        case .usb:
            if path == nil && match == nil { throw table.error("match", "or path " + needs) }
        case .tcp:
            if host == nil { throw table.error("host", needs) }
            if port == nil { port = Self.defaultTCPPort }
        case .cups:
            if queue == nil { throw table.error("queue", needs) }
        case .simulated:
            break
        }
    }

    /// `usb:VVVV:PPPP` or `usb:VVVV:PPPP:SERIAL` (vendor and product id in hex, as `lsusb` prints them).
    static func isUSBMatch(_ text: String) -> Bool {
        let parts = text.split(separator: ":", maxSplits: 3, omittingEmptySubsequences: false)
        guard parts.count == 3 || parts.count == 4, parts[0] == "usb" else { return false }
        let isHexId = { (part: Substring) in part.count == 4 && part.allSatisfy(\.isHexDigit) }
        guard isHexId(parts[1]), isHexId(parts[2]) else { return false }
        return parts.count == 3 || !parts[3].isEmpty
    }
}
