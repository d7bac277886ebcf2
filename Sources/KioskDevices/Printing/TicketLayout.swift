import Foundation
import KioskCore

/// How a queue ticket is set on a thermal roll, as ESC/POS commands: the printer's
/// `TicketTemplate` (from `Config/tickets/`, or `TicketTemplate.standard`) filled with the
/// ticket's values and fitted to the paper width.
///
/// Centred throughout, because a ticket is read at a glance. The same layout serves every
/// ESC/POS printer, simulated or real; only the paper width and the template vary.
public struct TicketLayout: Sendable, Equatable {
    /// The printable width: 384 dots on 58 mm paper, 576 on 80 mm.
    public let paperWidthDots: Int
    public let template: TicketTemplate

    /// 384 dots (58 mm) unless told otherwise; the standard template unless given one.
    public init(paperWidthDots: Int? = nil, template: TicketTemplate? = nil) {
        self.paperWidthDots = paperWidthDots ?? 384
        self.template = template ?? .standard
    }

    /// Characters per line at normal size (32 or 48).
    public var columns: Int { TextColumns.columns(forPaperWidthDots: paperWidthDots) }

    /// 80 mm rolls are 576 dots wide or more; anything narrower is set as 58 mm.
    public var paperMM: Int { paperWidthDots >= 576 ? 80 : 58 }

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
        let values = Self.values(for: slip)
        let minutes = Self.waitMinutes(slip.estimatedWaitSeconds)
        var b = SlipBuilder(columns: columns)
        b.add(.initialize)
        b.add(.chineseMode(true))
        b.add(.align(.center))
        for block in template.blocks {
            switch block {
            case .blank(let n):
                for _ in 0..<n { b.blank() }
            case .feed(let n):
                b.add(.feed(lines: UInt8(n)))
            case .qr:
                b.add(.qrCode(qr))
            case .text(let t):
                if let paper = t.paperMM, paper != paperMM { continue }
                switch t.when {
                case .priority?: if (slip.priorityLabel ?? "").isEmpty { continue }
                case .waiting?: if minutes == 0 { continue }
                case .next?: if minutes > 0 { continue }
                case nil: break
                }
                let text = TicketTemplate.fill(t.chinese, values)
                let m: ESCPOSCommand.Magnification
                switch t.size {
                case .max: m = numberMagnification(for: text)
                case .times(let n): m = .init(clamping: n)
                }
                if t.size != .normal { b.add(.characterSize(width: m, height: m)) }
                if t.bold { b.add(.bold(true)) }
                if let english = t.english {
                    b.bilingual(text, TicketTemplate.fill(english, values))
                } else {
                    b.lines(text, magnification: Int(m.rawValue))
                }
                if t.bold { b.add(.bold(false)) }
                if t.size != .normal { b.add(.normalSize) }
            }
        }
        b.add(.cut)
        return b.commands
    }

    /// What each placeholder becomes on this slip.
    static func values(for slip: TicketSlip) -> [String: String] {
        let ahead = max(0, slip.ahead)
        return [
            "hall": slip.hallName, "category": slip.categoryName, "number": slip.number,
            "priority": slip.priorityLabel ?? "", "ahead": String(ahead),
            "aheadPeople": ahead == 1 ? "1 person" : "\(ahead) people",
            "waitMinutes": String(waitMinutes(slip.estimatedWaitSeconds)),
            "time": LocalTime.minutes(slip.issuedAt, in: slip.timeZone),
        ]
    }

    /// Whole minutes to announce, rounded up so the estimate is never optimistic by a fraction;
    /// 0 when no wait is expected.
    public static func waitMinutes(_ seconds: Int) -> Int {
        seconds <= 0 ? 0 : (seconds + 59) / 60
    }
}
