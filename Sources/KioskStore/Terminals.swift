import Foundation

/// A terminal of the hall (终端) as it last reported itself: every daemon on a shared database
/// writes its own row every few seconds, so the others can tell it is alive.
public struct TerminalRecord: Sendable, Equatable {
    public var name: String
    /// When the terminal last reported, by its own clock (shown to people).
    public var seenAt: Date
    public var startedAt: Date
    public var version: String
    /// Seconds since the database last heard from it, by the database's clock (read only): what
    /// staleness is judged by, so a terminal whose clock is off is neither stale too early nor
    /// kept alive too long in the other terminals' eyes.
    public var silentSeconds: Double

    public init(name: String, seenAt: Date, startedAt: Date, version: String, silentSeconds: Double = 0) {
        self.name = name
        self.seenAt = seenAt
        self.startedAt = startedAt
        self.version = version
        self.silentSeconds = silentSeconds
    }
}

/// One device of a terminal as its daemon last reported it: the `device.list` entry, as JSON.
public struct TerminalDeviceRecord: Sendable, Equatable {
    public var terminal: String
    public var id: String
    public var entry: String
    public var updatedAt: Date

    public init(terminal: String, id: String, entry: String, updatedAt: Date) {
        self.terminal = terminal
        self.id = id
        self.entry = entry
        self.updatedAt = updatedAt
    }
}
