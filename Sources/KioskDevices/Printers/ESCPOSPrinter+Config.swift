import KioskCore

extension ESCPOSPrinter {
    /// How to open the transport a `[[devices]]` entry names, for the transports this folder
    /// provides: `file` (`path`, e.g. `/dev/usb/lp0`) and `tcp` (`host`, `port` default 9100).
    /// nil for other transports (serial and USB openers live with those transports) or when the
    /// entry lacks its `path` / `host`.
    public static func opener(for config: DeviceConfig, connectTimeout: Duration = .seconds(3)) -> Opener? {
        switch config.transport {
        case .file:
            guard let path = config.path else { return nil }
            return { () throws(TransportError) -> any ByteTransport in try FileTransport(path: path) }
        case .tcp:
            guard let host = config.host else { return nil }
            let port = config.port ?? 9100
            return { () throws(TransportError) -> any ByteTransport in
                try TCPTransport(host: host, port: port, connectTimeout: connectTimeout)
            }
        case .serial, .usb, .cups, .simulated:
            return nil
        }
    }

    /// The printer a `file` or `tcp` `[[devices]]` entry describes, on `profile` (the entry's
    /// `paper_width_dots` wins over the profile's), printing the entry's ticket `layout`. Throws `invalidConfig` for other transports
    /// or a missing `path` / `host`.
    public convenience init(
        config: DeviceConfig, profile: PrinterProfile = .default, options: Options = Options(),
        clock: any HallClock = SystemClock()
    ) throws(DeviceError) {
        guard let open = Self.opener(for: config) else {
            let need = config.transport == .tcp ? "host" : config.transport == .file ? "path" : nil
            throw .invalidConfig(
                id: config.id,
                message: need.map { "a \(config.transport.rawValue) printer needs `\($0)`" }
                    ?? "ESCPOSPrinter(config:) opens file and tcp printers, not \(config.transport.rawValue)")
        }
        var profile = profile
        if let dots = config.paperWidthDots { profile.paperWidthDots = dots }
        self.init(
            id: config.id, transport: config.transport, endpoint: config.endpoint, profile: profile,
            template: config.ticketLayout, options: options, clock: clock, open: open)
    }
}
