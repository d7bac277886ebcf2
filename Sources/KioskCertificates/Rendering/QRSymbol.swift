import CQRencode
import CPangoCairo

#if canImport(Glibc)
    import Glibc
#endif

/// The anti-counterfeit QR code (防伪二维码): the module matrix from libqrencode at error
/// correction level M, drawn as vector squares so it stays sharp at any printer resolution.
///
/// Level M (15 % recovery) is the usual choice for printed documents: it survives a scuff or a
/// seal's edge while keeping a ~200-character signed payload at a version a phone reads from
/// a 25 mm square. libqrencode is the encoder Debian ships (libqrencode-dev), built thread-safe.
struct QRSymbol {
    /// White modules required around the symbol by ISO/IEC 18004.
    static let quietZone = 4

    let version: Int
    /// Modules per side, without the quiet zone.
    let width: Int
    /// Row-major, true = dark.
    let modules: [Bool]

    init(payload: String) throws(CertificateRenderError) {
        let bytes = payload.utf8.count
        guard bytes > 0 else { throw .qrPayload(bytes: 0, reason: "the payload is empty") }
        guard !payload.utf8.contains(0) else { throw .qrPayload(bytes: bytes, reason: "the payload contains a NUL byte") }
        // Byte mode with case kept; libqrencode still switches to numeric/alphanumeric runs
        // where that is shorter.
        guard let code = QRcode_encodeString(payload, 0, QR_ECLEVEL_M, QR_MODE_8, 1) else {
            let reason = errno == ERANGE ? "too long for a QR code at level M" : String(cString: strerror(errno))
            throw .qrPayload(bytes: bytes, reason: reason)
        }
        defer { QRcode_free(code) }
        version = Int(code.pointee.version)
        width = Int(code.pointee.width)
        // One byte per module; bit 0 is dark, the other bits describe the module's role.
        modules = UnsafeBufferPointer(start: code.pointee.data, count: width * width).map { $0 & 1 != 0 }
    }

    /// Draws the symbol and its white quiet zone filling the square `x, y, size` (points).
    /// Each row's runs of dark modules become one rectangle, all filled at once: fewer PDF path
    /// operators, and no hairline seams between neighbouring modules when rasterised.
    func draw(on cr: OpaquePointer, x: Double, y: Double, size: Double) {
        let module = size / Double(width + 2 * Self.quietZone)
        let origin = (x: x + module * Double(Self.quietZone), y: y + module * Double(Self.quietZone))
        cairo_save(cr)
        cairo_set_operator(cr, CAIRO_OPERATOR_OVER)
        cairo_set_source_rgb(cr, 1, 1, 1)
        cairo_rectangle(cr, x, y, size, size)
        cairo_fill(cr)
        cairo_set_source_rgb(cr, 0, 0, 0)
        for row in 0..<width {
            var column = 0
            while column < width {
                guard modules[row * width + column] else {
                    column += 1
                    continue
                }
                let start = column
                while column < width && modules[row * width + column] { column += 1 }
                cairo_rectangle(
                    cr, origin.x + Double(start) * module, origin.y + Double(row) * module,
                    Double(column - start) * module, module)
            }
        }
        cairo_fill(cr)
        cairo_restore(cr)
    }
}
