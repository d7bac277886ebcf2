import Foundation
import KioskCore
import Testing

@testable import KioskDevices

@Suite struct TicketLayoutTests {
    let layout = TicketLayout(paperWidthDots: 384)

    func bytes(_ slip: TicketSlip, _ layout: TicketLayout = TicketLayout()) throws -> [UInt8] {
        ESCPOSEncoder().encode(try layout.commands(for: slip))
    }

    @Test func theNumberIsPrintedFourTimesAsLargeAndCentred() throws {
        let b = try bytes(Fixtures.slip())
        // GS ! 0x33, then (after bold on) the number itself.
        #expect(b.contains(run: [0x1D, 0x21, 0x33, 0x1B, 0x45, 0x01] + Array("A001".utf8) + [0x0A]))
        #expect(b.starts(with: [0x1B, 0x40, 0x1C, 0x26, 0x1B, 0x61, 0x01]))
    }

    @Test func theQRCodeCarriesThePayloadAndTheSlipEndsWithACut() throws {
        let b = try bytes(Fixtures.slip())
        let payload = Array(Fixtures.payload.utf8)
        #expect(b.contains(run: [0x1D, 0x28, 0x6B, UInt8(payload.count + 3), 0x00, 0x31, 0x50, 0x30] + payload))
        #expect(b.suffix(4) == [0x1D, 0x56, 0x42, 0x00])
    }

    @Test func theHallNameIsBoldAndInGB18030() throws {
        let b = try bytes(Fixtures.slip())
        #expect(b.contains(run: [0x1B, 0x45, 0x01] + GB18030.encode("九龙坡区行政服务中心") + [0x0A]))
    }

    @Test func theRenderingReadsLikeTheTicket() throws {
        let lines = ESCPOSRenderer(columns: 32).render(try bytes(Fixtures.slip()))
            .map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(lines.first == "九龙坡区行政服务中心")
        #expect(lines.contains("企业开办"))
        #expect(lines.contains("[big 4x4] A001"))
        #expect(lines.contains("前面还有 3 人 / 3 people ahead"))
        #expect(lines.contains("预计等待约 15 分钟 / ~15 min"))
        #expect(lines.contains("2026-11-21 09:30"))
        #expect(lines.contains("[QR: \(Fixtures.payload)]"))
        #expect(lines.contains("请留意叫号，过号请咨询服务台"))
        #expect(lines.last == "--- cut ---")
    }

    @Test func theTimeIsTheHallsLocalTime() throws {
        var slip = Fixtures.slip()
        slip.timeZone = TimeZone(identifier: "UTC")!
        let text = ESCPOSRenderer(columns: 32).renderText(try bytes(slip))
        #expect(text.contains("2026-11-21 01:30"))
    }

    @Test func priorityLabelAndNoWait() throws {
        let lines = ESCPOSRenderer(columns: 32)
            .render(try bytes(Fixtures.slip(ahead: 0, wait: 0, priority: "绿色通道")))
            .map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(lines.contains("【绿色通道】"))
        #expect(lines.contains("前面还有 0 人 / 0 people ahead"))
        #expect(lines.contains("即将叫号 / you are next"))
        #expect(!lines.contains { $0.contains("预计等待") })
        // A normal ticket has no priority line at all.
        let normal = ESCPOSRenderer(columns: 32).render(try bytes(Fixtures.slip()))
        #expect(!normal.contains { $0.contains("【") })
    }

    @Test func aHallsOwnTemplateDecidesTheLinesAndTheirOrder() throws {
        let template = TicketTemplate(blocks: [
            .text(.init("{number}", size: .times(2))),
            .text(.init("{category} · {hall}")),
            .text(.init("请到二楼等候", english: "please wait upstairs", paperMM: 80)),
            .text(.init("{ahead} 人在您之前")),
            .qr,
            .text(.init("谢谢")),
            .feed(lines: 3),
        ])
        let narrow = ESCPOSRenderer(columns: 32)
            .render(try bytes(Fixtures.slip(), TicketLayout(paperWidthDots: 384, template: template)))
            .map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(narrow.first == "[big 2x2] A001")
        #expect(narrow.contains("企业开办 · 九龙坡区行政服务中心"))
        #expect(narrow.contains("3 人在您之前"))
        #expect(narrow.contains("谢谢"))
        #expect(!narrow.contains { $0.contains("二楼") })  // 80 mm only
        #expect(!narrow.contains { $0.contains("预计等待") })  // not in this template
        #expect(narrow.last == "--- cut ---")
        let wide = ESCPOSRenderer(columns: 48)
            .render(try bytes(Fixtures.slip(), TicketLayout(paperWidthDots: 576, template: template)))
            .map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(wide.contains("请到二楼等候 / please wait upstairs"))
    }

    @Test func waitMinutesRoundUp() {
        #expect(TicketLayout.waitMinutes(0) == 0)
        #expect(TicketLayout.waitMinutes(1) == 1)
        #expect(TicketLayout.waitMinutes(900) == 15)
        #expect(TicketLayout.waitMinutes(901) == 16)
    }

    @Test func eightyMillimetrePaperHasFortyEightColumnsAndALargerQRCode() throws {
        let wide = TicketLayout(paperWidthDots: 576)
        #expect(wide.columns == 48)
        let b = try bytes(Fixtures.slip(), wide)
        #expect(b.contains(run: [0x1D, 0x28, 0x6B, 0x03, 0x00, 0x31, 0x43, 0x08]))
        let lines = ESCPOSRenderer(columns: 48).render(b)
        #expect(lines.contains(String(repeating: " ", count: 16) + "[big 4x4] A001"))
    }

    @Test func aLongHallNameWrapsAndALongNumberShrinks() throws {
        var slip = Fixtures.slip(number: "VIP-00012")
        slip.hallName = "重庆市九龙坡区行政服务中心二十四小时自助服务区"
        let commands = try TicketLayout().commands(for: slip)
        #expect(commands.contains(.characterSize(width: .x3, height: .x3)))
        let lines = ESCPOSRenderer(columns: 32).render(ESCPOSEncoder().encode(commands))
        #expect(lines[0].trimmingCharacters(in: .whitespaces) == "重庆市九龙坡区行政服务中心二十四")
        #expect(lines[1].trimmingCharacters(in: .whitespaces) == "小时自助服务区")
    }

    @Test func aPayloadTooLongForAQRCodeIsRefused() {
        var slip = Fixtures.slip()
        slip.qrPayload = String(repeating: "x", count: 3000)
        #expect(throws: ESCPOSError.qrPayloadTooLong(bytes: 3000, limit: 2331)) {
            try TicketLayout().commands(for: slip)
        }
    }

    @Test func aSlipFromAnIssuedTicket() {
        let ticket = Ticket(
            day: HallDay("2026-11-21"), category: "A", sequence: 1, number: "A001", priority: .green,
            issuedAt: Fixtures.issuedAt)
        let slip = TicketSlip(
            ticket: ticket, hall: HallInfo(code: "500107-01", name: "九龙坡区行政服务中心"),
            categoryName: "企业开办", ahead: 3, estimatedWaitSeconds: 900, timeZone: Fixtures.shanghai)
        #expect(slip.qrPayload == Fixtures.payload)
        #expect(slip.priorityLabel == "绿色通道")
        #expect(slip == Fixtures.slip(priority: "绿色通道"))
    }

    @Test func theTestSlipShowsStatusAndEveryFeature() throws {
        let slip = TestSlip(
            deviceID: "printer0", endpoint: "simulated", hallName: "九龙坡区行政服务中心",
            printedAt: Fixtures.issuedAt, timeZone: Fixtures.shanghai, status: "degraded: paper near end")
        let commands = try TicketLayout().commands(for: slip)
        let lines = ESCPOSRenderer(columns: 32).render(ESCPOSEncoder().encode(commands))
        #expect(lines.contains("状态: degraded: paper near end"))
        #expect(lines.contains("时间: 2026-11-21 09:30:00"))
        #expect(lines.contains("纸宽: 384 点 / 32 列"))
        #expect(lines.contains("12345678901234567890123456789012"))
        #expect(lines.contains("[QR: kioskd:test:printer0]".centred(32)))
        #expect(lines.last == "--- cut ---")
    }
}

extension String {
    fileprivate func centred(_ columns: Int) -> String {
        String(repeating: " ", count: (columns - TextColumns.width(of: self)) / 2) + self
    }
}
