import KioskCore

/// Builds the real driver for a `[[devices]]` entry: the protocol (SAM, ESC/POS) over the
/// transport it names, with the model's profile when its VID:PID is known. Nothing is opened
/// here: each driver opens (and after an unplug, reopens) its transport on its first use.
enum DriverFactory {
    static func make(_ config: DeviceConfig, profiles: [DeviceProfile], clock: any HallClock) -> (any Device)? {
        switch (config.kind, config.transport) {
        case (.receiptPrinter, .file), (.receiptPrinter, .tcp):
            let printer = try? ESCPOSPrinter(config: config, profile: printerProfile(config, profiles), clock: clock)
            printer?.startStatusPolling(every: .seconds(5))
            return printer
        case (.receiptPrinter, .serial), (.receiptPrinter, .usb):
            guard let open = opener(config) else { return nil }
            var profile = printerProfile(config, profiles)
            if let dots = config.paperWidthDots { profile.paperWidthDots = dots }
            let printer = ESCPOSPrinter(id: config.id, transport: config.transport, endpoint: config.endpoint,
                profile: profile, template: config.ticketLayout, clock: clock, open: open)
            printer.startStatusPolling(every: .seconds(5))
            return printer
        case (.idcardReader, .serial), (.idcardReader, .usb):
            guard let open = opener(config) else { return nil }
            let reader = SAMIDCardReader(id: config.id, transport: config.transport, endpoint: config.endpoint,
                clock: clock, open: open)
            reader.startWatching()
            return reader
        case (.certificatePrinter, .cups):
            let printer = try? CertificatePrinter(config: config, clock: clock)
            printer?.startPolling(every: .seconds(5))
            return printer
        default:
            return nil
        }
    }

    /// Serial (`path`, `baud`) and USB (`match`) openers; file and TCP are the printer's own.
    static func opener(_ config: DeviceConfig) -> (@Sendable () throws(TransportError) -> any ByteTransport)? {
        switch config.transport {
        case .serial:
            guard let path = config.path else { return nil }
            let baud = config.baud ?? 115_200
            return { () throws(TransportError) -> any ByteTransport in try SerialTransport(path: path, baud: baud) }
        case .usb:
            guard let text = config.match, let match = USBMatch(text) else { return nil }
            return { () throws(TransportError) -> any ByteTransport in try USBTransport(match: match) }
        default:
            return nil
        }
    }

    /// The model profile for a USB-matched printer, as the ESC/POS driver wants it.
    static func printerProfile(_ config: DeviceConfig, _ profiles: [DeviceProfile]) -> PrinterProfile {
        guard let text = config.match, let match = USBMatch(text),
            let p = ProfileLoader.profile(in: profiles, vendorID: match.vendorID, productID: match.productID)
        else { return .default }
        return PrinterProfile(
            name: p.name, vendorID: UInt16(p.vendorID, radix: 16), productID: UInt16(p.productID, radix: 16),
            paperWidthDots: p.paperWidthDots ?? PrinterProfile.default.paperWidthDots,
            textEncoding: p.textEncoding == .utf8 ? .utf8 : .gb18030, chineseModeCommand: p.chineseMode,
            nativeQR: p.nativeQR, bidirectional: p.bidirectional, quirks: p.quirks)
    }
}
