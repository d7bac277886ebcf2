// Boxes and text styles shared by fields and static texts.
//
// Kept apart from `CertificateTemplate` so that the renderer's drawing code depends on these
// small values only, not on the template as a whole.

/// A rectangle on the page, in millimetres from the top-left corner.
public struct TemplateBox: Sendable, Equatable {
    public var x: Double
    public var y: Double
    public var width: Double
    public var height: Double

    public init(x: Double, y: Double, width: Double, height: Double) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }
}

/// A square on the page (QR code, seal): top-left corner and side, in millimetres.
public struct TemplateSquare: Sendable, Equatable {
    public var x: Double
    public var y: Double
    public var size: Double

    public init(x: Double, y: Double, size: Double) {
        self.x = x
        self.y = y
        self.size = size
    }

    public var box: TemplateBox { TemplateBox(x: x, y: y, width: size, height: size) }
}

/// How a text is set in its box.
public struct TextStyle: Sendable, Equatable {
    /// The CJK serif installed by `scripts/setup` (fonts-noto-cjk), the look of printed licences.
    public static let defaultFont = "Noto Serif CJK SC"

    /// A fontconfig family name, or a comma-separated list of them.
    public var font: String
    public var bold: Bool
    /// The size the text is set at when it fits.
    public var sizePt: Double
    /// With `shrinkToFit`, the smallest size tried before giving up and letting the text overflow.
    public var minSizePt: Double
    public var align: HorizontalAlignment
    public var verticalAlign: VerticalAlignment
    /// Reduce the size (down to `minSizePt`) until the text fits the box.
    public var shrinkToFit: Bool
    /// Wrap at the box's width (between words, or between any two CJK characters).
    public var multiline: Bool

    public init(
        font: String = TextStyle.defaultFont, bold: Bool = false, sizePt: Double, minSizePt: Double? = nil,
        align: HorizontalAlignment = .left, verticalAlign: VerticalAlignment = .middle,
        shrinkToFit: Bool = true, multiline: Bool = false
    ) {
        self.font = font
        self.bold = bold
        self.sizePt = sizePt
        self.minSizePt = minSizePt ?? min(sizePt, TextStyle.defaultMinimumSizePt)
        self.align = align
        self.verticalAlign = verticalAlign
        self.shrinkToFit = shrinkToFit
        self.multiline = multiline
    }

    /// 6 pt: still legible on a printed certificate, including CJK.
    public static let defaultMinimumSizePt = 6.0
}

public enum HorizontalAlignment: String, Sendable, Equatable, CaseIterable {
    case left, center, right
}

public enum VerticalAlignment: String, Sendable, Equatable, CaseIterable {
    case top, middle, bottom
}
