import CPangoCairo
import Foundation

/// Draws a round official seal (公章) as a PNG with a transparent background: a red ring, a
/// five-pointed star in the middle, the organisation's name along the top arc and the seal's
/// purpose (行政审批专用章) across the bottom.
///
/// Why the project draws its own: the demo department needs a seal image, and a generated one
/// can be regenerated at any size or resolution and carries no real authority's mark. The
/// proportions follow the common 42 mm administrative seal (ring 1.2 mm, star 14 mm across,
/// condensed Song-style characters). `RenderAssetsTests` rewrites `Config/certificates/seals/`
/// from this code when `KIOSKD_REGENERATE_ASSETS=1`.
public enum SealDrawing {
    /// Seal red, a little darker than pure red so it prints as vermilion ink.
    static let red = (r: 0.85, g: 0.07, b: 0.09)

    /// The seal as PNG bytes, `diameterMM` across at `dotsPerInch`.
    public static func png(
        name: String, subtitle: String, diameterMM: Double = 42, dotsPerInch: Double = 300,
        font: String = TextStyle.defaultFont
    ) throws(CertificateRenderError) -> Data {
        let pixels = Int((diameterMM / 25.4 * dotsPerInch).rounded())
        let surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, Int32(pixels), Int32(pixels))!
        defer { cairo_surface_destroy(surface) }
        let cr = cairo_create(surface)!
        defer { cairo_destroy(cr) }
        // Draw in millimetres of a 42 mm seal, whatever the requested size.
        cairo_scale(cr, Double(pixels) / 42, Double(pixels) / 42)
        draw(name: name, subtitle: subtitle, font: font, on: cr)
        cairo_surface_flush(surface)
        let status = cairo_status(cr)
        guard status == CAIRO_STATUS_SUCCESS else { throw .drawing(cairoStatusText(status)) }
        return try PNGEncoding.data(of: surface)
    }

    /// Writes the seal to `path` (a `.png`).
    public static func writePNG(
        name: String, subtitle: String, to path: String, diameterMM: Double = 42, dotsPerInch: Double = 300
    ) throws(CertificateRenderError) {
        let data = try png(name: name, subtitle: subtitle, diameterMM: diameterMM, dotsPerInch: dotsPerInch)
        do {
            try data.write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw .cannotWrite(path: path, reason: (error as NSError).localizedDescription)
        }
    }

    /// The drawing, in millimetres of a 42 mm seal centred at (21, 21).
    static func draw(name: String, subtitle: String, font: String, on cr: OpaquePointer) {
        let centre = 21.0
        cairo_set_source_rgb(cr, red.r, red.g, red.b)

        // Ring: 1.2 mm wide, its outer edge just inside the image.
        let ringWidth = 1.2
        let ringRadius = centre - 0.15 - ringWidth / 2
        cairo_set_line_width(cr, ringWidth)
        cairo_new_path(cr)
        cairo_arc(cr, centre, centre, ringRadius, 0, 2 * .pi)
        cairo_stroke(cr)

        // Star: 14 mm across its points.
        drawStar(on: cr, x: centre, y: centre, radius: 7)

        let map = pango_cairo_font_map_new()!
        defer { g_object_unref(map) }
        let context = pango_font_map_create_context(map)!
        defer { g_object_unref(UnsafeMutableRawPointer(context)) }
        pango_cairo_update_context(cr, context)

        // Name along the top arc, each character upright towards the rim, condensed as
        // seal engravers cut them.
        let characters = name.map(String.init)
        if !characters.isEmpty {
            let condense = 0.72
            let innerEdge = ringRadius - ringWidth / 2 - 0.8
            // About 17° a character, at most 230° so the ends stay above the subtitle.
            let span = min(230.0, max(100.0, Double(characters.count) * 17)) * .pi / 180
            let size = min(5.8, (innerEdge - 3) * span / Double(characters.count) * 0.9 / condense)
            let radius = innerEdge - size * 0.52
            for (index, character) in characters.enumerated() {
                let angle = -span / 2 + span * (Double(index) + 0.5) / Double(characters.count)
                cairo_save(cr)
                cairo_translate(cr, centre, centre)
                cairo_rotate(cr, angle)
                cairo_translate(cr, 0, -radius)
                cairo_scale(cr, condense, 1)
                showCentred(character, size: size, font: font, context: context, on: cr)
                cairo_restore(cr)
            }
        }

        // Purpose across the lower half, under the star.
        if !subtitle.isEmpty {
            let count = Double(subtitle.count)
            let condense = 0.85
            let size = min(4.0, 22 / (count * condense))
            cairo_save(cr)
            cairo_translate(cr, centre, centre + 9.8)
            cairo_scale(cr, condense, 1)
            showCentred(subtitle, size: size, font: font, context: context, on: cr)
            cairo_restore(cr)
        }
    }

    /// A five-pointed star, one point up, filled.
    private static func drawStar(on cr: OpaquePointer, x: Double, y: Double, radius: Double) {
        // Inner radius of a regular star: R·sin(18°)/sin(126°).
        let inner = radius * sin(.pi / 10) / sin(7 * .pi / 10)
        cairo_new_path(cr)
        for point in 0..<10 {
            let r = point.isMultiple(of: 2) ? radius : inner
            let angle = -Double.pi / 2 + Double(point) * .pi / 5
            let px = x + r * cos(angle), py = y + r * sin(angle)
            if point == 0 { cairo_move_to(cr, px, py) } else { cairo_line_to(cr, px, py) }
        }
        cairo_close_path(cr)
        cairo_fill(cr)
    }

    /// Draws `text` bold, `size` mm high, centred on the current origin.
    private static func showCentred(
        _ text: String, size: Double, font: String, context: OpaquePointer, on cr: OpaquePointer
    ) {
        let layout = pango_layout_new(context)!
        defer { g_object_unref(UnsafeMutableRawPointer(layout)) }
        let description = pango_font_description_new()!
        defer { pango_font_description_free(description) }
        pango_font_description_set_family(description, font)
        pango_font_description_set_weight(description, PANGO_WEIGHT_BOLD)
        pango_font_description_set_absolute_size(description, size * Double(PANGO_SCALE))
        pango_layout_set_font_description(layout, description)
        pango_layout_set_text(layout, text, -1)
        pango_cairo_update_layout(cr, layout)
        var ink = PangoRectangle(), logical = PangoRectangle()
        pango_layout_get_extents(layout, &ink, &logical)
        let scale = Double(PANGO_SCALE)
        // Horizontally by the advance, vertically by the ink: CJK glyphs sit low in their em box.
        let x = -(Double(logical.x) + Double(logical.width) / 2) / scale
        let y = -(Double(ink.y) + Double(ink.height) / 2) / scale
        cairo_move_to(cr, x, y)
        pango_cairo_show_layout(cr, layout)
    }
}
