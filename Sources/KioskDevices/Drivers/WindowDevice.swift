import KioskCore

/// What a window display (窗口屏) is asked to show: the text and how (the profile's mode and colour
/// bytes for that window state).
public struct WindowDisplayContent: Sendable, Equatable, CustomStringConvertible {
    public var text: String
    public var mode: UInt8
    public var colour: UInt8

    public init(text: String, mode: UInt8, colour: UInt8) {
        self.text = text
        self.mode = mode
        self.colour = colour
    }

    public var description: String { text.isEmpty ? "(blank)" : text }
}

/// A strip above a window: shows one text at a time.
public protocol WindowDisplay: Device {
    /// The window it hangs over.
    var window: String { get }
    /// Its protocol's texts, modes and colours per window state.
    var profile: WindowDeviceProfile { get }
    /// Shows `content`; the outcome is also the device's health.
    func show(_ content: WindowDisplayContent) async throws(DeviceError)
    /// What it shows now (as last acknowledged), nil before the first success.
    var showing: WindowDisplayContent? { get }
}

/// A key of a caller keypad, or an evaluator's rating.
public struct WindowKeyPress: Sendable, Equatable {
    public var action: WindowDeviceProfile.Action
    /// The rating, for `.evaluation` (1–5).
    public var score: Int?

    public init(action: WindowDeviceProfile.Action, score: Int? = nil) {
        self.action = action
        self.score = score
    }
}

/// A caller keypad (呼叫器) or an evaluator (评价器) at a window: reports presses, and may show a
/// short text on its own display.
public protocol WindowKeys: Device {
    var window: String { get }
    var profile: WindowDeviceProfile { get }
    /// Registers the one handler of presses (the daemon), each press once.
    func onPress(_ handler: @escaping @Sendable (WindowKeyPress) -> Void)
    /// Shows `text` on the device's display (best effort: no answer is expected).
    func display(_ text: String) async throws(DeviceError)
}
