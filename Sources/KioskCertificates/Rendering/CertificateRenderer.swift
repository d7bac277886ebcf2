import CPangoCairo
import Foundation
import Synchronization

/// Renders certificates to PDF: the order's values in their boxes (Pango, CJK fonts), the QR
/// code, the department's seal, and in preview the template's background.
///
/// One renderer serves the whole daemon and may be called from any number of threads at once:
/// every call has its own cairo surface and context and borrows a font map from `FontMapPool`,
/// which keeps the maps warm so only the first renderings pay for font loading. Create one and
/// keep it (or use `shared`); a new renderer per certificate would load the fonts every time.
public final class CertificateRenderer: Sendable {
    /// A renderer for callers that do not manage their own.
    public static let shared = CertificateRenderer()

    private let fontMaps = FontMapPool()
    private let images = ImageCache()
    /// Lower-cased family names fontconfig knows, listed once.
    private let installedFamilies = Mutex<Set<String>?>(nil)

    /// Generic names fontconfig resolves to some installed face.
    private static let genericFamilies: Set<String> = [
        "serif", "sans-serif", "sans", "monospace", "mono", "cursive", "fantasy", "system-ui",
    ]

    public init() {}

    /// Renders one certificate to a one-page PDF.
    ///
    /// - Parameters:
    ///   - fields: the order's values by key; validated against the template first.
    ///   - sealImage: the approving department's seal (PNG, transparent background), drawn in the
    ///     template's seal box; nil for an unsealed proof.
    ///   - qrPayload: the text the QR code carries (the signed verification payload).
    ///   - mode: `.preview` also draws the template's background image.
    public func render(
        template: CertificateTemplate, fields: [String: String], sealImage: String?, qrPayload: String,
        mode: RenderMode = .print
    ) throws(CertificateRenderError) -> RenderedCertificate {
        do {
            try template.validate(fields: fields)
        } catch {
            throw .invalidOrder(error)
        }
        let qr = try QRSymbol(payload: qrPayload)
        let seal = try sealImage.map { path throws(CertificateRenderError) in
            try images.image(at: path, missing: .sealNotFound(path: path))
        }
        var background: DecodedImage? = nil
        if mode == .preview, let path = template.background {
            background = try images.image(at: path, missing: .backgroundNotFound(path: path))
        }

        return try fontMaps.withFontMap { map throws(CertificateRenderError) in
            try checkFonts(of: template, in: map)
            return try draw(template: template, fields: fields, qr: qr, seal: seal, background: background, fontMap: map)
        }
    }

    /// Renders to a file (written atomically: a printer spooler never sees half a PDF) and
    /// returns the layout.
    @discardableResult
    public func render(
        template: CertificateTemplate, fields: [String: String], sealImage: String?, qrPayload: String,
        mode: RenderMode = .print, to path: String
    ) throws(CertificateRenderError) -> CertificateLayout {
        let rendered = try render(template: template, fields: fields, sealImage: sealImage, qrPayload: qrPayload, mode: mode)
        do {
            try rendered.pdf.write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw .cannotWrite(path: path, reason: (error as NSError).localizedDescription)
        }
        return rendered.layout
    }

    // MARK: Drawing

    private func draw(
        template: CertificateTemplate, fields: [String: String], qr: QRSymbol, seal: DecodedImage?,
        background: DecodedImage?,
        fontMap: UnsafeMutablePointer<PangoFontMap>
    ) throws(CertificateRenderError) -> RenderedCertificate {
        let sink = PDFSink()
        let pageWidth = Units.points(template.page.width), pageHeight = Units.points(template.page.height)
        let surface = sink.makeSurface(width: pageWidth, height: pageHeight)
        defer { cairo_surface_destroy(surface) }
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, template.title)
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "kioskd")
        let cr = cairo_create(surface)!
        defer { cairo_destroy(cr) }

        let context = pango_font_map_create_context(fontMap)!
        defer { g_object_unref(UnsafeMutableRawPointer(context)) }
        // Outline metrics, no hinting: the same line breaks and shrink decisions on paper, on
        // screen and in tests, whatever the output resolution.
        let options = cairo_font_options_create()!
        cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF)
        cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE)
        pango_cairo_context_set_font_options(context, options)
        cairo_font_options_destroy(options)
        pango_context_set_round_glyph_positions(context, 0)
        pango_cairo_update_context(cr, context)
        let setter = TextSetter(context: context)

        // Paper first, ink on top, the stamp last (it overlays the text as a real one does).
        background?.paint(on: cr, x: 0, y: 0, width: pageWidth, height: pageHeight, keepAspect: false)
        for text in template.texts {
            setter.draw(text.text, in: text.box, style: text.style, on: cr)
        }
        var layouts: [FieldLayout] = []
        for field in template.fields {
            guard let value = fields[field.key], !value.allSatisfy(\.isWhitespace) else { continue }
            let set = setter.draw(value, in: field.box, style: field.style, on: cr)
            layouts.append(
                FieldLayout(
                    key: field.key, sizePt: set.sizePt, lines: set.lines,
                    width: set.width / Units.pointsPerMillimetre, height: set.height / Units.pointsPerMillimetre,
                    fits: set.fits))
        }
        qr.draw(on: cr, x: Units.points(template.qr.x), y: Units.points(template.qr.y), size: Units.points(template.qr.size))
        if let seal {
            let side = Units.points(template.seal.size)
            // Multiply: red ink darkens what is under it and black text shows through the seal,
            // as with a stamp on paper; plain "over" would paint red over the characters.
            seal.paint(
                on: cr, x: Units.points(template.seal.x), y: Units.points(template.seal.y), width: side, height: side,
                operator: CAIRO_OPERATOR_MULTIPLY)
        }

        cairo_show_page(cr)
        let status = cairo_status(cr)
        guard status == CAIRO_STATUS_SUCCESS else { throw .drawing(cairoStatusText(status)) }
        cairo_surface_finish(surface)
        let surfaceStatus = cairo_surface_status(surface)
        guard surfaceStatus == CAIRO_STATUS_SUCCESS else { throw .drawing(cairoStatusText(surfaceStatus)) }

        return RenderedCertificate(
            pdf: sink.data,
            layout: CertificateLayout(
                fields: layouts, qrVersion: qr.version, qrModules: qr.width, sealed: seal != nil,
                backgroundDrawn: background != nil))
    }

    // MARK: Fonts

    /// Refuses a template whose font is not installed: fontconfig would silently substitute
    /// another face (or none with CJK glyphs) and the certificate would print wrong.
    private func checkFonts(
        of template: CertificateTemplate, in map: UnsafeMutablePointer<PangoFontMap>
    ) throws(CertificateRenderError) {
        let installed = installedFamilies.withLock { cached in
            if let cached { return cached }
            let listed = Self.listFamilies(map)
            cached = listed
            return listed
        }
        let styles = template.texts.map(\.style) + template.fields.map(\.style)
        for family in Set(styles.map(\.font)).sorted() {
            let first = family.split(separator: ",").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? family
            let name = first.lowercased()
            if !Self.genericFamilies.contains(name) && !installed.contains(name) {
                throw .fontNotInstalled(family: first, template: template.id)
            }
        }
    }

    private static func listFamilies(_ map: UnsafeMutablePointer<PangoFontMap>) -> Set<String> {
        var families: UnsafeMutablePointer<UnsafeMutablePointer<PangoFontFamily>?>? = nil
        var count: Int32 = 0
        pango_font_map_list_families(map, &families, &count)
        defer { g_free(families) }
        var names: Set<String> = []
        for index in 0..<Int(count) {
            if let family = families?[index], let name = pango_font_family_get_name(family) {
                names.insert(String(cString: name).lowercased())
            }
        }
        return names
    }
}
