import Testing

@testable import KioskCore

@Suite("Errors: stable reasons and codes (contract)")
struct KioskErrorTests {
    @Test func theContractReasonsExistWithTheirWireNames() {
        let reasons = Set(KioskError.Reason.allCases.map(\.rawValue))
        for name in [
            "forbidden", "not_found", "invalid_state", "daily_limit", "duplicate_ticket", "closed",
            "prereview_required", "conflict", "device_unavailable", "separation_of_duties", "storage_unavailable",
        ] {
            #expect(reasons.contains(name), "missing reason \(name)")
        }
    }

    @Test func codesAreAboveOneThousandAndUnique() {
        let codes = KioskError.Reason.allCases.map(\.code)
        // invalid_params keeps JSON-RPC's own code, as on the wire since the first version.
        #expect(codes.allSatisfy { $0 > 1000 || $0 == -32602 })
        #expect(KioskError.Reason.invalidParams.code == -32602)
        #expect(Set(codes).count == codes.count)
    }

    @Test func codesAreNeverRenumbered() {
        #expect(KioskError.Reason.forbidden.code == 1001)
        #expect(KioskError.Reason.notFound.code == 1002)
        #expect(KioskError.Reason.invalidState.code == 1003)
        #expect(KioskError.Reason.dailyLimit.code == 1004)
        #expect(KioskError.Reason.duplicateTicket.code == 1005)
        #expect(KioskError.Reason.closed.code == 1006)
        #expect(KioskError.Reason.prereviewRequired.code == 1007)
        #expect(KioskError.Reason.conflict.code == 1008)
        #expect(KioskError.Reason.storageUnavailable.code == 1011)
    }

    @Test func descriptionLeadsWithTheReason() {
        #expect(KioskError(.dailyLimit, "all taken").description == "daily_limit: all taken")
    }
}
