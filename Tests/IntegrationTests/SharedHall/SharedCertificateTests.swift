import Foundation
import KioskClient
import KioskProtocol
import KioskTestSupport
import Testing

/// The certificate pipeline on a shared hall database: orders taken on any terminal are printed
/// once — by the one daemon holding the pipeline's lease — and another takes over when it dies;
/// a certificate signed at one terminal verifies at any other.
@Suite(.serialized) struct SharedCertificateTests {
    /// Each terminal's config: its own simulated certificate printer writing into `outputs[i]`.
    static func hall(outputs: [String]) throws -> SharedHall {
        try SharedHall(count: outputs.count) { i in
            CertificateFlowTests.certificateConfig(output: outputs[i], requireRelease: false)
        }
    }

    /// The PDFs each printer received, by file name.
    static func printed(_ outputs: [String]) -> [[String]] {
        outputs.map { dir in ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { $0.hasSuffix(".pdf") }.sorted() }
    }

    @Test func ordersFromEveryTerminalPrintOnceByTheLeaseHolderAndASurvivorTakesOver() throws {
        let outputs = (0..<2).map { _ in FileManager.default.temporaryDirectory.appendingPathComponent("kioskd-certs-\(UUID().uuidString)").path }
        defer { outputs.forEach { try? FileManager.default.removeItem(atPath: $0) } }
        let hall = try Self.hall(outputs: outputs)
        try hall.startAll()
        var serials: [String] = []
        for i in 0..<6 {
            let approval = try hall[i % 2].client(role: "approval")
            let order = CertificateFlowTests.order("SP-2026-\(100 + i)", unit: "单位\(i)", accepted: "a0\(i)")
            serials.append(try #require(approval.call("cert.submit", order)["serial"]?.stringValue))
        }
        #expect(Set(serials).count == 6, "one serial per order, hall-wide")
        let room = try hall[1].client(role: "operator")
        for serial in serials { _ = try CertificateFlowTests.wait(for: "ready", serial: serial, on: room, seconds: 30) }
        var files = Self.printed(outputs)
        #expect(files.map(\.count).sorted() == [0, 6], "all printed by one terminal: \(files)")
        #expect(Set(files.joined()) == Set(serials.map { "kioskd-\($0)-1.pdf" }), "each once, at its first attempt")
        let holder = files[0].count == 6 ? 0 : 1, survivor = 1 - holder

        // Signed at one terminal, verified at the other.
        let payload = try #require(try hall[survivor].client(role: "operator").call("cert.get", ["serial": .string(serials[0])])["qrPayload"]?.stringValue)
        #expect(try hall[survivor].client(role: "display").call("cert.verify", ["payload": .string(payload)])["valid"] == .bool(true))

        // The holder dies; orders keep coming on the survivor, which takes the lease over.
        hall[holder].kill9()
        let approval = try hall[survivor].client(role: "approval")
        var later: [String] = []
        for i in 0..<2 {
            let order = CertificateFlowTests.order("SP-2026-\(200 + i)", unit: "后来单位\(i)", accepted: "a1\(i)")
            later.append(try #require(approval.call("cert.submit", order)["serial"]?.stringValue))
        }
        let survivorRoom = try hall[survivor].client(role: "operator")
        for serial in later { _ = try CertificateFlowTests.wait(for: "ready", serial: serial, on: survivorRoom, seconds: 40) }
        files = Self.printed(outputs)
        #expect(Set(files[survivor]) == Set(later.map { "kioskd-\($0)-1.pdf" }), "\(files)")
        #expect(files[holder].count == 6, "nothing printed twice: \(files)")
    }
}
