import Testing

@testable import KioskCore

@Suite("Certificates: the shape of a print order")
struct CertificateOrderTests {
    func order(
        delivery: CertificateDelivery = .pickup, printMode: PrintMode = .now, fields: [String: String] = ["name": "张三"],
        orderId: String = "SP-2026-000123"
    ) -> CertificateOrder {
        CertificateOrder(
            orderId: orderId, type: "public-health-license", holder: CertificateHolder(name: "张三", idNumber: "11010519491231002X"),
            fields: fields, department: "health", acceptedBy: PersonRef(id: "S001", name: "甲"),
            approvedBy: PersonRef(id: "S002", name: "乙"), delivery: delivery, printMode: printMode)
    }

    @Test func aCompleteOrderHasNoProblems() {
        #expect(order().problems().isEmpty)
        #expect(order(delivery: .mail(to: "重庆市九龙坡区杨家坪正街1号"), printMode: .now).problems().isEmpty)
        #expect(order(printMode: .onPickup).problems().isEmpty)
    }

    @Test func mailNeedsAnAddress() {
        for delivery in [CertificateDelivery(mode: .mail), CertificateDelivery(mode: .mail, address: "  ")] {
            #expect(order(delivery: delivery).problems().map(\.field) == ["delivery.address"])
        }
    }

    @Test func printingAtPickupCannotBeMailed() {
        let problems = order(delivery: .mail(to: "某地址"), printMode: .onPickup).problems()
        #expect(problems.map(\.field) == ["printMode"])
    }

    @Test func blankRequiredPartsAreNamedInOrder() {
        var o = order()
        o.orderId = ""
        o.holder.name = " "
        o.approvedBy.id = ""
        #expect(o.problems().map(\.field) == ["orderId", "holder.name", "approvedBy.id"])
        #expect(o.problems().first?.description == "params.orderId is required")
    }

    @Test func overlongOrderIdsAndBlankFieldNamesAreRefused() {
        #expect(order(orderId: String(repeating: "x", count: CertificateOrder.maximumOrderIdLength)).problems().isEmpty)
        #expect(order(orderId: String(repeating: "x", count: CertificateOrder.maximumOrderIdLength + 1)).problems().map(\.field) == ["orderId"])
        #expect(order(fields: ["": "x", "name": "y"]).problems().map(\.field) == ["fields"])
    }

    @Test func aResubmissionIsTheSameOrderOnlyWithTheSameContent() {
        #expect(order() == order())
        #expect(order(fields: ["name": "张三"]) != order(fields: ["name": "李四"]))
    }
}
