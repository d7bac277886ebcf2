import Foundation
import Testing

@testable import KioskCertificates

/// The images the project draws itself: the demo department's seal and the preview background.
///
/// `KIOSKD_REGENERATE_ASSETS=1 swift test --filter RenderAssetsTests` rewrites the shipped files
/// in `Config/certificates/` from the drawing code.
@Suite struct RenderAssetsTests {
    static let sealName = "重庆市九龙坡区卫生健康委员会"
    static let sealSubtitle = "行政审批专用章"

    static var regenerate: Bool { ProcessInfo.processInfo.environment["KIOSKD_REGENERATE_ASSETS"] == "1" }

    // Rewrites shipped files, so it runs only when asked (KIOSKD_REGENERATE_ASSETS=1); otherwise
    // it shows as skipped.
    @Test(.enabled(if: RenderAssetsTests.regenerate, "rewrites Config/certificates/: set KIOSKD_REGENERATE_ASSETS=1 to run it"))
    func regenerateShippedAssetsWhenAsked() throws {
        try SealDrawing.writePNG(name: Self.sealName, subtitle: Self.sealSubtitle, to: RenderSupport.healthSeal)
        let background = try BackgroundDrawing.png(page: .a4)
        try background.write(
            to: URL(fileURLWithPath: RenderSupport.certificatesFolder + "/backgrounds/public-health-license.png"))
    }

    @Test func sealIsARedRingAndStarOnTransparentGround() throws {
        let folder = try RenderSupport.temporaryFolder()
        defer { RenderSupport.removeTemporaryFolder(folder) }
        let path = folder + "/seal.png"
        try SealDrawing.writePNG(name: Self.sealName, subtitle: Self.sealSubtitle, to: path)
        let seal = try PNGImage(path: path, missing: .sealNotFound(path: path))

        // 42 mm at 300 dpi.
        #expect(seal.width == 496 && seal.height == 496)
        let perMM = Double(seal.width) / 42
        func at(_ x: Double, _ y: Double) -> (red: Int, green: Int, blue: Int, alpha: Int) {
            seal.pixel(x: Int(x * perMM), y: Int(y * perMM))
        }
        func isRedInk(_ p: (red: Int, green: Int, blue: Int, alpha: Int)) -> Bool {
            p.alpha > 200 && p.red > 180 && p.green < 60 && p.blue < 60
        }
        // Corners outside the ring are transparent: the paper shows through.
        #expect(at(1, 1).alpha == 0)
        #expect(at(41, 41).alpha == 0)
        // The ring (0.15 … 1.35 mm in from the edge) is red at the top, bottom, left and right.
        #expect(isRedInk(at(21, 0.75)))
        #expect(isRedInk(at(21, 41.25)))
        #expect(isRedInk(at(0.75, 21)))
        #expect(isRedInk(at(41.25, 21)))
        // The star's middle is filled; between star and ring at the sides it is clear.
        #expect(isRedInk(at(21, 21)))
        #expect(at(21 + 9.5, 21).alpha == 0)
        // Characters along the top arc and the subtitle under the star left ink.
        #expect(Self.inkFraction(seal, x: 12 * perMM, y: 3 * perMM, width: 18 * perMM, height: 6 * perMM) > 0.1)
        #expect(Self.inkFraction(seal, x: 9 * perMM, y: 30 * perMM, width: 24 * perMM, height: 4.5 * perMM) > 0.1)
    }

    @Test func shippedSealIsTheDrawnOne() throws {
        let shipped = try PNGImage(path: RenderSupport.healthSeal, missing: .sealNotFound(path: RenderSupport.healthSeal))
        let drawn = try SealDrawing.png(name: Self.sealName, subtitle: Self.sealSubtitle)
        let folder = try RenderSupport.temporaryFolder()
        defer { RenderSupport.removeTemporaryFolder(folder) }
        try drawn.write(to: URL(fileURLWithPath: folder + "/seal.png"))
        let fresh = try PNGImage(path: folder + "/seal.png", missing: .sealNotFound(path: folder + "/seal.png"))
        #expect(shipped.width == fresh.width && shipped.height == fresh.height)
        // Same ink in the same places (a font update may move a few edge pixels, not more).
        var differing = 0
        for y in stride(from: 0, to: fresh.height, by: 2) {
            for x in stride(from: 0, to: fresh.width, by: 2) where (shipped.pixel(x: x, y: y).alpha > 127) != (fresh.pixel(x: x, y: y).alpha > 127) {
                differing += 1
            }
        }
        #expect(differing < fresh.width * fresh.height / 4 / 100, "the shipped seal differs from SealDrawing; regenerate it")
    }

    @Test func backgroundIsATintedSmallImage() throws {
        let data = try BackgroundDrawing.png(page: .a4)
        #expect(data.count < 200_000)
        let folder = try RenderSupport.temporaryFolder()
        defer { RenderSupport.removeTemporaryFolder(folder) }
        try data.write(to: URL(fileURLWithPath: folder + "/bg.png"))
        let image = try PNGImage(path: folder + "/bg.png", missing: .backgroundNotFound(path: folder + "/bg.png"))
        let corner = image.pixel(x: 2, y: 2)
        #expect(corner.red > 230 && corner.blue < 235 && corner.red - corner.blue > 15, "cream paper, not white")
    }

    /// The share of pixels in a rectangle that carry ink (alpha over half).
    static func inkFraction(_ image: PNGImage, x: Double, y: Double, width: Double, height: Double) -> Double {
        var inked = 0, total = 0
        for row in Int(y)..<Int(y + height) {
            for column in Int(x)..<Int(x + width) {
                total += 1
                if image.pixel(x: column, y: row).alpha > 127 { inked += 1 }
            }
        }
        return Double(inked) / Double(max(1, total))
    }
}
