/// One kind of certificate (公共场所卫生许可证, 食品经营许可证, …): where every piece of text, the
/// QR code and the seal go on the page.
///
/// Read from `<templates>/<id>.toml` by `TemplateLoader` and never changed afterwards, so one
/// value can be shared by every rendering thread. All geometry is in millimetres from the page's
/// top-left corner, as a designer measures a pre-printed security form with a ruler; the
/// renderer converts to PDF points.
public struct CertificateTemplate: Sendable, Equatable {
    /// The file name without `.toml` (`public-health-license`); orders name their template by it.
    public var id: String
    /// What the certificate is called (`公共场所卫生许可证`), for operators and PDF metadata.
    public var title: String
    public var page: PageSize
    /// The order's values, in the order the template lists them (validation reports in this order).
    public var fields: [Field]
    /// Text printed on every certificate of this kind (title, labels such as 单位名称).
    public var texts: [StaticText]
    /// Where the anti-counterfeit QR code goes (防伪二维码).
    public var qr: TemplateSquare
    /// Where the approving department's seal image goes.
    public var seal: TemplateSquare
    /// Absolute path of an image of the pre-printed paper, drawn in preview only: halls print on
    /// security paper that already carries it.
    public var background: String?

    public init(
        id: String, title: String, page: PageSize, fields: [Field], texts: [StaticText] = [],
        qr: TemplateSquare, seal: TemplateSquare, background: String? = nil
    ) {
        self.id = id
        self.title = title
        self.page = page
        self.fields = fields
        self.texts = texts
        self.qr = qr
        self.seal = seal
        self.background = background
    }

    /// The field an order fills in under `key`.
    public func field(_ key: String) -> Field? { fields.first { $0.key == key } }

    /// A value of the order, printed in its box.
    public struct Field: Sendable, Equatable {
        /// camelCase, as the order names it (`unitName`).
        public var key: String
        /// What the operator sees (`单位名称`); used in validation messages.
        public var label: String
        /// An order without this field (or with it blank) is refused.
        public var required: Bool
        /// Longest value accepted, in characters (`Character`s, so 一 and é count as one); nil = no limit.
        public var maxLength: Int?
        public var box: TemplateBox
        public var style: TextStyle

        public init(key: String, label: String, required: Bool = true, maxLength: Int? = nil, box: TemplateBox, style: TextStyle) {
            self.key = key
            self.label = label
            self.required = required
            self.maxLength = maxLength
            self.box = box
            self.style = style
        }
    }

    /// A fixed text of the form (title, labels), printed in print mode too.
    public struct StaticText: Sendable, Equatable {
        public var text: String
        public var box: TemplateBox
        public var style: TextStyle

        public init(text: String, box: TemplateBox, style: TextStyle) {
            self.text = text
            self.box = box
            self.style = style
        }
    }
}
