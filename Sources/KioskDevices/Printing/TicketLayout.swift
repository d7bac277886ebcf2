import Foundation

/// How a queue ticket is set on a thermal roll, as ESC/POS commands.
///
/// Centred throughout, because a ticket is read at a glance: hall name (bold), service line,
/// the number as large as the paper allows, the priority label, the queue position and wait in
/// Chinese and English, the local issue time, the QR code, a footer, then a cut. The same layout
/// serves every ESC/POS printer, simulated or real; only the paper width varies.
public struct TicketLayout: Sendable, Equatable {
    /// The printable width: 384 dots on 58 mm paper, 576 on 80 mm.
    public let paperWidthDots: Int

    /// Printed when a slip brings no footer of its own.
    public static let defaultFooter = "请留意叫号，过号请咨询服务台"

    /// 384 dots (58 mm) unless told otherwise.
    public init(paperWidthDots: Int? = nil) {
        self.paperWidthDots = paperWidthDots ?? 384
    }

    /// Characters per line at normal size (32 or 48).
    public var columns: Int { TextColumns.columns(forPaperWidthDots: paperWidthDots) }

    /// QR module size: about 170 dots wide for a ticket-sized payload on 58 mm, 230 on 80 mm.
    public var qrModuleSize: Int { paperWidthDots >= 576 ? 8 : 6 }

    /// The magnification of the ticket number: 4× (`GS ! 0x33`) when it fits the line, less for
    /// an unusually long number.
    public func numberMagnification(for number: String) -> ESCPOSCommand.Magnification {
        let width = max(1, TextColumns.width(of: number))
        return .init(clamping: min(4, columns / width))
    }

    /// The commands that print `slip`. Throws only when the QR payload is too long for a QR code.
    public func commands(for slip: TicketSlip) throws(ESCPOSError) -> [ESCPOSCommand] {
        let qr = try QRCode(slip.qrPayload, moduleSize: qrModuleSize)
        var b = SlipBuilder(columns: columns)
        b.add(.initialize)
        b.add(.chineseMode(true))
        b.add(.align(.center))

        b.add(.bold(true))
        b.lines(slip.hallName)
        b.add(.bold(false))
        b.lines(slip.categoryName)
        b.blank()

        let m = numberMagnification(for: slip.number)
        b.add(.characterSize(width: m, height: m))
        b.add(.bold(true))
        b.lines(slip.number, magnification: Int(m.rawValue))
        b.add(.bold(false))
        b.add(.normalSize)
        if let label = slip.priorityLabel, !label.isEmpty {
            b.lines("【\(label)】")
        }
        b.blank()

        let ahead = max(0, slip.ahead)
        b.bilingual("前面还有 \(ahead) 人", ahead == 1 ? "1 person ahead" : "\(ahead) people ahead")
        let minutes = Self.waitMinutes(slip.estimatedWaitSeconds)
        if minutes > 0 {
            b.bilingual("预计等待约 \(minutes) 分钟", "~\(minutes) min")
        } else {
            b.bilingual("即将叫号", "you are next")
        }
        b.lines(LocalTime.minutes(slip.issuedAt, in: slip.timeZone))
        b.blank()

        b.add(.qrCode(qr))
        b.blank()
        b.lines(slip.footer ?? Self.defaultFooter)
        b.add(.feed(lines: 2))
        b.add(.cut)
        return b.commands
    }

    /// Whole minutes to announce, rounded up so the estimate is never optimistic by a fraction;
    /// 0 when no wait is expected.
    public static func waitMinutes(_ seconds: Int) -> Int {
        seconds <= 0 ? 0 : (seconds + 59) / 60
    }
}
