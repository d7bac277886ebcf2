import CPangoCairo
import Foundation

/// Draws a stand-in for a certificate's pre-printed security paper, for preview mode: a cream
/// tint, a guilloche border band and a faint rosette in the middle.
///
/// Why: halls print on paper that already carries this (so it is never printed), but a screen
/// preview without it looks nothing like the certificate the citizen will hold. It is drawn at a
/// low resolution (the preview is for screens) to keep the shipped PNG small.
public enum BackgroundDrawing {
    /// The paper's tint, also what tests look for in a preview's margin.
    static let paper = (r: 0.965, g: 0.945, b: 0.87)
    static let ink = (r: 0.55, g: 0.72, b: 0.60)

    /// The background as PNG bytes for a page of `page` size at `dotsPerInch`.
    public static func png(page: PageSize, dotsPerInch: Double = 50) throws(CertificateRenderError) -> Data {
        let width = Int((page.width / 25.4 * dotsPerInch).rounded())
        let height = Int((page.height / 25.4 * dotsPerInch).rounded())
        let surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, Int32(width), Int32(height))!
        defer { cairo_surface_destroy(surface) }
        let cr = cairo_create(surface)!
        defer { cairo_destroy(cr) }
        cairo_scale(cr, Double(width) / page.width, Double(height) / page.height)
        draw(page: page, on: cr)
        cairo_surface_flush(surface)
        let status = cairo_status(cr)
        guard status == CAIRO_STATUS_SUCCESS else { throw .drawing(cairoStatusText(status)) }
        return try PNGEncoding.data(of: surface)
    }

    /// The drawing, in millimetres.
    static func draw(page: PageSize, on cr: OpaquePointer) {
        cairo_set_source_rgb(cr, paper.r, paper.g, paper.b)
        cairo_paint(cr)
        cairo_set_source_rgb(cr, ink.r, ink.g, ink.b)

        // Border band: two frames and interlaced waves between them.
        let outer = 9.0, inner = 15.0
        cairo_set_line_width(cr, 0.6)
        for inset in [outer, inner] {
            cairo_rectangle(cr, inset, inset, page.width - 2 * inset, page.height - 2 * inset)
            cairo_stroke(cr)
        }
        cairo_set_line_width(cr, 0.25)
        let middle = (outer + inner) / 2, amplitude = (inner - outer) / 2 - 0.6
        for phase in stride(from: 0.0, to: 2 * Double.pi, by: Double.pi / 3) {
            wave(on: cr, from: (outer, middle), to: (page.width - outer, middle), amplitude: amplitude, phase: phase)
            wave(on: cr, from: (outer, page.height - middle), to: (page.width - outer, page.height - middle), amplitude: amplitude, phase: phase)
            wave(on: cr, from: (middle, outer), to: (middle, page.height - outer), amplitude: amplitude, phase: phase)
            wave(on: cr, from: (page.width - middle, outer), to: (page.width - middle, page.height - outer), amplitude: amplitude, phase: phase)
        }

        // Rosette: a hypotrochoid-like family of offset circles around the page centre.
        cairo_set_line_width(cr, 0.2)
        cairo_set_source_rgba(cr, ink.r, ink.g, ink.b, 0.45)
        let cx = page.width / 2, cy = page.height / 2
        let count = 36
        for index in 0..<count {
            let angle = Double(index) * 2 * .pi / Double(count)
            cairo_new_path(cr)
            cairo_arc(cr, cx + 14 * cos(angle), cy + 14 * sin(angle), 30, 0, 2 * .pi)
            cairo_stroke(cr)
        }
    }

    /// A sine wave from `start` to `end` (horizontal or vertical), 4 mm per period.
    private static func wave(
        on cr: OpaquePointer, from start: (Double, Double), to end: (Double, Double), amplitude: Double, phase: Double
    ) {
        let dx = end.0 - start.0, dy = end.1 - start.1
        let length = (dx * dx + dy * dy).squareRoot()
        let (ux, uy) = (dx / length, dy / length)
        let steps = Int(length / 0.5)
        cairo_new_path(cr)
        for step in 0...steps {
            let t = Double(step) * length / Double(steps)
            let offset = amplitude * sin(t * 2 * .pi / 4 + phase)
            let x = start.0 + ux * t - uy * offset, y = start.1 + uy * t + ux * offset
            if step == 0 { cairo_move_to(cr, x, y) } else { cairo_line_to(cr, x, y) }
        }
        cairo_stroke(cr)
    }
}
