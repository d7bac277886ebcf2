import Foundation
import KioskCore

/// What goes on a queue ticket (排队小票): everything the citizen needs to wait without asking.
///
/// Plain values, decided by the daemon when the ticket is issued (the position and estimate
/// are those of that moment), so printing twice prints the same slip.
public struct TicketSlip: Sendable, Equatable {
    /// The hall (政务服务大厅) name printed at the top.
    public var hallName: String
    /// The service line (业务类别), e.g. "企业开办".
    public var categoryName: String
    /// The ticket number ("A001"), printed large.
    public var number: String
    /// People before this ticket in its queue when it was issued.
    public var ahead: Int
    /// Estimated wait when issued, in seconds.
    public var estimatedWaitSeconds: Int
    public var issuedAt: Date
    /// The hall's time zone, for the local issue time.
    public var timeZone: TimeZone
    /// What the QR code says, e.g. "kioskd:ticket:500107-01:2026-11-21:A001".
    public var qrPayload: String
    /// "绿色通道" or "预约" for a priority ticket; nil for a normal one.
    public var priorityLabel: String?

    public init(
        hallName: String, categoryName: String, number: String, ahead: Int,
        estimatedWaitSeconds: Int, issuedAt: Date, timeZone: TimeZone, qrPayload: String,
        priorityLabel: String? = nil
    ) {
        self.hallName = hallName
        self.categoryName = categoryName
        self.number = number
        self.ahead = ahead
        self.estimatedWaitSeconds = estimatedWaitSeconds
        self.issuedAt = issuedAt
        self.timeZone = timeZone
        self.qrPayload = qrPayload
        self.priorityLabel = priorityLabel
    }

    /// The slip of an issued ticket: hall and category names from the configuration, the
    /// ticket's own number, day and priority, and the queue position computed at issue.
    public init(
        ticket: Ticket, hall: HallInfo, categoryName: String, ahead: Int,
        estimatedWaitSeconds: Int, timeZone: TimeZone
    ) {
        self.init(
            hallName: hall.name, categoryName: categoryName, number: ticket.number, ahead: ahead,
            estimatedWaitSeconds: estimatedWaitSeconds, issuedAt: ticket.issuedAt,
            timeZone: timeZone,
            qrPayload: Self.qrPayload(hallCode: hall.code, day: ticket.day, number: ticket.number),
            priorityLabel: Self.priorityLabel(ticket.priority))
    }

    /// "kioskd:ticket:<hall code>:<hall-day>:<number>": names one ticket across halls and days
    /// without any personal data, so the code can be scanned by anyone.
    public static func qrPayload(hallCode: String, day: HallDay, number: String) -> String {
        "kioskd:ticket:\(hallCode):\(day.rawValue):\(number)"
    }

    /// The label printed for a priority: 绿色通道 (green channel) or 预约 (appointment).
    public static func priorityLabel(_ priority: Ticket.Priority) -> String? {
        switch priority {
        case .normal: nil
        case .green: "绿色通道"
        case .appointment: "预约"
        }
    }
}
