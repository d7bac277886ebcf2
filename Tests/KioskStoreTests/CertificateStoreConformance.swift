import Foundation
import KioskCore
import KioskStore
import Testing

func certificate(_ sequence: Int, order: String? = nil, state: CertificateState = .received, holder: String = "hk-1",
    reprintOf: String? = nil) -> Certificate {
    Certificate(
        serial: CertificateSerial(hallCode: "500107-01", day: day, sequence: sequence)!, orderId: order ?? "SP-\(sequence)",
        type: "public-health-license", department: "health", holderName: "重庆星光大酒店有限公司", holderKey: holder,
        holderMasked: "5001**********1233",
        fields: ["unitName": "重庆星光大酒店有限公司", "licenseNumber": "渝卫公证字〔2026〕第0007号", "validTo": "2030-11-22"],
        acceptedBy: PersonRef(id: "a01", name: "李受理"), approvedBy: PersonRef(id: "b02", name: "王审批"),
        delivery: .pickup, printMode: .now, state: state, issuedAt: Date(timeIntervalSince1970: 1_795_222_800),
        orderDigest: "d\(sequence)", reprintOf: reprintOf, updatedAt: Date(timeIntervalSince1970: 1_795_222_800))
}

/// The certificate tables every backend must keep: certificates, their history, print
/// attempts (recorded before a job goes out) and the audit chain.
@Suite struct CertificateStoreConformanceTests {
    @Test(arguments: Backends.all) func certificatesRoundTripAndAreFoundByOrderStateAndHolder(_ backend: Backends.Factory) async throws {
        let (store, reopen, cleanup) = try backend.make()
        defer { cleanup() }
        var draft = certificate(1)
        draft.delivery = .mail(to: "重庆市九龙坡区杨家坪正街1号")
        draft.releasedBy = PersonRef(id: "c03", name: "张放行")
        draft.qrPayload = "K1.x.y"
        let c = draft
        try await store.write { w in
            #expect(try w.nextCertificateSequence(day: day) == 1)
            #expect(try w.nextCertificateSequence(day: day) == 2)
            #expect(try w.nextCertificateSequence(day: HallDay("2026-11-24")) == 1)
            try w.insert(c)
            try w.insert(certificate(2, state: .ready, holder: "hk-2"))
        }
        let again = try reopen()  // what was committed is on disk
        #expect(try await again.read { try $0.certificate(serial: c.serial.description) } == c)
        #expect(try await again.read { try $0.certificates(orderId: "SP-1") }.map(\.serial) == [c.serial])
        #expect(try await again.read { try $0.certificates(state: .ready, day: nil, limit: 10) }.map(\.serial.sequence) == [2])
        #expect(try await again.read { try $0.certificates(state: nil, day: day, limit: 10) }.count == 2)
        #expect(try await again.read { try $0.certificates(state: nil, day: HallDay("2026-11-24"), limit: 10) }.isEmpty)
        #expect(try await again.read { try $0.certificates(holderKey: "hk-2", states: [.ready]) }.count == 1)
        #expect(try await again.read { try $0.certificates(holderKey: "hk-2", states: [.printed]) }.isEmpty)
        draft.state = .printing
        draft.printer = "cert0"
        let printing = draft
        try await store.write { w in try w.update(printing) }
        #expect(try await store.read { try $0.certificate(serial: c.serial.description) }?.state == .printing)
    }

    @Test(arguments: Backends.all) func anOrderHasOneOriginalAndAnyNumberOfReprints(_ backend: Backends.Factory) async throws {
        let (store, _, cleanup) = try backend.make()
        defer { cleanup() }
        try await store.write { w in try w.insert(certificate(1, order: "SP-9")) }
        await #expect(throws: (any Error).self) {
            try await store.write { w in try w.insert(certificate(2, order: "SP-9")) }
        }
        let old = certificate(1, order: "SP-9").serial.description
        try await store.write { w in
            try w.insert(certificate(3, order: "SP-9", reprintOf: old))
            try w.insert(certificate(4, order: "SP-9", reprintOf: certificate(3).serial.description))
        }
        #expect(try await store.read { try $0.certificates(orderId: "SP-9") }.map(\.serial.sequence) == [1, 3, 4])
    }

    @Test(arguments: Backends.all) func historyAndPrintAttemptsKeepTheirOrder(_ backend: Backends.Factory) async throws {
        let (store, _, cleanup) = try backend.make()
        defer { cleanup() }
        let serial = certificate(1).serial.description
        let t0 = Date(timeIntervalSince1970: 1_795_222_800)
        let attempt = try await store.write { w -> PrintAttempt in
            try w.insert(certificate(1))
            try w.append(CertificateStep(serial: serial, at: t0, state: .received, actor: "approval:王审批"))
            try w.append(CertificateStep(serial: serial, at: t0 + 1, state: .rendered, actor: "kioskd"))
            return try w.insert(PrintAttempt(serial: serial, number: 1, printer: "cert0", createdAt: t0 + 2))
        }
        #expect(attempt.id != nil)
        #expect(attempt.jobName == "kioskd-\(serial)-1")
        let steps = try await store.read { try $0.certificateHistory(serial: serial) }
        #expect(steps.map(\.state) == [.received, .rendered])
        #expect(steps[0].actor == "approval:王审批")
        #expect(try await store.read { try $0.openPrintAttempts() } == [attempt])
        var done = attempt
        done.job = 17
        done.state = .completed
        done.updatedAt = t0 + 9
        let completed = done
        let second = try await store.write { w -> PrintAttempt in
            try w.update(completed)
            var onT02 = PrintAttempt(serial: serial, number: 2, printer: "cert1", state: .held, createdAt: t0 + 10)
            onT02.terminal = "T02"
            return try w.insert(onT02)
        }
        #expect(second.terminal == "T02")
        #expect(try await store.read { try $0.printAttempts(serial: serial) } == [done, second])
        #expect(try await store.read { try $0.openPrintAttempts() } == [second])
        // One job name per attempt: a second attempt 2 is refused.
        await #expect(throws: (any Error).self) {
            try await store.write { w in _ = try w.insert(PrintAttempt(serial: serial, number: 2, printer: "cert0", createdAt: t0)) }
        }
    }

    @Test(arguments: Backends.all) func theAuditChainOnlyGrowsAtItsEnd(_ backend: Backends.Factory) async throws {
        let (store, _, cleanup) = try backend.make()
        defer { cleanup() }
        #expect(try await store.read { try $0.lastAuditEntry() } == nil)
        let e1 = AuditRecord(seq: 1, atMilliseconds: 1_795_222_800_123, action: "order", subject: "S1", actor: "approval:b02",
            details: "{\"type\":\"x\"}", prevHash: String(repeating: "0", count: 64), hash: String(repeating: "a", count: 64))
        var e2 = e1
        e2.seq = 2
        e2.prevHash = e1.hash
        e2.hash = String(repeating: "b", count: 64)
        let second = e2
        try await store.write { w in
            try w.append(e1)
            try w.append(second)
        }
        var skipping = e2
        skipping.seq = 4
        let gap = skipping
        await #expect(throws: (any Error).self) { try await store.write { w in try w.append(gap) } }
        await #expect(throws: (any Error).self) { try await store.write { w in try w.append(second) } }
        #expect(try await store.read { try $0.auditEntries(after: 0, limit: 10) } == [e1, e2])
        #expect(try await store.read { try $0.auditEntries(after: 1, limit: 10) } == [e2])
        #expect(try await store.read { try $0.lastAuditEntry() } == e2)
    }
}
