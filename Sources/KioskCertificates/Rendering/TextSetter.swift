import CPangoCairo

/// Sets one text in its box with Pango: alignment, wrapping and shrink-to-fit.
///
/// Shrinking searches for the largest size (in quarter points, between `minSizePt` and
/// `sizePt`) at which the text fits, by bisection: a long company name is re-laid out a handful
/// of times, not once per step.
struct TextSetter {
    /// A Pango context bound to the rendering's cairo context (see `CertificateRenderer`).
    let context: OpaquePointer

    /// The result of setting a text: what `draw` needs and what the layout report shows.
    struct SetText {
        var sizePt: Double
        var lines: Int
        /// Logical extent in points.
        var width: Double
        var height: Double
        var fits: Bool
    }

    /// Lays out `text` in `box` (millimetres), draws it on `cr` in black, and reports the size used.
    @discardableResult
    func draw(_ text: String, in box: TemplateBox, style: TextStyle, on cr: OpaquePointer) -> SetText {
        let layout = pango_layout_new(context)!
        defer { g_object_unref(UnsafeMutableRawPointer(layout)) }
        let font = pango_font_description_new()!
        defer { pango_font_description_free(font) }
        pango_font_description_set_family(font, style.font)
        pango_font_description_set_weight(font, style.bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL)

        let boxWidth = Units.points(box.width), boxHeight = Units.points(box.height)
        pango_layout_set_text(layout, text, -1)
        if style.multiline {
            pango_layout_set_width(layout, Int32(boxWidth * Double(PANGO_SCALE)))
            pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR)
            pango_layout_set_alignment(layout, Self.pangoAlignment(style.align))
        } else {
            pango_layout_set_width(layout, -1)
        }

        var logical = PangoRectangle()
        func measure(_ size: Double) -> Bool {
            pango_font_description_set_absolute_size(font, size * Double(PANGO_SCALE))
            pango_layout_set_font_description(layout, font)
            pango_layout_get_extents(layout, nil, &logical)
            let epsilon = 0.01
            return Double(logical.width) / Double(PANGO_SCALE) <= boxWidth + epsilon
                && Double(logical.height) / Double(PANGO_SCALE) <= boxHeight + epsilon
        }

        var size = style.sizePt
        var fits = measure(size)
        if !fits && style.shrinkToFit && style.minSizePt < style.sizePt {
            // Quarter points from the minimum (index 0) to just below the full size.
            let steps = Int(((style.sizePt - style.minSizePt) * 4).rounded(.down))
            var low = 0, high = steps - 1, best: Int? = nil
            while low <= high {
                let middle = (low + high) / 2
                if measure(style.minSizePt + Double(middle) / 4) {
                    best = middle
                    low = middle + 1
                } else {
                    high = middle - 1
                }
            }
            size = best.map { style.minSizePt + Double($0) / 4 } ?? style.minSizePt
            fits = measure(size)
        }

        let width = Double(logical.width) / Double(PANGO_SCALE)
        let height = Double(logical.height) / Double(PANGO_SCALE)
        var x = Units.points(box.x)
        if !style.multiline {
            switch style.align {
            case .left: break
            case .center: x += (boxWidth - width) / 2
            case .right: x += boxWidth - width
            }
            x -= Double(logical.x) / Double(PANGO_SCALE)
        }
        var y = Units.points(box.y) - Double(logical.y) / Double(PANGO_SCALE)
        switch style.verticalAlign {
        case .top: break
        case .middle: y += (boxHeight - height) / 2
        case .bottom: y += boxHeight - height
        }
        cairo_set_source_rgb(cr, 0, 0, 0)
        cairo_move_to(cr, x, y)
        pango_cairo_show_layout(cr, layout)
        return SetText(
            sizePt: size, lines: Int(pango_layout_get_line_count(layout)), width: width, height: height, fits: fits)
    }

    static func pangoAlignment(_ align: HorizontalAlignment) -> PangoAlignment {
        switch align {
        case .left: PANGO_ALIGN_LEFT
        case .center: PANGO_ALIGN_CENTER
        case .right: PANGO_ALIGN_RIGHT
        }
    }
}
