/// A 1-bit picture printed with `GS v 0` (print raster bit image), for what a printer cannot
/// draw itself — a QR code on models without `GS ( k`.
///
/// Byte layout (Epson ESC/POS reference, `GS v 0`): `1D 76 30 m xL xH yL yH d1…dk` where
/// m = 0 (normal density), xL + xH·256 = bytes per row, yL + yH·256 = rows (dots), and
/// k = bytes per row × rows. Each data byte holds 8 horizontal dots, the most significant bit
/// leftmost; a 1 bit is printed (black). Rows go top to bottom; the last byte of each row is
/// padded with white bits.
public struct ESCPOSRasterImage: Sendable, Equatable {
    /// Width in dots.
    public let width: Int
    /// Height in dots (rows).
    public let height: Int
    /// Packed rows, `bytesPerRow × height` bytes.
    public let data: [UInt8]

    /// Bytes per row: the width rounded up to whole bytes.
    public var bytesPerRow: Int { (width + 7) / 8 }

    /// Packs `dots(x, y)` (true = black) for a `width × height` picture.
    public init(width: Int, height: Int, dots: (Int, Int) -> Bool) {
        precondition(width > 0 && height > 0 && width <= 65535 * 8 && height <= 65535)
        self.width = width
        self.height = height
        let rowBytes = (width + 7) / 8
        var data = [UInt8](repeating: 0, count: rowBytes * height)
        for y in 0..<height {
            for x in 0..<width where dots(x, y) {
                data[y * rowBytes + x / 8] |= 0x80 >> UInt8(x % 8)
            }
        }
        self.data = data
    }

    /// Whether the dot at (x, y) is black.
    public func isBlack(x: Int, y: Int) -> Bool {
        data[y * bytesPerRow + x / 8] & (0x80 >> UInt8(x % 8)) != 0
    }

    /// The `GS v 0` command that prints the picture at normal density.
    public var commandBytes: [UInt8] {
        let x = bytesPerRow
        return [0x1D, 0x76, 0x30, 0, UInt8(x & 0xFF), UInt8(x >> 8), UInt8(height & 0xFF), UInt8(height >> 8)]
            + data
    }
}
