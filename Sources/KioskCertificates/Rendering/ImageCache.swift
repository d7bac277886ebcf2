import CPangoCairo
import Foundation
import Synchronization

/// Decoded seal and background images, kept between renderings.
///
/// Why: decoding a 42 mm seal PNG costs a few milliseconds per certificate, a tenth of the
/// rendering budget, and a hall stamps the same few seals all day. Entries are keyed by path,
/// size, modification time and inode, so a seal replaced by an administrator is read again on
/// the next certificate. Each rendering gets its own cairo surface over a private copy of the
/// pixels, so no cairo object is shared between threads.
final class ImageCache: Sendable {
    private struct Key: Hashable {
        var path: String
        var size: Int
        var modified: Int
        var inode: Int
    }

    private let entries = Mutex<[Key: DecodedImage]>([:])
    private let capacity: Int

    init(capacity: Int = 16) {
        self.capacity = capacity
    }

    /// The image at `path`, decoded now or earlier; `missing` is thrown when there is no file.
    func image(at path: String, missing: CertificateRenderError) throws(CertificateRenderError) -> DecodedImage {
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { throw missing }
        let key = Key(
            path: path, size: Int(info.st_size),
            modified: Int(info.st_mtim.tv_sec) &* 1_000_000_000 &+ Int(info.st_mtim.tv_nsec), inode: Int(info.st_ino))
        if let cached = entries.withLock({ $0[key] }) { return cached }
        let decoded = DecodedImage(try PNGImage(path: path, missing: missing))
        entries.withLock { entries in
            // Old versions of the same file, then anything once full: a hall has a few seals.
            entries = entries.filter { $0.key.path != path }
            if entries.count >= capacity { entries.removeAll() }
            entries[key] = decoded
        }
        return decoded
    }
}

/// An image's pixels, immutable and shareable between threads.
///
/// A seal is one ink on transparent ground; such an image is kept as its alpha channel and a
/// colour and drawn as a mask filled with that colour. The PDF then carries one grey channel
/// instead of three colour channels plus an alpha mask, which is a quarter of the data cairo must
/// compress on every certificate. Images with several colours (a scanned seal on tinted paper, a
/// background) are drawn as they are.
final class DecodedImage: Sendable {
    let width: Int
    let height: Int
    /// The single ink's colour (0…1), or nil for a many-coloured image.
    let ink: (red: Double, green: Double, blue: Double)?
    /// ARGB32 (colour) or A8 (single ink) rows, `stride` bytes apart, as cairo lays them out.
    private let pixels: [UInt8]
    private let stride: Int

    init(_ image: PNGImage) {
        width = image.width
        height = image.height
        let ink = Self.singleInk(of: image)
        self.ink = ink.map { (Double($0.red) / 255, Double($0.green) / 255, Double($0.blue) / 255) }
        let format = ink == nil ? CAIRO_FORMAT_ARGB32 : CAIRO_FORMAT_A8
        let stride = Int(cairo_format_stride_for_width(format, Int32(width)))
        self.stride = stride
        let width = width, height = height
        var pixels = [UInt8](repeating: 0, count: stride * height)
        if ink == nil {
            let source = cairo_image_surface_get_data(image.surface)!
            let sourceStride = Int(cairo_image_surface_get_stride(image.surface))
            let converted = cairo_image_surface_get_format(image.surface) == CAIRO_FORMAT_ARGB32
            for y in 0..<height {
                for x in 0..<width {
                    // RGB24 files have no alpha: make them opaque ARGB32.
                    let word = source.advanced(by: y * sourceStride + x * 4)
                        .withMemoryRebound(to: UInt32.self, capacity: 1) { $0.pointee }
                    let argb = converted ? word : word | 0xFF00_0000
                    withUnsafeBytes(of: argb) { bytes in
                        for byte in 0..<4 { pixels[y * stride + x * 4 + byte] = bytes[byte] }
                    }
                }
            }
        } else {
            for y in 0..<height {
                for x in 0..<width { pixels[y * stride + x] = UInt8(image.pixel(x: x, y: y).alpha) }
            }
        }
        self.pixels = pixels
    }

    /// The colour shared by every visible pixel, if there is one. Faint pixels (antialiased
    /// edges) carry too little colour precision to count.
    private static func singleInk(of image: PNGImage) -> (red: Int, green: Int, blue: Int)? {
        guard cairo_image_surface_get_format(image.surface) == CAIRO_FORMAT_ARGB32 else { return nil }
        var ink: (red: Int, green: Int, blue: Int)? = nil
        let tolerance = 24
        for y in 0..<image.height {
            for x in 0..<image.width {
                let pixel = image.pixel(x: x, y: y)
                guard pixel.alpha >= 64 else { continue }
                guard let reference = ink else {
                    ink = (pixel.red, pixel.green, pixel.blue)
                    continue
                }
                if abs(pixel.red - reference.red) > tolerance || abs(pixel.green - reference.green) > tolerance
                    || abs(pixel.blue - reference.blue) > tolerance
                {
                    return nil
                }
            }
        }
        return ink
    }

    /// Paints the image into the box (points) with `op`, keeping its aspect ratio unless told not
    /// to and centring it.
    func paint(
        on cr: OpaquePointer, x: Double, y: Double, width boxWidth: Double, height boxHeight: Double,
        operator op: cairo_operator_t = CAIRO_OPERATOR_OVER, keepAspect: Bool = true
    ) {
        var sx = boxWidth / Double(width), sy = boxHeight / Double(height)
        if keepAspect {
            sx = min(sx, sy)
            sy = sx
        }
        let surface = makeSurface()
        defer { cairo_surface_destroy(surface) }
        cairo_save(cr)
        cairo_translate(cr, x + (boxWidth - Double(width) * sx) / 2, y + (boxHeight - Double(height) * sy) / 2)
        cairo_scale(cr, sx, sy)
        cairo_set_operator(cr, op)
        cairo_rectangle(cr, 0, 0, Double(width), Double(height))
        cairo_clip(cr)
        if let ink {
            cairo_set_source_rgb(cr, ink.red, ink.green, ink.blue)
            cairo_mask_surface(cr, surface, 0, 0)
        } else {
            cairo_set_source_surface(cr, surface, 0, 0)
            cairo_paint(cr)
        }
        cairo_restore(cr)
    }

    /// A cairo surface over a private copy of the pixels. The copy is freed with the surface's
    /// last reference, which the PDF surface may hold until it is finished.
    private func makeSurface() -> OpaquePointer {
        let buffer = malloc(pixels.count)!
        pixels.withUnsafeBytes { buffer.copyMemory(from: $0.baseAddress!, byteCount: pixels.count) }
        let format = ink == nil ? CAIRO_FORMAT_ARGB32 : CAIRO_FORMAT_A8
        let surface = cairo_image_surface_create_for_data(
            buffer.assumingMemoryBound(to: UInt8.self), format, Int32(width), Int32(height), Int32(stride))!
        cairo_surface_set_user_data(surface, PixelBufferKey.shared.pointer, buffer) { free($0) }
        return surface
    }
}

/// The address cairo identifies the pixel buffer's user data by.
private struct PixelBufferKey: @unchecked Sendable {
    static let shared = PixelBufferKey()
    let pointer = UnsafeMutablePointer<cairo_user_data_key_t>.allocate(capacity: 1)
}
