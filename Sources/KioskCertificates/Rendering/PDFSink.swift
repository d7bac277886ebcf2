import CPangoCairo
import Foundation

/// Collects what cairo's PDF surface writes, so a certificate is rendered to bytes in memory
/// (sent to CUPS or a screen) with no temporary file.
final class PDFSink {
    private(set) var data = Data()

    /// A one-page PDF surface of `width` × `height` points writing into this sink. The sink must
    /// outlive the surface (`cairo_surface_finish` is the last write).
    func makeSurface(width: Double, height: Double) -> OpaquePointer {
        let closure = Unmanaged.passUnretained(self).toOpaque()
        return cairo_pdf_surface_create_for_stream(PDFSink.write, closure, width, height)!
    }

    private static let write: cairo_write_func_t = { closure, bytes, length in
        guard let closure, let bytes else { return CAIRO_STATUS_WRITE_ERROR }
        let sink = Unmanaged<PDFSink>.fromOpaque(closure).takeUnretainedValue()
        sink.data.append(bytes, count: Int(length))
        return CAIRO_STATUS_SUCCESS
    }
}

/// cairo's status as text, for `CertificateRenderError.drawing`.
func cairoStatusText(_ status: cairo_status_t) -> String {
    String(cString: cairo_status_to_string(status))
}
