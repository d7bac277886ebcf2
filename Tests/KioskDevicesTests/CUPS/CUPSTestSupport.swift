import Foundation
import KioskTestSupport

@testable import KioskDevices

/// Small helpers of the CUPS tests.
enum CUPSTestSupport {
    /// A one-page A4 PDF showing `text` in Helvetica (ASCII only), with a correct xref table so
    /// CUPS's pdftopdf and poppler read it without repairs.
    static func pdf(_ text: String) -> Data {
        let escaped = text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "(", with: "\\(")
            .replacingOccurrences(of: ")", with: "\\)")
        let stream = "BT /F1 24 Tf 72 760 Td (\(escaped)) Tj ET"
        let objects = [
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
                + "/Resources << /Font << /F1 5 0 R >> >> >>",
            "<< /Length \(stream.utf8.count) >>\nstream\n\(stream)\nendstream",
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        ]
        var out = "%PDF-1.4\n"
        var offsets: [Int] = []
        for (i, o) in objects.enumerated() {
            offsets.append(out.utf8.count)
            out += "\(i + 1) 0 obj\n\(o)\nendobj\n"
        }
        let xref = out.utf8.count
        out += "xref\n0 \(objects.count + 1)\n0000000000 65535 f \n"
        for o in offsets {
            let s = String(o)
            out += String(repeating: "0", count: 10 - s.count) + s + " 00000 n \n"
        }
        out += "trailer\n<< /Size \(objects.count + 1) /Root 1 0 R >>\nstartxref\n\(xref)\n%%EOF\n"
        return Data(out.utf8)
    }

    /// Writes `pdf(text)` into `dir` and returns its path.
    static func pdfFile(_ text: String, in dir: String) throws -> String {
        let path = dir + "/\(UUID().uuidString.prefix(8)).pdf"
        try pdf(text).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// The text poppler's pdftotext reads from the PDF at `path` ("" when it cannot).
    static func pdfText(_ path: String) -> String {
        PrivateCUPS.exec("pdftotext", [path, "-"], extraEnv: [:]).1
    }

    /// A fresh attempt id, as the pipeline would name a job.
    static func attemptID() -> String { "attempt-\(UUID().uuidString.prefix(13).lowercased())" }

    /// Polls `probe` every 50 ms until it returns a value or `timeout` passes (then the last nil).
    static func eventually<T: Sendable>(
        timeout: Duration = .seconds(15), _ probe: () async -> T?
    ) async -> T? {
        let deadline = ContinuousClock.now + timeout
        while true {
            if let v = await probe() { return v }
            if ContinuousClock.now >= deadline { return nil }
            try? await Task.sleep(for: .milliseconds(50))
        }
    }

    /// Job `id` once `done` holds for it, or nil after `timeout`.
    static func job(
        _ id: Int, on connection: CUPSConnection, timeout: Duration = .seconds(15),
        until done: @escaping (CUPSJob) -> Bool = { $0.state.isFinal }
    ) async -> CUPSJob? {
        await eventually(timeout: timeout) {
            guard let j = try? await connection.job(id), done(j) else { return nil }
            return j
        }
    }
}
