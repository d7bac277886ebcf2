import Foundation

extension TicketLayout {
    /// The commands of a printer test slip: who and where the printer is, its status, a column
    /// ruler for the paper width, Chinese text, the three alignments, a magnified line and a QR
    /// code — each a feature a ticket relies on, so a good test slip means tickets will print.
    public func commands(for slip: TestSlip) throws(ESCPOSError) -> [ESCPOSCommand] {
        let qr = try QRCode(slip.qrPayload, moduleSize: qrModuleSize)
        var b = SlipBuilder(columns: columns)
        b.add(.initialize)
        b.add(.chineseMode(true))
        b.add(.align(.center))
        b.add(.bold(true))
        b.lines("打印测试 / PRINTER TEST")
        b.add(.bold(false))
        if let hall = slip.hallName { b.lines(hall) }
        b.blank()

        b.add(.align(.left))
        b.lines("设备: \(slip.deviceID)")
        b.lines("位置: \(slip.endpoint)")
        b.lines("时间: \(LocalTime.seconds(slip.printedAt, in: slip.timeZone))")
        b.lines("状态: \(slip.status)")
        b.lines("纸宽: \(paperWidthDots) 点 / \(columns) 列")
        b.lines(String((0..<columns).map { Character(String(($0 + 1) % 10)) }))
        b.lines("中文：请A001号到3号窗口办理")

        b.add(.align(.center))
        b.lines("centre 居中")
        b.add(.align(.right))
        b.lines("right 右对齐")
        b.add(.align(.center))
        b.add(.characterSize(width: .x2, height: .x2))
        b.lines("A001", magnification: 2)
        b.add(.normalSize)
        b.add(.qrCode(qr))
        b.blank()
        b.lines("测试完成 / test complete")
        b.add(.feed(lines: 2))
        b.add(.cut)
        return b.commands
    }
}
