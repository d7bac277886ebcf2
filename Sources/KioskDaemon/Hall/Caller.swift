import KioskCore

/// Who is asking: the role of the connection and which connection (card tokens are bound to it).
public struct Caller: Sendable, Equatable {
    public var role: Role
    public var connection: UInt64
    public init(role: Role, connection: UInt64 = 0) {
        self.role = role
        self.connection = connection
    }
    public static let admin = Caller(role: .admin)
}
