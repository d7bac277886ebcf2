import CPangoCairo
import Foundation

/// A PNG file decoded by cairo's own PNG reader (seals, backgrounds), owning its image surface.
///
/// Used once per file version: `ImageCache` turns it into a `DecodedImage` that renderings share.
final class PNGImage {
    let surface: OpaquePointer
    let width: Int
    let height: Int

    /// Reads `path`; `missing` is the error to throw when there is no such file.
    init(path: String, missing: CertificateRenderError) throws(CertificateRenderError) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw missing
        }
        let surface = cairo_image_surface_create_from_png(path)!
        let status = cairo_surface_status(surface)
        guard status == CAIRO_STATUS_SUCCESS else {
            cairo_surface_destroy(surface)
            let reason = status == CAIRO_STATUS_READ_ERROR ? "not a PNG image, or damaged" : cairoStatusText(status)
            throw .imageUnreadable(path: path, reason: reason)
        }
        self.surface = surface
        width = Int(cairo_image_surface_get_width(surface))
        height = Int(cairo_image_surface_get_height(surface))
        guard width > 0, height > 0 else { throw .imageUnreadable(path: path, reason: "the image is empty") }
    }

    deinit { cairo_surface_destroy(surface) }

    /// Red, green, blue, alpha (0…255, not premultiplied) of the pixel at column `x`, row `y`.
    func pixel(x: Int, y: Int) -> (red: Int, green: Int, blue: Int, alpha: Int) {
        cairo_surface_flush(surface)
        let stride = Int(cairo_image_surface_get_stride(surface))
        let format = cairo_image_surface_get_format(surface)
        let data = cairo_image_surface_get_data(surface)!
        // ARGB32 and RGB24 are one native-endian 32-bit word per pixel.
        let word = data.advanced(by: y * stride + x * 4).withMemoryRebound(to: UInt32.self, capacity: 1) { $0.pointee }
        let alpha = format == CAIRO_FORMAT_RGB24 ? 255 : Int(word >> 24)
        func channel(_ shift: UInt32) -> Int {
            let premultiplied = Int((word >> shift) & 0xFF)
            return alpha == 0 ? 0 : min(255, (premultiplied * 255 + alpha / 2) / alpha)
        }
        return (channel(16), channel(8), channel(0), alpha)
    }
}

/// PNG bytes of a cairo image surface, without a temporary file.
enum PNGEncoding {
    private final class Sink {
        var data = Data()
    }

    static func data(of surface: OpaquePointer) throws(CertificateRenderError) -> Data {
        let sink = Sink()
        let status = cairo_surface_write_to_png_stream(
            surface,
            { closure, bytes, length in
                guard let closure, let bytes else { return CAIRO_STATUS_WRITE_ERROR }
                Unmanaged<Sink>.fromOpaque(closure).takeUnretainedValue().data.append(bytes, count: Int(length))
                return CAIRO_STATUS_SUCCESS
            }, Unmanaged.passUnretained(sink).toOpaque())
        guard status == CAIRO_STATUS_SUCCESS else { throw .drawing(cairoStatusText(status)) }
        return sink.data
    }
}
