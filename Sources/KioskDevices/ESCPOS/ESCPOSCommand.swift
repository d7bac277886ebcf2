/// One ESC/POS command (Epson's printer command language, spoken by nearly every thermal
/// receipt printer in a service hall). Each case encodes to fixed bytes, listed here so the
/// enum doubles as a reference; `ESCPOSEncoder` produces them.
///
/// Values are made valid by their types (sizes 1–8, a QR payload that fits), so encoding never
/// fails and a slip layout is plain data that tests can compare.
public enum ESCPOSCommand: Sendable, Equatable {
    /// `ESC @` (1B 40): reset modes to the power-on defaults; starts every job.
    case initialize
    /// `ESC a n` (1B 61 n): justification of the lines that follow.
    case align(Alignment)
    /// `ESC E n` (1B 45 n): emphasized (bold) on or off.
    case bold(Bool)
    /// `GS ! n` (1D 21 n): character magnification, n = (width−1)·16 + (height−1).
    case characterSize(width: Magnification, height: Magnification)
    /// Printable text, sent as GB 18030; control characters other than LF become spaces so
    /// that a hall or category name can never smuggle a printer command in.
    case text(String)
    /// `LF` (0A): print the line buffer and feed one line.
    case lineFeed
    /// `ESC d n` (1B 64 n): print the buffer and feed n lines.
    case feed(lines: UInt8)
    /// `GS ( k` ×5: select model, module size, error correction, store the data, print it.
    case qrCode(QRCode)
    /// `GS V 66 0` (1D 56 42 00): feed to the cutter and cut (partial cut, paper stays held).
    case cut
    /// `FS &` (1C 26) enters Chinese (Kanji) character mode; `FS .` (1C 2E) leaves it.
    /// Chinese printers need the former for multi-byte GB 18030 text.
    case chineseMode(Bool)
    /// `DLE EOT n` (10 04 n): ask for one status byte (see `ESCPOSStatus`). Real drivers only.
    case requestStatus(StatusRequest)

    /// Normal-size characters (`GS ! 0`).
    public static let normalSize = ESCPOSCommand.characterSize(width: .x1, height: .x1)

    /// `ESC a` argument.
    public enum Alignment: UInt8, Sendable, Equatable, CaseIterable {
        case left = 0
        case center = 1
        case right = 2
    }

    /// A character magnification, 1 to 8 times, as `GS !` allows.
    public enum Magnification: UInt8, Sendable, Equatable, Comparable, CaseIterable {
        case x1 = 1, x2, x3, x4, x5, x6, x7, x8

        /// The magnification `n`, clamped to 1...8.
        public init(clamping n: Int) { self = Self(rawValue: UInt8(min(8, max(1, n))))! }
        public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
    }

    /// `DLE EOT n` argument: which status byte to transmit.
    public enum StatusRequest: UInt8, Sendable, Equatable, CaseIterable {
        case printer = 1
        case offlineCause = 2
        case errorCause = 3
        case paperSensor = 4
    }
}
