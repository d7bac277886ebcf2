import Foundation
import Testing

@testable import KioskCertificates

/// The department's seal: drawn like a stamp over the text, and a clear error when its file is gone.
@Suite struct RenderSealTests {
    /// A template whose only text, big black 国 characters, sits right under the seal's star.
    static func stampTemplate() throws -> CertificateTemplate {
        try TemplateLoader.parse(
            """
            title = "盖章测试"
            width_mm = 100
            height_mm = 100

            [qr]
            x_mm = 0
            y_mm = 0
            size_mm = 20

            [seal]
            x_mm = 29
            y_mm = 29
            size_mm = 42

            [[texts]]
            text = "国国国"
            x_mm = 20
            y_mm = 40
            width_mm = 60
            height_mm = 20
            size_pt = 48
            bold = true
            align = "center"
            shrink_to_fit = false

            [[fields]]
            key = "note"
            label = "备注"
            required = false
            x_mm = 0
            y_mm = 90
            width_mm = 100
            height_mm = 10
            """, id: "stamp-test", file: "stamp-test.toml", baseDirectory: "/tmp")
    }

    /// Pixels in the seal's star (a 3 mm square around the centre) that are red ink and that are
    /// black text.
    static func starPixels(sealed: Bool) throws -> (red: Int, black: Int) {
        let folder = try RenderSupport.temporaryFolder()
        defer { RenderSupport.removeTemporaryFolder(folder) }
        let pdf = folder + "/stamp.pdf"
        try RenderSupport.renderer.render(
            template: try stampTemplate(), fields: [:], sealImage: sealed ? RenderSupport.healthSeal : nil,
            qrPayload: "stamp", to: pdf)
        let dpi = 150
        let image = try RenderSupport.pageImage(pdf, dpi: dpi)
        let perMM = Double(dpi) / 25.4
        var red = 0, black = 0
        for y in Int(48.5 * perMM)..<Int(51.5 * perMM) {
            for x in Int(48.5 * perMM)..<Int(51.5 * perMM) {
                let p = image.pixel(x: x, y: y)
                if p.red > 150 && p.green < 90 && p.blue < 90 { red += 1 }
                if p.red < 70 && p.green < 70 && p.blue < 70 { black += 1 }
            }
        }
        return (red, black)
    }

    @Test func sealOverlaysTextLikeAStamp() throws {
        let unsealed = try Self.starPixels(sealed: false)
        let sealed = try Self.starPixels(sealed: true)
        // Without the seal the text alone is there.
        #expect(unsealed.red == 0 && unsealed.black > 0)
        // With it, the star's red covers the paper and the characters still show black through
        // the ink (multiply), instead of being painted over.
        #expect(sealed.red > 0)
        #expect(sealed.black > unsealed.black / 2, "text under the seal: \(sealed) vs \(unsealed)")
    }

    @Test func missingSealFileIsAClearError() throws {
        let template = try TemplateLoader.load(path: RenderSupport.certificatesFolder + "/public-health-license.toml")
        let path = RenderSupport.certificatesFolder + "/seals/no-such-department.png"
        #expect(throws: CertificateRenderError.sealNotFound(path: path)) {
            try RenderSupport.renderer.render(
                template: template, fields: RenderSupport.healthLicenceOrder, sealImage: path,
                qrPayload: RenderSupport.qrPayload)
        }
        #expect(
            CertificateRenderError.sealNotFound(path: path).description
                == "the seal image \(path) does not exist; check the department's seal in the config")
    }

    @Test func sealThatIsNotAPNGIsRefused() throws {
        let folder = try RenderSupport.temporaryFolder()
        defer { RenderSupport.removeTemporaryFolder(folder) }
        let path = folder + "/seal.png"
        try "not an image".write(toFile: path, atomically: true, encoding: .utf8)
        #expect {
            try RenderSupport.renderer.render(
                template: try Self.stampTemplate(), fields: [:], sealImage: path, qrPayload: "x")
        } throws: { error in
            guard case .imageUnreadable(let failing, _) = error as? CertificateRenderError else { return false }
            return failing == path
        }
    }

    @Test func oneInkSealIsKeptAsAMaskAndColourImagesAsTheyAre() throws {
        let seal = DecodedImage(try PNGImage(path: RenderSupport.healthSeal, missing: .sealNotFound(path: "")))
        let ink = try #require(seal.ink, "the generated seal is one red ink")
        #expect(ink.red > 0.8 && ink.green < 0.15 && ink.blue < 0.15)

        let backgroundPath = RenderSupport.certificatesFolder + "/backgrounds/public-health-license.png"
        let background = DecodedImage(try PNGImage(path: backgroundPath, missing: .backgroundNotFound(path: "")))
        #expect(background.ink == nil)
        #expect(background.width == 413 && background.height == 585)
    }
}
