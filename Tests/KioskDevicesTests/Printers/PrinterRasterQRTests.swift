import Foundation
import KioskTestSupport
import Testing

@testable import KioskDevices

/// Raster QR codes (`GS v 0`) for printers without `GS ( k`, computed with libqrencode.
@Suite("Raster QR for printers without a QR engine (PrinterRasterQRTests)")
struct PrinterRasterQRTests {
    static let rasterProfile = PrinterProfile(name: "raster", paperWidthDots: 384, nativeQR: false)

    /// Splits the `GS v 0` command off `bytes` at `start`: header fields and the image data.
    static func parse(_ bytes: [UInt8], at start: Int) -> (m: UInt8, bytesWide: Int, rows: Int, data: [UInt8])? {
        guard start + 8 <= bytes.count, Array(bytes[start..<(start + 3)]) == [0x1D, 0x76, 0x30] else { return nil }
        let m = bytes[start + 3]
        let x = Int(bytes[start + 4]) + Int(bytes[start + 5]) * 256
        let y = Int(bytes[start + 6]) + Int(bytes[start + 7]) * 256
        guard start + 8 + x * y <= bytes.count else { return nil }
        return (m, x, y, Array(bytes[(start + 8)..<(start + 8 + x * y)]))
    }

    static func dot(_ data: [UInt8], bytesWide: Int, x: Int, y: Int) -> Bool {
        data[y * bytesWide + x / 8] & (0x80 >> UInt8(x % 8)) != 0
    }

    @Test func headerAndBitmapDecodeBackToTheMatrix() throws {
        let qr = try QRCode(Fixtures.payload, moduleSize: 6)
        let encoder = PrinterJobEncoder(profile: Self.rasterProfile)
        let bytes = try encoder.encode([.align(.center), .qrCode(qr)])
        #expect(Array(bytes.prefix(3)) == [0x1B, 0x61, 0x01])
        #expect(!bytes.contains(run: [0x1D, 0x28, 0x6B]))  // no native QR command at all
        let image = try #require(Self.parse(bytes, at: 3))
        #expect(image.m == 0)
        #expect(bytes.count == 3 + 8 + image.bytesWide * image.rows)

        let matrix = try QRMatrix(qr)
        // A 39-byte payload at level M needs version 3 (29 modules), drawn 6 dots per module.
        #expect(matrix.version == 3 && matrix.width == 29)
        let scale = 6
        #expect(image.rows == matrix.width * scale)
        #expect(image.bytesWide == (matrix.width * scale + 7) / 8)
        for my in 0..<matrix.width {
            for mx in 0..<matrix.width {
                // Every dot of the module has the module's colour.
                for (dx, dy) in [
                    (0, 0), (scale - 1, 0), (0, scale - 1), (scale - 1, scale - 1), (scale / 2, scale / 2),
                ] {
                    let black = Self.dot(image.data, bytesWide: image.bytesWide, x: mx * scale + dx, y: my * scale + dy)
                    if black != matrix.isDark(x: mx, y: my) {
                        Issue.record("module (\(mx), \(my)) dot (\(dx), \(dy)) differs")
                        return
                    }
                }
            }
        }
        // Padding bits past the right edge are white.
        let width = matrix.width * scale
        for y in 0..<image.rows {
            for x in width..<(image.bytesWide * 8) {
                #expect(!Self.dot(image.data, bytesWide: image.bytesWide, x: x, y: y))
            }
        }
    }

    /// Checked against ISO/IEC 18004 itself, not libqrencode: the three finder patterns are
    /// 7×7 (black ring, white ring, black 3×3 core) with a white separator toward the symbol.
    @Test func finderPatternsSitInThreeCorners() throws {
        let qr = try QRCode("kioskd:ticket:500107-01:2026-11-21:A001", moduleSize: 4)
        let image = try PrinterJobEncoder(profile: Self.rasterProfile).rasterQR(qr)
        let scale = 4
        let modules = image.width / scale
        #expect(image.width == image.height && modules >= 21 && (modules - 17) % 4 == 0)
        func module(_ x: Int, _ y: Int) -> Bool { image.isBlack(x: x * scale + scale / 2, y: y * scale + scale / 2) }
        for (ox, oy) in [(0, 0), (modules - 7, 0), (0, modules - 7)] {
            for y in 0..<7 {
                for x in 0..<7 {
                    let ring = max(abs(x - 3), abs(y - 3))  // 3 outer, 2 white, ≤1 core
                    #expect(module(ox + x, oy + y) == (ring != 2), "finder at (\(ox), \(oy)) module (\(x), \(y))")
                }
            }
        }
        // Separators: row 7 / column 7 next to the top-left pattern, and their mirrors.
        for i in 0..<8 {
            #expect(!module(i, 7) && !module(7, i))
            #expect(!module(modules - 1 - i, 7) && !module(modules - 8, i))
            #expect(!module(i, modules - 8) && !module(7, modules - 1 - i))
        }
        // The bottom-right corner has no finder pattern (its 7×7 square is not all black on the rim).
        let rim = (0..<7).allSatisfy { module(modules - 1 - $0, modules - 1) && module(modules - 1, modules - 1 - $0) }
        #expect(!rim)
    }

    @Test func theCodeIsShrunkToFitThePaper() throws {
        // A long payload needs a large version: at 6 dots per module it would not fit 384 dots.
        let qr = try QRCode(String(repeating: "kioskd-", count: 60), moduleSize: 6)
        let encoder = PrinterJobEncoder(profile: Self.rasterProfile)
        let image = try encoder.rasterQR(qr)
        #expect(image.width <= 384)
        let matrix = try QRMatrix(qr)
        #expect(image.width == matrix.width * encoder.rasterScale(for: matrix, moduleSize: 6))
    }

    @Test func aRasterTicketOverThePtyCarriesTheImage() async throws {
        let fake = try FakePtyPrinter()
        let printer = PrinterPtyTests.printer(fake, profile: Self.rasterProfile)
        let slip = Fixtures.slip()
        try await printer.printTicket(slip)
        let expected = try printer.bytes(for: slip)
        let got = fake.waitForCut()
        #expect(got == statusRound + expected)
        let start = try #require(expected.firstIndex(of: 0x76).map { $0 - 1 })
        let image = try #require(Self.parse(expected, at: start))
        #expect(image.rows == 29 * 6)
        // The renderer (the simulated printer's reader) sees an image where the QR code was.
        let lines = ESCPOSRenderer(paperWidthDots: 384).render(expected)
        #expect(lines.contains { $0.contains("[image 176x174]") })
        printer.close()
    }
}
