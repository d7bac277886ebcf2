import Foundation
import Testing

@testable import KioskCertificates

/// What the renderer refuses before drawing anything, and rendering from several threads at once.
@Suite struct RenderErrorTests {
    static func template() throws -> CertificateTemplate {
        try TemplateLoader.load(path: RenderSupport.certificatesFolder + "/public-health-license.toml")
    }

    @Test func invalidOrderIsRefusedBeforeDrawing() throws {
        var order = RenderSupport.healthLicenceOrder
        order["validTo"] = nil
        #expect(throws: CertificateRenderError.invalidOrder(.missing(key: "validTo", label: "有效期至"))) {
            try RenderSupport.renderer.render(
                template: try Self.template(), fields: order, sealImage: nil, qrPayload: RenderSupport.qrPayload)
        }
    }

    @Test func uninstalledFontIsRefused() throws {
        var template = try Self.template()
        template.fields[0].style.font = "Kiosk No Such Font"
        #expect(throws: CertificateRenderError.fontNotInstalled(family: "Kiosk No Such Font", template: "public-health-license")) {
            try RenderSupport.renderer.render(
                template: template, fields: RenderSupport.healthLicenceOrder, sealImage: nil,
                qrPayload: RenderSupport.qrPayload)
        }
    }

    @Test func qrPayloadTooLongOrEmptyIsRefused() throws {
        let template = try Self.template()
        #expect {
            try RenderSupport.renderer.render(
                template: template, fields: RenderSupport.healthLicenceOrder, sealImage: nil,
                qrPayload: String(repeating: "A_b-", count: 1000))
        } throws: { error in
            guard case .qrPayload(let bytes, _) = error as? CertificateRenderError else { return false }
            return bytes == 4000
        }
        #expect(throws: CertificateRenderError.qrPayload(bytes: 0, reason: "the payload is empty")) {
            try RenderSupport.renderer.render(
                template: template, fields: RenderSupport.healthLicenceOrder, sealImage: nil, qrPayload: "")
        }
    }

    @Test func missingBackgroundInPreviewIsAnError() throws {
        var template = try Self.template()
        template.background = "/nonexistent/background.png"
        #expect(throws: CertificateRenderError.backgroundNotFound(path: "/nonexistent/background.png")) {
            try RenderSupport.renderer.render(
                template: template, fields: RenderSupport.healthLicenceOrder, sealImage: nil,
                qrPayload: RenderSupport.qrPayload, mode: .preview)
        }
        // Print mode never reads it.
        _ = try RenderSupport.renderer.render(
            template: template, fields: RenderSupport.healthLicenceOrder, sealImage: nil, qrPayload: RenderSupport.qrPayload)
    }

    @Test func concurrentRenderingsGiveTheSameCertificate() throws {
        let template = try Self.template()
        let renderer = CertificateRenderer()
        let results = Results()
        DispatchQueue.concurrentPerform(iterations: 8) { index in
            var order = RenderSupport.healthLicenceOrder
            order["licenseNumber"] = "渝九卫公证字〔2025〕第00012\(index)号"
            let result = Result { () throws(CertificateRenderError) in
                try renderer.render(
                    template: template, fields: order, sealImage: RenderSupport.healthSeal,
                    qrPayload: RenderSupport.qrPayload)
            }
            results.set(index, result)
        }
        let folder = try RenderSupport.temporaryFolder()
        defer { RenderSupport.removeTemporaryFolder(folder) }
        let all = results.all
        #expect(all.count == 8)
        // Only the licence number differs between the orders; every other field is set alike.
        let reference = try all[0].get().layout.fields.filter { $0.key != "licenseNumber" }
        for (index, result) in all.enumerated() {
            let rendered = try result.get()
            #expect(rendered.layout.fields.filter { $0.key != "licenseNumber" } == reference)
            #expect(rendered.layout.fields.count == 7)
            let path = folder + "/\(index).pdf"
            try rendered.pdf.write(to: URL(fileURLWithPath: path))
            let text = try RenderSupport.pdfText(path).filter { !$0.isWhitespace }
            #expect(text.contains("渝九卫公证字〔2025〕第00012\(index)号"))
            #expect(text.contains("重庆市九龙坡区星光大酒店有限公司"))
        }
    }

    private final class Results: @unchecked Sendable {
        private let lock = NSLock()
        private var values: [Int: Result<RenderedCertificate, CertificateRenderError>] = [:]
        func set(_ index: Int, _ value: Result<RenderedCertificate, CertificateRenderError>) {
            lock.lock()
            values[index] = value
            lock.unlock()
        }
        var all: [Result<RenderedCertificate, CertificateRenderError>] {
            lock.lock()
            defer { lock.unlock() }
            return values.keys.sorted().map { values[$0]! }
        }
    }
}
