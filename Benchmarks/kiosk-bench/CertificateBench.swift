import Dispatch
import Foundation
import KioskCertificates
import KioskClient
import KioskProtocol
import KioskTestSupport
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

/// Order accepted to CUPS job created, through the release daemon and a private cupsd with an
/// ippeveprinter printer (`scripts/testbed/private-cups`): the time from sending `cert.submit`
/// to the moment `cert.get` shows the print attempt's CUPS job id (polled every 2 ms, so the
/// figure is at most 2 ms late). Covers the commit, rendering, the attempt's commit and CUPS's
/// Create-Job + Send-Document.
extension Bench {
    func certificateToCUPS() throws {
        let cups = try PrivateCUPS(printers: ["P1"])
        defer { cups.stop() }
        let certs = URL(fileURLWithPath: configDir).appendingPathComponent("certificates").standardizedFileURL.path
        let d = try Daemon(devices: """
            [[devices]]
            id = "p1"
            kind = "certificate-printer"
            transport = "cups"
            queue = "P1"
            [certificates]
            templates = "\(certs)"
            printers = ["p1"]
            require_release = false
            [[departments]]
            id = "health"
            name = "区卫生健康委员会"
            seal = "\(certs)/seals/health.png"
            types = ["public-health-license"]
            """)
        try d.launch(environment: ["CUPS_SERVER": cups.socketPath])
        let approval = try KioskClient(socketPath: d.socket)
        let watcher = try KioskClient(socketPath: d.socket)
        var samples: [Double] = []
        for i in 0..<(30 + 3) {
            let order: JSONValue = [
                "orderId": .string("BENCH-\(i)"), "type": "public-health-license",
                "holder": ["name": "张三", "idNumber": "500107198001011233"],
                "fields": [
                    "unitName": "重庆星光大酒店有限公司", "legalRepresentative": "张三", "address": "重庆市九龙坡区杨家坪正街1号",
                    "licensedItems": "住宿业（宾馆）", "licenseNumber": .string("渝九卫公字〔2026〕第\(1000 + i)号"),
                    "validFrom": "2026年11月21日", "validTo": "2030年11月20日",
                ],
                "department": "health", "acceptedBy": ["id": "a01", "name": "李受理"], "approvedBy": ["id": "b02", "name": "王审批"],
            ]
            let t0 = DispatchTime.now()
            let serial = try approval.call("cert.submit", order)["serial"]!.stringValue!
            var created: Double?
            while created == nil {
                let c = try watcher.call("cert.get", ["serial": .string(serial)])
                if c["printAttempts"]?.arrayValue?.first?["job"] != nil { created = ms(since: t0) } else { usleep(2000) }
            }
            if i >= 3 { samples.append(created!) }
            // One at a time: wait for the printer before the next order.
            while try watcher.call("cert.get", ["serial": .string(serial)])["state"] != .string("ready") { usleep(20_000) }
        }
        let p = Percentiles(samples)
        say(String(format: "cert.submit → CUPS job created (%d orders): p50 %.1f ms, p99 %.1f ms", samples.count, p.p50, p.p99))
    }
}
