/// Turns a slip's ESC/POS commands into the bytes one printer model understands.
///
/// Why between the layout and the encoder: `TicketLayout` describes *what* a ticket says for
/// every printer; the profile decides *how* — text in UTF-8 or GB 18030, `FS &` only for models
/// that want it, and QR codes drawn by the printer (`GS ( k`) or sent as a raster image
/// (`GS v 0`) computed with libqrencode for models without a QR engine; and the cut as the
/// model's quirks allow.
public struct PrinterJobEncoder: Sendable {
    public let profile: PrinterProfile
    /// Extra white modules around a raster QR code. 0 by default: the layout already leaves blank
    /// lines above and below and the code is centred with `ESC a 1`, so the paper itself is the
    /// quiet zone and the image stays small.
    public var rasterQuietZone: Int = 0

    public init(profile: PrinterProfile) {
        self.profile = profile
    }

    /// The bytes of a whole job.
    public func encode(_ commands: [ESCPOSCommand]) throws(QRMatrixError) -> [UInt8] {
        let encoder = ESCPOSEncoder(textEncoding: profile.textEncoding)
        var out: [UInt8] = []
        for command in commands {
            switch command {
            case .chineseMode where !profile.chineseModeCommand:
                continue
            case .qrCode(let qr) where !profile.nativeQR:
                out += try rasterQR(qr).commandBytes
            case .cut where profile.quirks.contains(PrinterProfile.Quirk.noCutter):
                out += encoder.encode(.feed(lines: 4))  // tear-off models: feed past the tear bar
            case .cut where profile.quirks.contains(PrinterProfile.Quirk.noPartialCut):
                out += [0x1D, 0x56, 65, 0]  // GS V 65 0: feed to the cutter and cut fully
            default:
                out += encoder.encode(command)
            }
        }
        return out
    }

    /// The raster image of `qr`: the matrix from libqrencode, each module `qr.moduleSize` dots,
    /// reduced so that the code fits the paper width.
    public func rasterQR(_ qr: QRCode) throws(QRMatrixError) -> ESCPOSRasterImage {
        let matrix = try QRMatrix(qr)
        return matrix.raster(
            scale: rasterScale(for: matrix, moduleSize: Int(qr.moduleSize)), quietZone: rasterQuietZone)
    }

    /// Dots per module: the layout's module size, but never wider than the paper.
    public func rasterScale(for matrix: QRMatrix, moduleSize: Int) -> Int {
        let modules = matrix.width + 2 * rasterQuietZone
        return max(1, min(moduleSize, profile.paperWidthDots / max(1, modules)))
    }
}
