import KioskCore

/// What kioskd knows about one hardware model, from `Devices/profiles/<model>.toml`, so that a
/// technician adds a printer or reader model by writing a file instead of changing code.
///
/// Found by the USB IDs of a plugged-in device (`vid`/`pid`); the drivers take the encoding,
/// QR capability, paper width and quirks from it unless the `[[devices]]` entry overrides them.
public struct DeviceProfile: Sendable, Equatable {
    /// How the printer wants Chinese text.
    public enum TextEncoding: String, Sendable, Equatable, CaseIterable {
        case gb18030
        case utf8 = "utf-8"
    }

    /// "Winbond-based generic 58 mm thermal printer".
    public var name: String
    /// Four lower-case hex digits.
    public var vendorID: String
    public var productID: String
    public var kind: DeviceConfig.Kind
    public var transport: DeviceConfig.Transport
    /// Line speed for serial models.
    public var baud: Int?
    public var textEncoding: TextEncoding
    /// Prints QR codes itself (`GS ( k`); otherwise kioskd sends a raster image.
    public var nativeQR: Bool
    /// 384 for 58 mm, 576 for 80 mm paper.
    public var paperWidthDots: Int?
    /// Needs `FS &` (Chinese character mode) before double-byte text.
    public var chineseMode: Bool
    /// Answers status queries (`DLE EOT n`), so paper out and cover open can be seen.
    public var bidirectional: Bool
    /// Model-specific workarounds, named ("no-partial-cut", "slow-init").
    public var quirks: [String]
    /// The file it came from, for messages.
    public var source: String

    public init(
        name: String, vendorID: String, productID: String, kind: DeviceConfig.Kind,
        transport: DeviceConfig.Transport, baud: Int? = nil, textEncoding: TextEncoding = .gb18030,
        nativeQR: Bool = false, paperWidthDots: Int? = nil, chineseMode: Bool = false,
        bidirectional: Bool = false, quirks: [String] = [], source: String = ""
    ) {
        self.name = name
        self.vendorID = vendorID.lowercased()
        self.productID = productID.lowercased()
        self.kind = kind
        self.transport = transport
        self.baud = baud
        self.textEncoding = textEncoding
        self.nativeQR = nativeQR
        self.paperWidthDots = paperWidthDots
        self.chineseMode = chineseMode
        self.bidirectional = bidirectional
        self.quirks = quirks
        self.source = source
    }

    /// "usb:0416:5011", the form a config's `match` uses.
    public var usbID: String { "usb:\(vendorID):\(productID)" }
}
