import Foundation

/// Whether the database can be used: `fault` while it cannot be written or read (read-only,
/// disk full, I/O error, corrupt), with the reason in words a technician can act on.
public struct StorageHealth: Sendable, Equatable {
    public enum State: String, Sendable { case ok, fault }
    public var state: State
    /// The reason, naming the file; nil when ok.
    public var error: String?
    /// When the current state began.
    public var since: Date

    public init(state: State, error: String? = nil, since: Date = Date()) {
        self.state = state
        self.error = error
        self.since = since
    }

    public static func ok(since: Date = Date()) -> StorageHealth { StorageHealth(state: .ok, since: since) }

    /// Takes `new` and returns true when the state changed (ok ⇄ fault): what a health sink is
    /// told of. A fault's newer reason replaces the old one quietly, keeping its `since`.
    mutating func change(to new: StorageHealth) -> Bool {
        if state == new.state {
            if new.state == .fault { error = new.error }
            return false
        }
        self = new
        return true
    }
}

/// What a technician checks about the database beyond its health (`daemon.status`, `kioskctl
/// doctor`): the schema it is at, and for a database server which one answers, its version and
/// how far its clock is from this machine's. Nil where unknown or not applicable.
public struct StorageFacts: Sendable, Equatable {
    /// The newest migration applied ("v6_terminals").
    public var schema: String?
    /// The server that answers ("db1:5432"), its version ("15.18").
    public var server: String?
    public var serverVersion: String?
    /// The server's clock minus this machine's, in seconds (the round trip's midpoint).
    public var clockSkewSeconds: Double?

    public init(schema: String? = nil, server: String? = nil, serverVersion: String? = nil, clockSkewSeconds: Double? = nil) {
        self.schema = schema
        self.server = server
        self.serverVersion = serverVersion
        self.clockSkewSeconds = clockSkewSeconds
    }
}
