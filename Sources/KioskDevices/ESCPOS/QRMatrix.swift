import CQRencode

#if canImport(Glibc)
    import Glibc
#endif

/// The modules of a QR code, computed by libqrencode, for printers that cannot draw QR codes
/// themselves (no `GS ( k`): the driver scales the matrix to dots and sends it as a raster image.
///
/// Why libqrencode: it is the encoder every Linux distribution ships (Debian libqrencode-dev),
/// maintained and conformance-tested; writing our own Reed–Solomon and masking would be a
/// second, untested QR encoder.
public struct QRMatrix: Sendable, Equatable {
    /// Modules per side (21 for version 1, +4 per version).
    public let width: Int
    /// The QR version libqrencode chose (1…40).
    public let version: Int
    /// Row-major, true = dark module.
    public let modules: [Bool]

    /// Encodes `code`'s payload at its error-correction level, in the smallest version that
    /// holds it, letting libqrencode pick the modes (numeric, alphanumeric, byte).
    public init(_ code: QRCode) throws(QRMatrixError) {
        let level: QRecLevel =
            switch code.errorCorrection {
            case .low: QR_ECLEVEL_L
            case .medium: QR_ECLEVEL_M
            case .quartile: QR_ECLEVEL_Q
            case .high: QR_ECLEVEL_H
            }
        let bytes = code.data
        let qr: UnsafeMutablePointer<QRcode>?
        if bytes.contains(0) {
            // A C string cannot carry NUL: hand over the bytes in 8-bit mode.
            qr = bytes.withUnsafeBufferPointer { QRcode_encodeData(Int32($0.count), $0.baseAddress, 0, level) }
        } else {
            qr = QRcode_encodeString(code.payloadCString, 0, level, QR_MODE_8, 1)
        }
        guard let qr else {
            throw QRMatrixError(payloadBytes: bytes.count, reason: String(cString: strerror(errno)))
        }
        defer { QRcode_free(qr) }
        let w = Int(qr.pointee.width)
        width = w
        version = Int(qr.pointee.version)
        // libqrencode: one byte per module, bit 0 = dark; the other bits describe the module's role.
        let raw = UnsafeBufferPointer(start: qr.pointee.data, count: w * w)
        modules = raw.map { $0 & 1 != 0 }
    }

    /// Whether the module at column `x`, row `y` is dark.
    public func isDark(x: Int, y: Int) -> Bool { modules[y * width + x] }

    /// The matrix drawn `scale` dots per module, optionally with a white quiet zone of
    /// `quietZone` modules around it.
    public func raster(scale: Int, quietZone: Int = 0) -> ESCPOSRasterImage {
        let s = max(1, scale)
        let side = (width + 2 * quietZone) * s
        return ESCPOSRasterImage(width: side, height: side) { x, y in
            let mx = x / s - quietZone
            let my = y / s - quietZone
            guard mx >= 0, my >= 0, mx < width, my < width else { return false }
            return isDark(x: mx, y: my)
        }
    }
}

/// libqrencode refused a payload (too long for version 40 at this level, or out of memory).
public struct QRMatrixError: Error, Sendable, Equatable, CustomStringConvertible {
    public var payloadBytes: Int
    public var reason: String
    public var description: String { "cannot encode a \(payloadBytes)-byte QR payload: \(reason)" }
}

extension QRCode {
    /// The payload as a C string (callers make sure it has no NUL byte).
    fileprivate var payloadCString: String { payload }
}
