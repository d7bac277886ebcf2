import Foundation
import KioskConfig
import Testing

@testable import KioskCertificates

/// `Config/certificates/*.toml` load, and broken templates are refused with file:line:key.
@Suite struct TemplateLoadingTests {
    // MARK: The shipped templates

    @Test func shippedTemplatesLoad() throws {
        let templates = try TemplateLoader.loadFolder(RenderSupport.certificatesFolder)
        #expect(templates.map(\.id) == ["food-business-license", "public-health-license"])
    }

    @Test func publicHealthLicenceHasItsFieldsAndBoxes() throws {
        let template = try TemplateLoader.load(path: RenderSupport.certificatesFolder + "/public-health-license.toml")
        #expect(template.id == "public-health-license")
        #expect(template.title == "公共场所卫生许可证")
        #expect(template.page == PageSize(width: 210, height: 297))
        #expect(
            Set(template.fields.map(\.key))
                == ["unitName", "legalRepresentative", "address", "licensedItems", "licenseNumber", "validFrom", "validTo"])
        #expect(template.fields.allSatisfy { $0.required })

        let unitName = try #require(template.field("unitName"))
        #expect(unitName.label == "单位名称")
        #expect(unitName.maxLength == 40)
        #expect(unitName.box == TemplateBox(x: 70, y: 82, width: 120, height: 12))
        #expect(unitName.style.font == "Noto Serif CJK SC")
        #expect(unitName.style.sizePt == 15 && unitName.style.minSizePt == 8)
        #expect(unitName.style.shrinkToFit && !unitName.style.multiline)

        let address = try #require(template.field("address"))
        #expect(address.style.multiline)
        #expect(template.field("validTo")?.style.align == .center)
        #expect(template.field("licensedItems")?.style.verticalAlign == .top)

        #expect(template.qr == TemplateSquare(x: 28, y: 208, size: 34))
        #expect(template.seal == TemplateSquare(x: 131, y: 204, size: 42))
        #expect(template.texts.first?.text == "公共场所卫生许可证")
        #expect(template.texts.first?.style.bold == true)
        #expect(template.texts.map(\.text).contains("单位名称"))
        #expect(template.background == RenderSupport.certificatesFolder + "/backgrounds/public-health-license.png")
    }

    @Test func foodBusinessLicenceIsLandscapeWithAnOptionalField() throws {
        let template = try TemplateLoader.load(path: RenderSupport.certificatesFolder + "/food-business-license.toml")
        #expect(template.title == "食品经营许可证")
        #expect(template.page == PageSize(width: 297, height: 210))
        #expect(template.field("supervisor")?.required == false)
        #expect(template.field("businessItems")?.style.multiline == true)
        #expect(template.background == nil)
    }

    // MARK: Broken templates

    /// A valid template of 20 lines; tests append to its `[[fields]]` table from line 21.
    static let minimal = """
        title = "测试证"
        page = "A4"

        [qr]
        x_mm = 10
        y_mm = 250
        size_mm = 30

        [seal]
        x_mm = 150
        y_mm = 240
        size_mm = 42

        [[fields]]
        key = "unitName"
        label = "单位名称"
        x_mm = 30
        y_mm = 50
        width_mm = 150
        height_mm = 12

        """

    /// The error loading `text` as `<tmp>/<name>` gives, checked to name that file.
    static func refusal(
        _ text: String, name: String = "test-card.toml", sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> ConfigError? {
        let folder = try RenderSupport.temporaryFolder()
        defer { RenderSupport.removeTemporaryFolder(folder) }
        try text.write(toFile: folder + "/" + name, atomically: true, encoding: .utf8)
        do {
            let templates = try TemplateLoader.loadFolder(folder)
            Issue.record("expected a refusal, but loaded \(templates)", sourceLocation: sourceLocation)
            return nil
        } catch {
            #expect(error.file == folder + "/" + name, sourceLocation: sourceLocation)
            return error
        }
    }

    @Test func minimalTemplateLoadsWithDefaults() throws {
        let template = try TemplateLoader.parse(Self.minimal, id: "test-card", file: "test-card.toml", baseDirectory: "/tmp")
        #expect(template.page == .a4)
        let field = try #require(template.fields.first)
        #expect(field.required && field.maxLength == nil)
        #expect(field.style == TextStyle(font: "Noto Serif CJK SC", sizePt: 12, minSizePt: 6))
    }

    @Test func unknownKeyIsRefusedWithASuggestion() throws {
        let error = try Self.refusal(Self.minimal + "size_pt = 14\nalignn = \"center\"\n")
        #expect(error?.line == 22)
        #expect(error?.key == "fields[0].alignn")
        #expect(error?.message == "unknown key; did you mean align?")
        #expect(error?.description.hasSuffix("test-card.toml:22: fields[0].alignn: unknown key; did you mean align?") == true)
    }

    @Test func unknownTopLevelKeyIsRefused() throws {
        let error = try Self.refusal("titel = \"x\"\n" + Self.minimal)
        #expect(error?.line == 1)
        #expect(error?.key == "titel")
        #expect(error?.message == "unknown key; did you mean title?")
    }

    @Test func missingKeyPointsAtItsTable() throws {
        let text = Self.minimal + """
            [[fields]]
            key = "address"
            label = "地址"
            y_mm = 70
            width_mm = 150
            height_mm = 12
            """
        let error = try Self.refusal(text)
        #expect(error?.line == 21)
        #expect(error?.key == "fields[1].x_mm")
        #expect(error?.message == "is required")
    }

    @Test func missingQRTableIsRefused() throws {
        let text = Self.minimal.replacingOccurrences(of: "[qr]\nx_mm = 10\ny_mm = 250\nsize_mm = 30\n", with: "")
        let error = try Self.refusal(text)
        #expect(error?.key == "qr")
        #expect(error?.message.hasPrefix("is required") == true)
    }

    @Test func badAlignmentIsRefused() throws {
        let error = try Self.refusal(Self.minimal + "align = \"middle\"\n")
        #expect(error?.line == 21)
        #expect(error?.key == "fields[0].align")
        #expect(error?.message == "must be one of \"left\", \"center\", \"right\", not \"middle\"")
    }

    @Test func negativeSizeIsRefused() throws {
        let error = try Self.refusal(Self.minimal + "size_pt = -3\n")
        #expect(error?.line == 21)
        #expect(error?.key == "fields[0].size_pt")
        #expect(error?.message == "must be greater than 0, not -3")
    }

    @Test func negativeBoxWidthIsRefused() throws {
        let text = Self.minimal.replacingOccurrences(of: "width_mm = 150", with: "width_mm = -150.5")
        let error = try Self.refusal(text)
        #expect(error?.line == 19)
        #expect(error?.key == "fields[0].width_mm")
        #expect(error?.message == "must be greater than 0, not -150.5")
    }

    @Test func boxOutsideThePageIsRefused() throws {
        let text = Self.minimal.replacingOccurrences(of: "x_mm = 150\ny_mm = 240", with: "x_mm = 180\ny_mm = 240")
        let error = try Self.refusal(text)
        #expect(error?.line == 12)
        #expect(error?.key == "seal.size_mm")
        #expect(error?.message.contains("right edge") == true)
        #expect(error?.message.contains("210 × 297 mm") == true)
    }

    @Test func textInsteadOfNumberIsRefused() throws {
        let error = try Self.refusal(Self.minimal + "size_pt = \"14\"\n")
        #expect(error?.key == "fields[0].size_pt")
        #expect(error?.message == "expected a number (such as 25 or 12.5), found string \"14\"")
    }

    @Test func minimumLargerThanSizeIsRefused() throws {
        let error = try Self.refusal(Self.minimal + "size_pt = 10\nmin_size_pt = 12\n")
        #expect(error?.line == 22)
        #expect(error?.key == "fields[0].min_size_pt")
    }

    @Test func duplicateFieldKeyIsRefused() throws {
        let text = Self.minimal + """
            [[fields]]
            key = "unitName"
            label = "单位名称"
            x_mm = 30
            y_mm = 70
            width_mm = 150
            height_mm = 12
            """
        let error = try Self.refusal(text)
        #expect(error?.line == 22)
        #expect(error?.key == "fields[1].key")
        #expect(error?.message == "duplicate key \"unitName\", already used by fields[0]")
    }

    @Test func fieldKeyMustBeCamelCase() throws {
        let text = Self.minimal.replacingOccurrences(of: "key = \"unitName\"", with: "key = \"unit_name\"")
        let error = try Self.refusal(text)
        #expect(error?.line == 15)
        #expect(error?.key == "fields[0].key")
    }

    @Test func unknownPageSizeIsRefused() throws {
        let error = try Self.refusal(Self.minimal.replacingOccurrences(of: "page = \"A4\"", with: "page = \"A6\""))
        #expect(error?.line == 2)
        #expect(error?.key == "page")
        #expect(error?.message.hasPrefix("must be one of \"A3\", \"A4\"") == true)
    }

    @Test func landscapeTurnsThePage() throws {
        let template = try TemplateLoader.parse(
            Self.minimal.replacingOccurrences(of: "page = \"A4\"", with: "page = \"A4\"\norientation = \"landscape\"")
                .replacingOccurrences(of: "y_mm = 250", with: "y_mm = 170")
                .replacingOccurrences(of: "y_mm = 240", with: "y_mm = 160"),
            id: "test-card", file: "test-card.toml", baseDirectory: "/tmp")
        #expect(template.page == PageSize(width: 297, height: 210))
        // The same box is refused on the portrait page, where it runs off the bottom.
        let error = try Self.refusal(Self.minimal.replacingOccurrences(of: "y_mm = 240", with: "y_mm = 270"))
        #expect(error?.key == "seal.size_mm")
        #expect(error?.message.contains("bottom edge") == true)
    }

    @Test func missingBackgroundImageIsRefusedAtLoad() throws {
        let error = try Self.refusal("background = \"backgrounds/none.png\"\n" + Self.minimal)
        #expect(error?.line == 1)
        #expect(error?.key == "background")
        #expect(error?.message.hasPrefix("no such file: ") == true)
        #expect(error?.message.hasSuffix("/backgrounds/none.png") == true)
    }

    @Test func syntaxErrorNamesTheLine() throws {
        let error = try Self.refusal(Self.minimal + "size_pt 14\n")
        #expect(error?.line == 21)
        #expect(error?.message.hasPrefix("invalid TOML") == true)
    }

    @Test func fileNameMustBeATemplateId() throws {
        let error = try Self.refusal(Self.minimal, name: "Test Card.toml")
        #expect(error?.line == nil)
        #expect(error?.message.contains("template id") == true)
    }

    @Test func missingFolderIsReported() {
        #expect(throws: ConfigError.self) { try TemplateLoader.loadFolder("/nonexistent/certificates") }
    }
}
