import Foundation
import KioskConfig

/// TOML → `CertificateTemplate`, checking everything that can be checked before the first order:
/// known keys only, boxes inside the page, sizes that make sense, the background image present.
///
/// Reuses KioskConfig's `TableReader`, so a template's errors look exactly like the hall
/// config's (`public-health-license.toml:14: fields[2].align: must be one of …`).
extension CertificateTemplate {
    static let rootKeys: Set<String> = [
        "title", "page", "width_mm", "height_mm", "orientation", "font", "background", "qr", "seal", "texts", "fields",
    ]
    static let boxKeys: Set<String> = ["x_mm", "y_mm", "width_mm", "height_mm"]
    static let styleKeys: Set<String> = [
        "font", "bold", "size_pt", "min_size_pt", "align", "valign", "shrink_to_fit", "multiline",
    ]
    static let fieldKeys: Set<String> = boxKeys.union(styleKeys).union(["key", "label", "required", "max_length"])
    static let textKeys: Set<String> = boxKeys.union(styleKeys).union(["text"])
    static let squareKeys: Set<String> = ["x_mm", "y_mm", "size_mm"]

    /// 12 pt: the body size of a printed licence.
    static let defaultSizePt = 12.0

    init(reading root: TableReader, id: String) throws(ConfigError) {
        try root.refuseUnknownKeys(Self.rootKeys)
        let title = try root.requiredString("title")
        let page = try Self.readPage(root)
        let font = try root.string("font") ?? TextStyle.defaultFont

        let texts = try (root.tables("texts") ?? []).map { table throws(ConfigError) in
            try table.refuseUnknownKeys(Self.textKeys)
            return StaticText(
                text: try table.requiredString("text"),
                box: try Self.readBox(table, page: page),
                style: try Self.readStyle(table, font: font))
        }

        guard let fieldTables = try root.tables("fields"), !fieldTables.isEmpty else {
            throw root.error("fields", "at least one [[fields]] table is required (the values an order fills in)")
        }
        var fields: [Field] = []
        var seen: [String: Int] = [:]
        for (index, table) in fieldTables.enumerated() {
            let field = try Self.readField(table, page: page, font: font)
            if let earlier = seen[field.key] {
                throw table.error("key", "duplicate key \"\(field.key)\", already used by fields[\(earlier)]")
            }
            seen[field.key] = index
            fields.append(field)
        }

        let qr = try Self.readSquare(root, "qr", page: page)
        let seal = try Self.readSquare(root, "seal", page: page)
        let background = try Self.readBackground(root)

        self.init(
            id: id, title: title, page: page, fields: fields, texts: texts, qr: qr, seal: seal, background: background)
    }

    // MARK: Parts

    /// `page = "A4"` or `width_mm`/`height_mm`, turned by `orientation`; A4 portrait when absent.
    private static func readPage(_ root: TableReader) throws(ConfigError) -> PageSize {
        let name = try root.string("page")
        let width = try root.positiveNumber("width_mm")
        let height = try root.positiveNumber("height_mm")
        let orientation = try root.choice("orientation", among: PageSize.Orientation.allCases)
        var page: PageSize
        if let name {
            if width != nil || height != nil {
                throw root.error(width != nil ? "width_mm" : "height_mm", "give either page or width_mm and height_mm, not both")
            }
            guard let named = PageSize.named[name.uppercased()] else {
                let known = PageSize.named.keys.sorted().map { "\"\($0)\"" }.joined(separator: ", ")
                throw root.error("page", "must be one of \(known), not \"\(name)\" (or give width_mm and height_mm)")
            }
            page = named
        } else if let width, let height {
            page = PageSize(width: width, height: height)
        } else if width != nil || height != nil {
            throw root.error(width == nil ? "width_mm" : "height_mm", "is required with \(width == nil ? "height_mm" : "width_mm")")
        } else {
            page = .a4
        }
        if let orientation { page = page.oriented(orientation) }
        return page
    }

    private static func readField(_ table: TableReader, page: PageSize, font: String) throws(ConfigError) -> Field {
        try table.refuseUnknownKeys(Self.fieldKeys)
        let key = try table.requiredString("key")
        guard Self.isFieldKey(key) else {
            throw table.error("key", "must be a camelCase name as orders use it (such as unitName), not \"\(key)\"")
        }
        return Field(
            key: key,
            label: try table.requiredString("label"),
            required: try table.bool("required") ?? true,
            maxLength: try table.int("max_length", atLeast: 1),
            box: try readBox(table, page: page),
            style: try readStyle(table, font: font))
    }

    /// A letter, then letters and digits, starting lower-case: `unitName`, `validFrom`, `item2`.
    static func isFieldKey(_ key: String) -> Bool {
        guard let first = key.unicodeScalars.first, ("a"..."z").contains(first) else { return false }
        return key.unicodeScalars.allSatisfy { scalar in
            ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
        }
    }

    private static func readBox(_ table: TableReader, page: PageSize) throws(ConfigError) -> TemplateBox {
        let box = TemplateBox(
            x: try table.requiredCoordinate("x_mm"), y: try table.requiredCoordinate("y_mm"),
            width: try table.requiredPositiveNumber("width_mm"), height: try table.requiredPositiveNumber("height_mm"))
        try checkInside(box, page: page, table: table, widthKey: "width_mm", heightKey: "height_mm")
        return box
    }

    private static func readSquare(_ root: TableReader, _ key: String, page: PageSize) throws(ConfigError) -> TemplateSquare {
        guard let table = try root.table(key) else {
            throw root.error(key, "is required: a table with x_mm, y_mm and size_mm")
        }
        try table.refuseUnknownKeys(Self.squareKeys)
        let square = TemplateSquare(
            x: try table.requiredCoordinate("x_mm"), y: try table.requiredCoordinate("y_mm"),
            size: try table.requiredPositiveNumber("size_mm"))
        try checkInside(square.box, page: page, table: table, widthKey: "size_mm", heightKey: "size_mm")
        return square
    }

    /// A box that runs off the paper is a typo in the template, and would print cut off.
    private static func checkInside(
        _ box: TemplateBox, page: PageSize, table: TableReader, widthKey: String, heightKey: String
    ) throws(ConfigError) {
        let tolerance = 0.001
        let f = PageSize.format
        if box.x + box.width > page.width + tolerance {
            throw table.error(
                widthKey,
                "the box runs past the page's right edge: x_mm \(f(box.x)) + \(widthKey) \(f(box.width)) = \(f(box.x + box.width)) mm, the page is \(page)")
        }
        if box.y + box.height > page.height + tolerance {
            throw table.error(
                heightKey,
                "the box runs past the page's bottom edge: y_mm \(f(box.y)) + \(heightKey) \(f(box.height)) = \(f(box.y + box.height)) mm, the page is \(page)")
        }
    }

    private static func readStyle(_ table: TableReader, font: String) throws(ConfigError) -> TextStyle {
        let size = try table.positiveNumber("size_pt") ?? defaultSizePt
        let minimum = try table.positiveNumber("min_size_pt")
        if let minimum, minimum > size {
            throw table.error(
                "min_size_pt", "must not be larger than size_pt (\(PageSize.format(minimum)) > \(PageSize.format(size)))")
        }
        return TextStyle(
            font: try table.string("font") ?? font,
            bold: try table.bool("bold") ?? false,
            sizePt: size,
            minSizePt: minimum,
            align: try table.choice("align", among: HorizontalAlignment.allCases) ?? .left,
            verticalAlign: try table.choice("valign", among: VerticalAlignment.allCases) ?? .middle,
            shrinkToFit: try table.bool("shrink_to_fit") ?? true,
            multiline: try table.bool("multiline") ?? false)
    }

    /// The preview image, relative to the template's folder; it must exist now, not at the first
    /// preview in front of a citizen.
    private static func readBackground(_ root: TableReader) throws(ConfigError) -> String? {
        guard let written = try root.string("background") else { return nil }
        guard written.lowercased().hasSuffix(".png") else {
            throw root.error("background", "must be a PNG image (.png), not \"\(written)\"")
        }
        let path = root.document.resolve(written)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw root.error("background", "no such file: \(path)")
        }
        return path
    }
}
