import Foundation
import Testing

@testable import KioskCertificates

/// Shared helpers of the certificate tests: the repository's folders, temporary folders, and
/// running the poppler and zbar tools.
enum RenderSupport {
    /// The repository root, found from this source file.
    static let repositoryRoot: String = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // Support
        .deletingLastPathComponent()  // KioskCertificatesTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // repository root
        .path

    /// The shipped templates, `Config/certificates`.
    static let certificatesFolder = repositoryRoot + "/Config/certificates"
    static let healthSeal = certificatesFolder + "/seals/health.png"

    /// One renderer for all tests, as the daemon keeps one.
    static let renderer = CertificateRenderer()

    /// A fresh folder under the system's temporary directory; removed by `removeTemporaryFolder`.
    static func temporaryFolder(_ name: String = #function) throws -> String {
        let safe = name.filter { $0.isLetter || $0.isNumber }
        let path = NSTemporaryDirectory() + "kioskd-certificates-\(safe)-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func removeTemporaryFolder(_ path: String) {
        if ProcessInfo.processInfo.environment["KIOSKD_KEEP_TEST_DIRS"] == nil {
            try? FileManager.default.removeItem(atPath: path)
        }
    }

    struct ProcessResult {
        var status: Int32
        var output: String
        var errors: String
    }

    /// Runs `tool` (searched in /usr/bin, /bin, /usr/local/bin) and returns its exit status and
    /// output. Both pipes are drained on their own threads before waiting, so a tool writing more
    /// than a pipe buffer cannot deadlock.
    static func run(_ tool: String, _ arguments: [String]) throws -> ProcessResult {
        let process = Process()
        let path = ["/usr/bin/", "/bin/", "/usr/local/bin/"].map { $0 + tool }
            .first { FileManager.default.isExecutableFile(atPath: $0) } ?? "/usr/bin/" + tool
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let collected = Collected()
        let group = DispatchGroup()
        for (pipe, keyPath) in [(output, \Collected.output), (errors, \Collected.errors)] {
            group.enter()
            DispatchQueue.global().async {
                let data = pipe.fileHandleForReading.readDataToEndOfFile()
                collected.set(keyPath, data)
                group.leave()
            }
        }
        group.wait()
        process.waitUntilExit()
        return ProcessResult(
            status: process.terminationStatus,
            output: String(decoding: collected.get(\.output), as: UTF8.self),
            errors: String(decoding: collected.get(\.errors), as: UTF8.self))
    }

    private final class Collected: @unchecked Sendable {
        private let lock = NSLock()
        private var values = (output: Data(), errors: Data())
        var output: Data { values.output }
        var errors: Data { values.errors }
        func set(_ keyPath: KeyPath<Collected, Data>, _ data: Data) {
            lock.lock()
            defer { lock.unlock() }
            if keyPath == \Collected.output { values.output = data } else { values.errors = data }
        }
        func get(_ keyPath: KeyPath<Collected, Data>) -> Data {
            lock.lock()
            defer { lock.unlock() }
            return self[keyPath: keyPath]
        }
    }

    /// The text poppler extracts from `pdf`, in reading order.
    static func pdfText(_ pdf: String) throws -> String {
        let result = try run("pdftotext", ["-enc", "UTF-8", pdf, "-"])
        #expect(result.status == 0, "pdftotext failed: \(result.errors)")
        return result.output
    }

    /// The first page of `pdf` rasterised by poppler at `dpi` into a PNG next to it.
    static func rasterise(_ pdf: String, dpi: Int) throws -> String {
        let prefix = pdf + "-\(dpi)"
        let result = try run("pdftoppm", ["-r", String(dpi), "-png", "-singlefile", pdf, prefix])
        #expect(result.status == 0, "pdftoppm failed: \(result.errors)")
        return prefix + ".png"
    }

    /// The page image of `pdf` at `dpi`, decoded.
    static func pageImage(_ pdf: String, dpi: Int) throws -> PNGImage {
        let png = try rasterise(pdf, dpi: dpi)
        return try PNGImage(path: png, missing: .backgroundNotFound(path: png))
    }

    /// The average colour of the `sideMM` square at (`xMM`, `yMM`) of a page image at `dpi`.
    static func averageColour(
        _ image: PNGImage, dpi: Int, xMM: Double, yMM: Double, sideMM: Double
    ) -> (red: Double, green: Double, blue: Double) {
        let scale = Double(dpi) / 25.4
        let x0 = Int(xMM * scale), y0 = Int(yMM * scale), side = max(1, Int(sideMM * scale))
        var sum = (0.0, 0.0, 0.0)
        for y in y0..<min(image.height, y0 + side) {
            for x in x0..<min(image.width, x0 + side) {
                let p = image.pixel(x: x, y: y)
                sum = (sum.0 + Double(p.red), sum.1 + Double(p.green), sum.2 + Double(p.blue))
            }
        }
        let n = Double(side * side)
        return (sum.0 / n, sum.1 / n, sum.2 / n)
    }

    /// The order of the acceptance case: a hotel in Jiulongpo applying for its licence.
    static let healthLicenceOrder: [String: String] = [
        "unitName": "重庆市九龙坡区星光大酒店有限公司",
        "legalRepresentative": "张晓明",
        "address": "重庆市九龙坡区杨家坪正街88号星光大厦1-5层",
        "licensedItems": "住宿、美容美发、游泳场所",
        "licenseNumber": "渝九卫公证字〔2025〕第000123号",
        "validFrom": "2025年3月18日",
        "validTo": "2029年3月17日",
    ]

    /// A QR payload of realistic size: a format tag, the hall, the certificate number and a
    /// 96-byte signature block, base64url-encoded (158 characters).
    static let qrPayload =
        "KC1.500107-01.PHL-2025-000123."
        + "eM_uZdpCTTFzKd_cRK0oW4P7muRudajCi9RJJIbdxJ1Z0m3T1iitlbJz1Wl72N6R08R4RvUz9bMnTmmaqGzugEvE51Dj2mXlyNrsvNcG8cL9cD7QGec0Adhc1i4Lf3P_"
}
