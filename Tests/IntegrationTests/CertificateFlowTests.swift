import Foundation
import KioskClient
import KioskProtocol
import KioskTestSupport
import Testing

/// The certificate pipeline through the real daemon, on a simulated certificate printer (the
/// CUPS printers have their own tests): an approval unit's order is rendered with the seal and
/// the signed QR, printed, released by a third person and collected at the kiosk with the
/// holder's card; everything lands in the audit chain.
@Suite(.serialized) struct CertificateFlowTests {
    static var repo: URL { URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent() }

    /// A daemon with the shipped templates, the health department and one simulated printer.
    static func daemon(output: String, requireRelease: Bool = true) throws -> DaemonHarness {
        try DaemonHarness(extraConfig: certificateConfig(output: output, requireRelease: requireRelease))
    }

    /// The config of one simulated certificate printer writing into `output`, the shipped
    /// templates and the health department.
    static func certificateConfig(output: String, requireRelease: Bool) -> String {
        let certs = repo.appendingPathComponent("Config/certificates").path
        return """

            [[devices]]
            id = "cert0"
            kind = "certificate-printer"
            transport = "simulated"
            output = "\(output)"

            [certificates]
            templates = "\(certs)"
            printers = ["cert0"]
            require_release = \(requireRelease)

            [[departments]]
            id = "health"
            name = "区卫生健康委员会"
            seal = "\(certs)/seals/health.png"
            types = ["public-health-license"]
            """
    }

    static let holderID = "500107198001011233"

    static func order(_ id: String = "SP-2026-0001", unit: String = "重庆星光大酒店有限公司", accepted: String = "a01") -> JSONValue {
        [
            "orderId": .string(id), "type": "public-health-license",
            "holder": ["name": "张三", "idNumber": .string(holderID)],
            "fields": [
                "unitName": .string(unit), "legalRepresentative": "张三", "address": "重庆市九龙坡区杨家坪正街1号",
                "licensedItems": "住宿业（宾馆）", "licenseNumber": "渝九卫公字〔2026〕第0007号",
                "validFrom": "2026年11月21日", "validTo": "2030年11月20日",
            ],
            "department": "health", "acceptedBy": ["id": .string(accepted), "name": "李受理"],
            "approvedBy": ["id": "b02", "name": "王审批"],
        ]
    }

    /// Polls `cert.get` until the certificate is in `state`.
    static func wait(for state: String, serial: String, on c: KioskClient, seconds: Double = 15) throws -> JSONValue {
        let end = Date().addingTimeInterval(seconds)
        var last: JSONValue = .null
        while Date() < end {
            last = try c.call("cert.get", ["serial": .string(serial)])
            if last["state"] == .string(state) { return last }
            usleep(50_000)
        }
        Issue.record("certificate \(serial) is \(last["state"] ?? .null), not \(state)")
        return last
    }

    /// A tool's standard output (its errors are not wanted here).
    static func run(_ tool: String, _ args: [String]) throws -> String {
        try ToolRun.run(tool, args).stdout
    }

    @Test func anOrderIsPrintedReleasedAndCollectedWithTheHoldersCard() throws {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("kioskd-certs-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: output) }
        let daemon = try Self.daemon(output: output)
        try daemon.start()
        let approval = try daemon.client(role: "approval")
        let room = try daemon.client(role: "operator")

        let submitted = try approval.call("cert.submit", Self.order())
        let serial = try #require(submitted["serial"]?.stringValue)
        #expect(serial.hasPrefix("500107-01-"))
        #expect(submitted["holder"]?["idNumber"] == .string("5001**********1233"))
        // Resubmitting the same order returns the same certificate, never a second one.
        let again = try approval.call("cert.submit", Self.order())
        #expect(again["serial"] == .string(serial))
        #expect(again["resubmitted"] == .bool(true))
        // The same order id with other content is a conflict.
        let changed = rpcError { try approval.call("cert.submit", Self.order(unit: "另一家公司")) }
        #expect(changed?.reason == "conflict")

        let printed = try Self.wait(for: "printed", serial: serial, on: room)
        #expect(printed["printer"] == .string("cert0"))
        let states = printed["history"]?.arrayValue?.compactMap { $0["state"]?.stringValue }
        #expect(states == ["received", "rendered", "printing", "printed"])
        #expect(printed["printAttempts"]?.arrayValue?.count == 1)

        // The PDF reached the printer, with the fields, and its QR verifies.
        let pdf = output + "/kioskd-\(serial)-1.pdf"
        #expect(FileManager.default.fileExists(atPath: pdf))
        let text = try Self.run("/usr/bin/pdftotext", [pdf, "-"])
        #expect(text.contains("重庆星光大酒店有限公司"))
        #expect(text.contains("渝九卫公字〔2026〕第0007号"))
        let png = output + "/page"
        _ = try Self.run("/usr/bin/pdftoppm", ["-r", "200", "-png", "-singlefile", pdf, png])
        let scanned = try Self.run("/usr/bin/zbarimg", ["--raw", "-q", png + ".png"]).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(scanned == printed["qrPayload"]?.stringValue)
        let verified = try daemon.client(role: "display").call("cert.verify", ["payload": .string(scanned)])
        #expect(verified["valid"] == .bool(true))
        #expect(verified["serial"] == .string(serial))
        #expect(verified["fields"]?["unitName"] == .string("重庆星光大酒店有限公司"))
        var forged = Array(scanned)
        let i = forged.count - 20
        forged[i] = forged[i] == "A" ? "B" : "A"
        let bad = try daemon.client(role: "display").call("cert.verify", ["payload": .string(String(forged))])
        #expect(bad["valid"] == .bool(false))
        #expect(bad["check"] == .string("signature"))

        // Release by a third person only.
        let byAcceptor = rpcError { try room.call("cert.release", ["serial": .string(serial), "operator": ["id": "a01", "name": "李受理"]]) }
        #expect(byAcceptor?.reason == "separation_of_duties")
        let released = try room.call("cert.release", ["serial": .string(serial), "operator": ["id": "c03", "name": "张放行"]])
        #expect(released["state"] == .string("ready"))

        // Someone else's card is refused, and recorded.
        let kiosk = try daemon.client(role: "kiosk")
        let admin = try daemon.client()
        try admin.call("sim.card", ["name": "赵六", "idNumber": "110101199003077571"])
        let other = try #require(try kiosk.call("idcard.read", ["timeoutSeconds": 5])["cardToken"]?.stringValue)
        #expect(try kiosk.call("cert.pending", ["cardToken": .string(other)]).arrayValue?.isEmpty == true)
        let refused = rpcError { try kiosk.call("cert.pickup", ["serial": .string(serial), "cardToken": .string(other)]) }
        #expect(refused?.reason == "forbidden")
        // The holder's own card lists it and collects it.
        try admin.call("sim.card", ["name": "张三", "idNumber": .string(Self.holderID)])
        let token = try #require(try kiosk.call("idcard.read", ["timeoutSeconds": 5])["cardToken"]?.stringValue)
        let pending = try kiosk.call("cert.pending", ["cardToken": .string(token)])
        #expect(pending.arrayValue?.map { $0["serial"] } == [.string(serial)])
        #expect(pending.arrayValue?.first?["title"] == .string("公共场所卫生许可证"))
        let collected = try kiosk.call("cert.pickup", ["serial": .string(serial), "cardToken": .string(token)])
        #expect(collected["state"] == .string("picked_up"))

        // Every step is in the audit chain, and the chain holds.
        let audit = try room.call("audit.verify")
        #expect(audit["ok"] == .bool(true))
        let actions = try room.call("audit.tail", ["n": 50]).arrayValue?.compactMap { $0["action"]?.stringValue }
        #expect(actions == ["order", "render", "seal", "print_attempt", "print_result", "release", "pickup_refused", "pickup"])
        // The day's report carries the chain's head, to be witnessed outside kioskd.
        let stats = try daemon.client(role: "display").call("stats.day")
        #expect(stats["auditHead"]?["seq"] == audit["head"]?["seq"])
        #expect(stats["auditHead"]?["hash"] == audit["head"]?["hash"])
        // A head witnessed earlier must still be in the chain: a forged one is caught.
        let witnessed = try #require(stats["auditHead"])
        #expect(try room.call("audit.verify", ["anchors": [witnessed]])["ok"] == .bool(true))
        let fakeHead: JSONValue = ["seq": witnessed["seq"]!, "hash": .string(String(repeating: "ab", count: 32))]
        #expect(try room.call("audit.verify", ["anchors": [fakeHead]])["ok"] == .bool(false))
        #expect(!daemon.log().contains(Self.holderID))
    }

    @Test func badOrdersAreRefusedClearlyAndCreateNothing() throws {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("kioskd-certs-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: output) }
        let daemon = try Self.daemon(output: output)
        try daemon.start()
        let approval = try daemon.client(role: "approval")
        func refusal(_ edit: (inout [String: JSONValue]) -> Void) -> RPCError? {
            var o = Self.order().objectValue!
            edit(&o)
            return rpcError { try approval.call("cert.submit", .object(o)) }
        }
        #expect(refusal { $0["acceptedBy"] = ["id": "b02", "name": "王审批"] }?.reason == "separation_of_duties")
        #expect(refusal { $0["type"] = "driving-licence" }?.reason == "not_found")
        #expect(refusal { $0["department"] = "market" }?.reason == "not_found")
        #expect(refusal { $0["holder"] = ["name": "张三", "idNumber": "500107198001011234"] }?.reason == "invalid_id_number")
        let missing = refusal { o in
            var f = o["fields"]!.objectValue!
            f["unitName"] = nil
            o["fields"] = .object(f)
        }
        #expect(missing?.code == -32602)
        #expect(missing?.message.contains("unitName") == true)
        let long = refusal { o in
            var f = o["fields"]!.objectValue!
            f["unitName"] = .string(String(repeating: "长", count: 200))
            o["fields"] = .object(f)
        }
        #expect(long?.code == -32602)
        #expect(refusal { $0["fields"] = ["unitName": 42] }?.code == -32602)
        #expect(refusal { $0["delivery"] = ["mode": "mail"] }?.code == -32602)
        // Roles: a kiosk may not submit, an approval unit may not release.
        #expect(rpcError { try daemon.client(role: "kiosk").call("cert.submit", Self.order()) }?.reason == "forbidden")
        #expect(rpcError { try approval.call("cert.release", ["serial": "x", "operator": ["id": "c", "name": "c"]]) }?.reason == "forbidden")
        #expect(try daemon.client().call("cert.list").arrayValue?.isEmpty == true)
        #expect(try daemon.client().call("audit.verify")["entries"] == .int(0))
    }

    @Test(.enabled(if: DaemonHarness.onSQLite, "opens the SQLite file itself")) func aReprintVoidsTheOldSerialAndAnEditedAuditRowIsFound() throws {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("kioskd-certs-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: output) }
        let daemon = try Self.daemon(output: output, requireRelease: false)
        try daemon.start()
        let room = try daemon.client(role: "operator")
        let first = try #require(try daemon.client(role: "approval").call("cert.submit", Self.order())["serial"]?.stringValue)
        let ready = try Self.wait(for: "ready", serial: first, on: room)  // no release required
        let oldPayload = try #require(ready["qrPayload"]?.stringValue)
        let noAuth = rpcError { try room.call("cert.reprint", ["serial": .string(first), "reason": "污损", "authorizedBy": ["id": "b02", "name": "王审批"]]) }
        #expect(noAuth?.reason == "separation_of_duties")
        let reprint = try room.call("cert.reprint", ["serial": .string(first), "reason": "污损", "authorizedBy": ["id": "d04", "name": "赵科长"]])
        let second = try #require(reprint["serial"]?.stringValue)
        #expect(second != first)
        #expect(reprint["reprintOf"] == .string(first))
        _ = try Self.wait(for: "ready", serial: second, on: room)
        #expect(try room.call("cert.get", ["serial": .string(first)])["state"] == .string("voided"))
        #expect(try room.call("cert.get", ["orderId": "SP-2026-0001"])["serial"] == .string(second))
        let old = try room.call("cert.verify", ["payload": .string(oldPayload)])
        #expect(old["valid"] == .bool(false))
        #expect(old["check"] == .string("voided"))
        #expect(try room.call("audit.verify")["ok"] == .bool(true))

        // Someone edits the trail behind kioskd's back: verification names the entry.
        try daemon.client().call("queue.take", ["category": "A"])  // the WAL is checkpointed by then
        let db = daemon.dir.appendingPathComponent("state/kioskd.sqlite").path
        _ = try Self.run("/usr/bin/sqlite3", [db, "UPDATE audit SET actor = 'operator:x 某人' WHERE seq = 3"])
        let audit = try room.call("audit.verify")
        #expect(audit["ok"] == .bool(false))
        #expect(audit["firstBad"]?["seq"] == .int(3))
        #expect(audit["firstBad"]?["problem"] == .string("changed"))
    }

    @Test func anOnPickupCertificateIsPrintedOnlyWhenTheHolderIsAtTheKiosk() throws {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("kioskd-certs-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: output) }
        let daemon = try Self.daemon(output: output)
        try daemon.start()
        var order = Self.order("SP-2026-0100").objectValue!
        order["printMode"] = "on_pickup"
        let serial = try #require(try daemon.client(role: "approval").call("cert.submit", .object(order))["serial"]?.stringValue)
        let room = try daemon.client(role: "operator")
        _ = try Self.wait(for: "rendered", serial: serial, on: room)
        // Released unprinted: nothing waits in a tray.
        #expect(try room.call("cert.release", ["serial": .string(serial), "operator": ["id": "c03", "name": "张放行"]])["state"] == .string("ready"))
        #expect(!FileManager.default.fileExists(atPath: output + "/kioskd-\(serial)-1.pdf"))
        let admin = try daemon.client()
        let kiosk = try daemon.client(role: "kiosk")
        try admin.call("sim.card", ["name": "张三", "idNumber": .string(Self.holderID)])
        let token = try #require(try kiosk.call("idcard.read", ["timeoutSeconds": 5])["cardToken"]?.stringValue)
        let collected = try kiosk.call("cert.pickup", ["serial": .string(serial), "cardToken": .string(token)])
        #expect(collected["state"] == .string("picked_up"))
        #expect(FileManager.default.fileExists(atPath: output + "/kioskd-\(serial)-1.pdf"))
        let states = try room.call("cert.get", ["serial": .string(serial)])["history"]?.arrayValue?.compactMap { $0["state"]?.stringValue }
        #expect(states == ["received", "rendered", "ready", "printing", "printed", "picked_up"])
    }

    @Test func aMailedCertificateShipsAndAPickupOneCannot() throws {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("kioskd-certs-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: output) }
        let daemon = try Self.daemon(output: output, requireRelease: false)
        try daemon.start()
        var order = Self.order("SP-2026-0200").objectValue!
        order["delivery"] = ["mode": "mail", "address": "重庆市九龙坡区杨家坪正街1号"]
        let approval = try daemon.client(role: "approval")
        let mailed = try #require(try approval.call("cert.submit", .object(order))["serial"]?.stringValue)
        let pickup = try #require(try approval.call("cert.submit", Self.order("SP-2026-0201"))["serial"]?.stringValue)
        let room = try daemon.client(role: "operator")
        _ = try Self.wait(for: "ready", serial: mailed, on: room)
        _ = try Self.wait(for: "ready", serial: pickup, on: room)
        let shipped = try room.call("cert.ship", ["serial": .string(mailed), "carrier": "EMS", "trackingNumber": "1180000000001"])
        #expect(shipped["state"] == .string("shipped"))
        #expect(shipped["trackingNumber"] == .string("1180000000001"))
        let wrong = rpcError { try room.call("cert.ship", ["serial": .string(pickup), "carrier": "EMS", "trackingNumber": "1"]) }
        #expect(wrong?.reason == "invalid_state")
        #expect(try room.call("cert.get", ["serial": .string(pickup)])["state"] == .string("ready"))
        // A truncated or foreign payload is malformed, not a crash.
        let payload = try #require(try room.call("cert.get", ["serial": .string(mailed)])["qrPayload"]?.stringValue)
        let truncated = try room.call("cert.verify", ["payload": .string(String(payload.prefix(40)))])
        #expect(truncated["valid"] == .bool(false))
        #expect(truncated["check"] == .string("malformed"))
        #expect(try room.call("cert.verify", ["payload": "https://example.com/x"])["check"] == .string("malformed"))
    }
}

extension CertificateFlowTests {
    @Test func theHolderCanCollectWithThePickupCodeAndGuessingLocksIt() throws {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("kioskd-certs-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: output) }
        let daemon = try Self.daemon(output: output, requireRelease: false)
        try daemon.start()
        let approval = try daemon.client(role: "approval")
        let first = try approval.call("cert.submit", Self.order("SP-2026-0300"))
        let code = try #require(first["pickupCode"]?.stringValue)
        #expect(code.count == 8 && code.allSatisfy(\.isNumber))
        #expect(try approval.call("cert.submit", Self.order("SP-2026-0300"))["pickupCode"] == .string(code))  // same on a retry
        let other = try approval.call("cert.submit", Self.order("SP-2026-0301"))
        #expect(other["pickupCode"] != first["pickupCode"])
        var mailed = Self.order("SP-2026-0302").objectValue!
        mailed["delivery"] = ["mode": "mail", "address": "重庆市九龙坡区杨家坪正街1号"]
        #expect(try approval.call("cert.submit", .object(mailed))["pickupCode"] == nil)

        let serial = try #require(first["serial"]?.stringValue)
        let otherSerial = try #require(other["serial"]?.stringValue)
        let room = try daemon.client(role: "operator")
        _ = try Self.wait(for: "ready", serial: serial, on: room)
        _ = try Self.wait(for: "ready", serial: otherSerial, on: room)
        let kiosk = try daemon.client(role: "kiosk")
        // The right code collects it.
        let collected = try kiosk.call("cert.pickup", ["serial": .string(otherSerial), "pickupCode": other["pickupCode"]!])
        #expect(collected["state"] == .string("picked_up"))
        // Guessing: each wrong code is refused and recorded; after five, not even the right one.
        let wrong = code == "00000000" ? "11111111" : "00000000"
        for _ in 0..<5 {
            let e = rpcError { try kiosk.call("cert.pickup", ["serial": .string(serial), "pickupCode": .string(wrong)]) }
            #expect(e?.reason == "forbidden")
        }
        let locked = rpcError { try kiosk.call("cert.pickup", ["serial": .string(serial), "pickupCode": .string(code)]) }
        #expect(locked?.reason == "forbidden")
        #expect(locked?.message.contains("ID card") == true)
        #expect(try room.call("cert.get", ["serial": .string(serial)])["state"] == .string("ready"))
        // The holder's card still works.
        try daemon.client().call("sim.card", ["name": "张三", "idNumber": .string(Self.holderID)])
        let token = try #require(try kiosk.call("idcard.read", ["timeoutSeconds": 5])["cardToken"]?.stringValue)
        #expect(try kiosk.call("cert.pickup", ["serial": .string(serial), "cardToken": .string(token)])["state"] == .string("picked_up"))
        let refused = try room.call("audit.tail", ["n": 100]).arrayValue?.filter { $0["action"] == .string("pickup_refused") }
        #expect(refused?.count == 5)
        #expect(!daemon.log().contains(code))
    }

    @Test func aDepartmentSealingAMissingTemplateOrWithoutItsSealStopsTheDaemon() throws {
        let certs = Self.repo.appendingPathComponent("Config/certificates").path
        for (types, seal, expected) in [
            ("[\"driving-licence\"]", "\(certs)/seals/health.png", "driving-licence"),
            ("[\"public-health-license\"]", "\(certs)/seals/nope.png", "seal image of department health"),
        ] {
            let daemon = try DaemonHarness(extraConfig: """

                [certificates]
                templates = "\(certs)"

                [[departments]]
                id = "health"
                name = "区卫生健康委员会"
                seal = "\(seal)"
                types = \(types)
                """)
            #expect(throws: HarnessError.self) { try daemon.start(timeout: 20) }
            daemon.process?.waitUntilExit()
            #expect(daemon.process?.terminationStatus == 78)
            #expect(daemon.log().contains(expected), "\(daemon.log())")
        }
    }
}
