import Foundation

/// One call to announce (叫号播报请求): what the daemon hands the voice device for every
/// `ticket.called` and `ticket.recalled`.
public struct VoiceRequest: Sendable, Equatable {
    public var ticketId: Int64
    /// The ticket number as printed ("A012").
    public var number: String
    public var windowId: String
    /// How the voice names the window: `Window.spokenName` (`voice_name`, else its name).
    public var windowName: String
    /// The `seq` of the event that called it; the screens fetch the announcement by it.
    public var seq: Int64
    /// When the call was made: an announcement older than `max_delay_seconds` when its turn
    /// comes is dropped, not played late.
    public var calledAt: Date

    public init(ticketId: Int64, number: String, windowId: String, windowName: String, seq: Int64, calledAt: Date) {
        self.ticketId = ticketId
        self.number = number
        self.windowId = windowId
        self.windowName = windowName
        self.seq = seq
        self.calledAt = calledAt
    }
}

/// What happened to an announcement, for the events `voice.started`, `voice.finished` and
/// `voice.dropped`: `{ticket: {id, number}, window, text, repeat, device}`, `reason` on dropped.
///
/// Every request gets exactly one `dropped`, or a `started` followed by `finished` (or by
/// `dropped` when the output failed while playing).
public struct VoiceNotification: Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable, CaseIterable {
        case started, finished, dropped
    }

    public var kind: Kind
    public var ticketId: Int64
    public var number: String
    /// The window's id.
    public var window: String
    /// The announcement as displayed (请A012号到3号窗口办理).
    public var text: String
    public var repeatCount: Int
    /// The voice device's id.
    public var device: String
    /// Why it was dropped; nil otherwise.
    public var reason: String?
    /// The `seq` of the call's event.
    public var seq: Int64

    public init(
        kind: Kind, ticketId: Int64, number: String, window: String, text: String, repeatCount: Int, device: String,
        reason: String? = nil, seq: Int64
    ) {
        self.kind = kind
        self.ticketId = ticketId
        self.number = number
        self.window = window
        self.text = text
        self.repeatCount = repeatCount
        self.device = device
        self.reason = reason
        self.seq = seq
    }

    /// The event topic: `voice.started`, `voice.finished`, `voice.dropped`.
    public var topic: String { "voice.\(kind.rawValue)" }
}
