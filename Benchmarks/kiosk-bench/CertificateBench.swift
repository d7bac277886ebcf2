import Dispatch
import Foundation
import KioskCertificates
import Synchronization

/// Certificate rendering: an A4 certificate with a dozen CJK fields, the seal and the signed QR
/// code, as the pipeline renders it (`CertificateRenderer`, in process: the daemon adds only a
/// file write and a commit).
extension Bench {
    func certificateRendering() throws {
        let folder = URL(fileURLWithPath: configDir).appendingPathComponent("certificates").path
        let templates = try TemplateLoader.loadFolder(folder)
        guard let template = templates.first(where: { $0.id == "food-business-license" }) else {
            throw CocoaError(.fileNoSuchFile)
        }
        let seal = folder + "/seals/health.png"
        let fields: [String: String] = [
            "operatorName": "重庆市九龙坡区老街坊餐饮管理有限公司", "creditCode": "91500107MA5U8X2K3N",
            "legalRepresentative": "陈建国", "residence": "重庆市九龙坡区杨家坪正街1号附8号",
            "businessPremises": "重庆市九龙坡区杨家坪步行街18号2楼", "mainBusiness": "餐饮服务经营者（大型餐馆）",
            "businessItems": "热食类食品制售；冷食类食品制售（含烧卤熟肉）；生食类食品制售；自制饮品制售（不含自酿酒）；半成品制售",
            "validTo": "2031年11月20日", "licenseNumber": "JY25001070012345", "issueDate": "2026年11月21日",
            "supervisor": "九龙坡区市场监督管理局杨家坪所",
        ]
        let payload = "K1.500107-01-20261121-0007.food-business-license.1795222800.XKau6qu19hpuMJHqteFW0g."
            + "p1lBDNPsxOhEBxdmQv-EdUh51mXr7Z8IzyBdFcWjJwURekFQsD5Kw57RddxWd4Dj6KvMzFNebI9jITodXpogBw"
        let renderer = CertificateRenderer()
        func one() throws -> Double {
            let t0 = DispatchTime.now()
            _ = try renderer.render(template: template, fields: fields, sealImage: seal, qrPayload: payload)
            return ms(since: t0)
        }
        _ = try one()  // fonts load on the first render
        var samples: [Double] = []
        for _ in 0..<200 { samples.append(try one()) }
        let p = Percentiles(samples)
        say(String(format: "render A4 certificate (%d fields, seal, QR), one at a time (200): p50 %.1f ms, p99 %.1f ms",
            fields.count, p.p50, p.p99))
        // Throughput: as many renders at once as there are cores.
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let total = 400
        let failures = Atomic<Int>(0)
        let t0 = DispatchTime.now()
        DispatchQueue.concurrentPerform(iterations: cores) { _ in
            for _ in 0..<(total / cores) where (try? renderer.render(
                template: template, fields: fields, sealImage: seal, qrPayload: payload)) == nil {
                failures.add(1, ordering: .relaxed)
            }
        }
        let seconds = ms(since: t0) / 1000
        say(String(format: "render throughput on %d cores: %.1f certificates/s (%d renders, %d failed)",
            cores, Double(total) / seconds, total, failures.load(ordering: .relaxed)))
    }
}
