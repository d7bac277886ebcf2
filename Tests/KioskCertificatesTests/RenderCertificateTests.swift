import Foundation
import Testing

@testable import KioskCertificates

/// The public-health licence rendered to PDF and read back with poppler and zbar, as a printer
/// and a citizen's phone would see it.
@Suite struct RenderCertificateTests {
    static func template() throws -> CertificateTemplate {
        try TemplateLoader.load(path: RenderSupport.certificatesFolder + "/public-health-license.toml")
    }

    /// Renders `order` into `folder/name.pdf` and returns the path and the layout.
    static func render(
        _ template: CertificateTemplate, _ order: [String: String], into folder: String, name: String = "certificate",
        mode: RenderMode = .print, seal: String? = RenderSupport.healthSeal
    ) throws -> (path: String, layout: CertificateLayout) {
        let path = folder + "/\(name).pdf"
        let layout = try RenderSupport.renderer.render(
            template: template, fields: order, sealImage: seal, qrPayload: RenderSupport.qrPayload, mode: mode, to: path)
        return (path, layout)
    }

    /// Text without any whitespace: pdftotext breaks wrapped lines and may space out glyphs.
    static func squeezed(_ text: String) -> String { text.filter { !$0.isWhitespace } }

    @Test func everyFieldValueIsInThePDFText() throws {
        let folder = try RenderSupport.temporaryFolder()
        defer { RenderSupport.removeTemporaryFolder(folder) }
        let (pdf, layout) = try Self.render(Self.template(), RenderSupport.healthLicenceOrder, into: folder)

        let data = try Data(contentsOf: URL(fileURLWithPath: pdf))
        #expect(data.starts(with: Array("%PDF-".utf8)))
        let text = Self.squeezed(try RenderSupport.pdfText(pdf))
        for (key, value) in RenderSupport.healthLicenceOrder {
            #expect(text.contains(Self.squeezed(value)), "\(key) = \(value) is not in the PDF text")
        }
        // The fixed texts print too.
        for label in ["公共场所卫生许可证", "单位名称", "法定代表人", "许可项目", "发证机关（盖章）"] {
            #expect(text.contains(label), "\(label) is not in the PDF text")
        }
        #expect(layout.fields.map(\.key).sorted() == RenderSupport.healthLicenceOrder.keys.sorted())
        #expect(layout.overflowing.isEmpty)
        #expect(layout.sealed)
        #expect(!layout.backgroundDrawn)
    }

    @Test func qrCodeDecodesToThePayload() throws {
        let folder = try RenderSupport.temporaryFolder()
        defer { RenderSupport.removeTemporaryFolder(folder) }
        let (pdf, layout) = try Self.render(Self.template(), RenderSupport.healthLicenceOrder, into: folder)
        let png = try RenderSupport.rasterise(pdf, dpi: 200)
        let result = try RenderSupport.run("zbarimg", ["--raw", "-q", png])
        #expect(result.status == 0, "zbarimg found no code: \(result.errors)")
        #expect(result.output.trimmingCharacters(in: .newlines) == RenderSupport.qrPayload)
        // 158 bytes at level M need version 8 (49 modules).
        #expect(layout.qrVersion == 8 && layout.qrModules == 49)
    }

    @Test func backgroundIsDrawnInPreviewOnly() throws {
        let folder = try RenderSupport.temporaryFolder()
        defer { RenderSupport.removeTemporaryFolder(folder) }
        let template = try Self.template()
        let printed = try Self.render(template, RenderSupport.healthLicenceOrder, into: folder, name: "print", mode: .print)
        let preview = try Self.render(template, RenderSupport.healthLicenceOrder, into: folder, name: "preview", mode: .preview)
        #expect(!printed.layout.backgroundDrawn)
        #expect(preview.layout.backgroundDrawn)

        // The page margin (3 mm in) is bare paper in print and the cream security paper in preview.
        let dpi = 40
        let printMargin = RenderSupport.averageColour(
            try RenderSupport.pageImage(printed.path, dpi: dpi), dpi: dpi, xMM: 3, yMM: 3, sideMM: 4)
        let previewMargin = RenderSupport.averageColour(
            try RenderSupport.pageImage(preview.path, dpi: dpi), dpi: dpi, xMM: 3, yMM: 3, sideMM: 4)
        #expect(printMargin.red > 250 && printMargin.green > 250 && printMargin.blue > 250, "print margin: \(printMargin)")
        #expect(previewMargin.red - previewMargin.blue > 15, "preview margin: \(previewMargin)")
        // The rest of the certificate is the same in both.
        let printText = Self.squeezed(try RenderSupport.pdfText(printed.path))
        #expect(printText == Self.squeezed(try RenderSupport.pdfText(preview.path)))
    }

    @Test func longUnitNameShrinksAndStaysInItsBox() throws {
        let folder = try RenderSupport.temporaryFolder()
        defer { RenderSupport.removeTemporaryFolder(folder) }
        let template = try Self.template()
        let name = "重庆市九龙坡区杨家坪星光大酒店餐饮娱乐住宿综合服务管理有限责任公司黄桷坪一分公司"  // 40 characters
        #expect(name.count == 40)
        var order = RenderSupport.healthLicenceOrder
        order["unitName"] = name
        let (pdf, layout) = try Self.render(template, order, into: folder)

        let field = try #require(layout.field("unitName"))
        let box = try #require(template.field("unitName")).box
        #expect(field.sizePt < 15, "a 40-character name does not fit 120 mm at 15 pt")
        #expect(field.sizePt >= 8)
        #expect(field.fits && field.lines == 1)
        #expect(field.width <= box.width + 0.01)
        #expect(layout.field("legalRepresentative")?.sizePt == 15, "short values keep their size")

        // Poppler finds the whole name, and every glyph of it lies inside the box.
        #expect(Self.squeezed(try RenderSupport.pdfText(pdf)).contains(name))
        let words = try Self.words(pdf).filter { word in word.text.allSatisfy { name.contains($0) } && word.text.count > 1 }
        #expect(words.map(\.text).joined() == name)
        let pointsPerMM = 72 / 25.4, slack = 1.0
        for word in words {
            #expect(word.xMin >= box.x * pointsPerMM - slack && word.xMax <= (box.x + box.width) * pointsPerMM + slack)
            #expect(word.yMin >= box.y * pointsPerMM - slack && word.yMax <= (box.y + box.height) * pointsPerMM + slack)
        }
    }

    @Test func textTooLongForTheMinimumSizeIsReportedAsOverflowing() throws {
        var template = try Self.template()
        template.fields[1].maxLength = nil  // unitName
        var order = RenderSupport.healthLicenceOrder
        order["unitName"] = String(repeating: "星光大酒店", count: 20)
        let rendered = try RenderSupport.renderer.render(
            template: template, fields: order, sealImage: nil, qrPayload: RenderSupport.qrPayload)
        let field = try #require(rendered.layout.field("unitName"))
        #expect(!field.fits)
        #expect(field.sizePt == 8)
        #expect(rendered.layout.overflowing.map(\.key) == ["unitName"])
    }

    @Test func multilineFieldWraps() throws {
        let template = try Self.template()
        var order = RenderSupport.healthLicenceOrder
        order["licensedItems"] = "住宿、美容美发、游泳场所、沐浴场所、商场（店）、候车（机、船）室、公共浴室、歌舞厅、游艺厅、体育场（馆）"
        let rendered = try RenderSupport.renderer.render(
            template: template, fields: order, sealImage: RenderSupport.healthSeal, qrPayload: RenderSupport.qrPayload)
        let field = try #require(rendered.layout.field("licensedItems"))
        #expect(field.lines >= 2)
        #expect(field.fits)
        #expect(field.width <= 120.01)
    }

    @Test func secondTemplateRenders() throws {
        let folder = try RenderSupport.temporaryFolder()
        defer { RenderSupport.removeTemporaryFolder(folder) }
        let template = try TemplateLoader.load(path: RenderSupport.certificatesFolder + "/food-business-license.toml")
        let order = [
            "operatorName": "重庆市九龙坡区老街小面馆", "creditCode": "92500107MA5U8XQ21K", "legalRepresentative": "李红",
            "residence": "重庆市九龙坡区黄桷坪正街12号", "businessPremises": "重庆市九龙坡区黄桷坪正街12号1楼",
            "mainBusiness": "餐饮服务经营者（小型餐馆）", "businessItems": "热食类食品制售；冷食类食品制售（简单制售）",
            "validTo": "2030年5月31日", "licenseNumber": "JY25001070012345", "issueDate": "2025年6月1日",
            "supervisor": "九龙坡区市场监督管理局黄桷坪所",
        ]
        let (pdf, layout) = try Self.render(template, order, into: folder, seal: nil)
        let text = Self.squeezed(try RenderSupport.pdfText(pdf))
        for (key, value) in order {
            #expect(text.contains(Self.squeezed(value)), "\(key) = \(value) is not in the PDF text")
        }
        #expect(layout.overflowing.isEmpty)
        #expect(!layout.sealed)
    }

    // MARK: pdftotext -bbox

    struct Word {
        var text: String
        var xMin: Double, yMin: Double, xMax: Double, yMax: Double
    }

    /// The words poppler finds with their boxes in points (`pdftotext -bbox`).
    static func words(_ pdf: String) throws -> [Word] {
        let result = try RenderSupport.run("pdftotext", ["-bbox", "-enc", "UTF-8", pdf, "-"])
        #expect(result.status == 0)
        var words: [Word] = []
        for line in result.output.split(separator: "\n") where line.contains("<word ") {
            func attribute(_ name: String) -> Double? {
                guard let range = line.range(of: name + "=\"") else { return nil }
                let rest = line[range.upperBound...]
                return rest.firstIndex(of: "\"").flatMap { Double(rest[..<$0]) }
            }
            guard let open = line.firstIndex(of: ">"), let close = line.range(of: "</word>"),
                let xMin = attribute("xMin"), let yMin = attribute("yMin"), let xMax = attribute("xMax"),
                let yMax = attribute("yMax")
            else { continue }
            let text = String(line[line.index(after: open)..<close.lowerBound])
            words.append(Word(text: text, xMin: xMin, yMin: yMin, xMax: xMax, yMax: yMax))
        }
        return words
    }
}
