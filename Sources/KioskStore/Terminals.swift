import Foundation

/// A terminal of the hall (终端) as it last reported itself: every daemon on a shared database
/// writes its own row every few seconds, so the others can tell it is alive.
public struct TerminalRecord: Sendable, Equatable {
    public var name: String
    public var seenAt: Date
    public var startedAt: Date
    public var version: String

    public init(name: String, seenAt: Date, startedAt: Date, version: String) {
        self.name = name
        self.seenAt = seenAt
        self.startedAt = startedAt
        self.version = version
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
