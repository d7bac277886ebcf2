/// What a receipt printer model can do and how it wants to be spoken to.
///
/// Why a profile and not code: halls buy whatever the tender brought (Xprinter, Gprinter, SNBC,
/// Epson clones), and models differ in exactly these points — paper width, GB 18030 or UTF-8,
/// whether `FS &` is needed, whether `GS ( k` draws QR codes, whether the link carries status
/// back. A technician describes a new model in `Devices/profiles/*.toml` (loaded elsewhere into
/// this struct) instead of waiting for a release.
public struct PrinterProfile: Sendable, Equatable, Codable {
    /// The model's name, for `kioskctl devices` and the test slip ("Xprinter XP-80C").
    public var name: String
    /// USB vendor and product id, when the model is matched by them.
    public var vendorID: UInt16?
    public var productID: UInt16?
    /// Printable width: 384 dots (58 mm paper) or 576 (80 mm).
    public var paperWidthDots: Int
    /// How text is sent.
    public var textEncoding: ESCPOSTextEncoding
    /// Whether to send `FS &` / `FS .` around Chinese text (GB 18030 models in Kanji mode).
    public var chineseModeCommand: Bool
    /// Whether the model draws QR codes itself (`GS ( k`); false sends a raster image instead.
    public var nativeQR: Bool
    /// Whether the model answers `DLE EOT n` on its link: false means status stays unknown.
    public var bidirectional: Bool
    /// Free-form model peculiarities for the driver and the technician; the driver acts on
    /// those in `Quirk` and ignores the others.
    public var quirks: [String]

    /// The quirks the ESC/POS driver understands.
    public enum Quirk {
        /// The cutter only does full cuts: `GS V 65 0` instead of the partial `GS V 66 0`.
        public static let noPartialCut = "no-partial-cut"
        /// No cutter (tear bar only): feed four lines instead of cutting.
        public static let noCutter = "no-cutter"
    }

    public init(
        name: String = "generic ESC/POS", vendorID: UInt16? = nil, productID: UInt16? = nil,
        paperWidthDots: Int = 576, textEncoding: ESCPOSTextEncoding = .gb18030,
        chineseModeCommand: Bool = true, nativeQR: Bool = true, bidirectional: Bool = true,
        quirks: [String] = []
    ) {
        self.name = name
        self.vendorID = vendorID
        self.productID = productID
        self.paperWidthDots = paperWidthDots
        self.textEncoding = textEncoding
        self.chineseModeCommand = chineseModeCommand
        self.nativeQR = nativeQR
        self.bidirectional = bidirectional
        self.quirks = quirks
    }

    /// The common hall ticket printer: 80 mm, GB 18030 with `FS &`, native QR, answers status.
    public static let `default` = PrinterProfile(name: "generic ESC/POS 80 mm")

    /// The same on 58 mm paper.
    public static let default58mm = PrinterProfile(name: "generic ESC/POS 58 mm", paperWidthDots: 384)

    /// "usb:0416:5011" when both ids are known.
    public var usbMatch: String? {
        guard let vendorID, let productID else { return nil }
        return "usb:" + Self.hex4(vendorID) + ":" + Self.hex4(productID)
    }

    private static func hex4(_ v: UInt16) -> String {
        let s = String(v, radix: 16)
        return String(repeating: "0", count: 4 - s.count) + s
    }
}
