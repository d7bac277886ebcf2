import KioskCore

/// `[[devices]]`: the hall's peripherals. Each transport needs its own address (a serial port
/// needs `path`, a network printer `host`, …); two entries on the same port or USB device would
/// fight over it, so the second one is refused.
extension DeviceConfig {
    static let configKeys: Set<String> = [
        "id", "kind", "transport", "path", "match", "baud", "host", "port", "queue", "paper_width_dots", "output",
        "layout",
    ]

    /// The raw-TCP (JetDirect) port of network receipt printers.
    static let defaultTCPPort = 9100

    static func readAll(from root: TableReader) throws(ConfigError) -> [DeviceConfig] {
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
            if let path = device.path, let earlier = firstWithPath[path] {
                throw table.error(
                    "path", "\(path) is already used by devices[\(earlier)] (\(devices[earlier].id))")
            }
            // USB ids are hex: "usb:04B8:0E28" and "usb:04b8:0e28" are the same printer.
            let matchKey = device.match?.lowercased()
            if let matchKey, let earlier = firstWithMatch[matchKey] {
                throw table.error(
                    "match", "\(device.match!) is already used by devices[\(earlier)] (\(devices[earlier].id))")
            }
            firstWithId[device.id] = index
            if let path = device.path { firstWithPath[path] = index }
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
