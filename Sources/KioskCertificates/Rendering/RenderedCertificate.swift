import Foundation

/// A rendered certificate: the PDF and how its texts were set.
public struct RenderedCertificate: Sendable {
    /// A one-page PDF document.
    public var pdf: Data
    public var layout: CertificateLayout
}

/// How the renderer set the page, so callers (and tests) can see whether everything fit without
/// parsing the PDF.
public struct CertificateLayout: Sendable, Equatable {
    /// One entry per field the order filled in, in template order.
    public var fields: [FieldLayout]
    /// The QR symbol's version (1…40) and modules per side, without the quiet zone.
    public var qrVersion: Int
    public var qrModules: Int
    /// Whether a seal image was drawn.
    public var sealed: Bool
    /// Whether the background image was drawn (preview mode and a template with a background).
    public var backgroundDrawn: Bool

    /// The fields that did not fit their box even at their minimum size (they overflow it).
    public var overflowing: [FieldLayout] { fields.filter { !$0.fits } }

    public func field(_ key: String) -> FieldLayout? { fields.first { $0.key == key } }
}

/// How one field's text was set.
public struct FieldLayout: Sendable, Equatable {
    public var key: String
    /// The size the text was drawn at: the template's `size_pt`, or less after shrinking.
    public var sizePt: Double
    public var lines: Int
    /// The text's extent in millimetres.
    public var width: Double
    public var height: Double
    /// Whether the text lies inside its box.
    public var fits: Bool
}
