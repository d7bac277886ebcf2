import KioskCore

/// `[http]`: `listen = "host:port"` (IPv6 as "[::]:8080"). No table, no listener.
extension HTTPSettings {
    static let configKeys: Set<String> = ["listen"]

    init(reading table: TableReader) throws(ConfigError) {
        try table.refuseUnknownKeys(Self.configKeys)
        let listen = try table.requiredString("listen")
        guard let parsed = Self.parse(listen) else {
            throw table.error("listen", "must be host:port with a port from 1 to 65535 (e.g. \"0.0.0.0:8080\" or \"[::]:8080\"), not \"\(listen)\"")
        }
        self = parsed
    }

    static func parse(_ text: String) -> HTTPSettings? {
        let host: Substring, port: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else { return nil }
            host = text[text.index(after: text.startIndex)..<close]
            port = text[text.index(close, offsetBy: 2)...]
        } else {
            guard let colon = text.lastIndex(of: ":"), !text[..<colon].contains(":") else { return nil }
            host = text[..<colon]
            port = text[text.index(after: colon)...]
        }
        guard !host.isEmpty, !host.contains(where: \.isWhitespace), port.allSatisfy(\.isASCII),
            let p = Int(port), (1...65535).contains(p)
        else { return nil }
        return HTTPSettings(host: String(host), port: p)
    }
}
