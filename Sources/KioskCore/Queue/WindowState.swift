import Foundation

/// The runtime state of a window (open / paused / closed, who staffs it). Configuration says a
/// window exists; this says whether it is calling.
public struct WindowState: Sendable, Equatable {
    public enum Status: String, Sendable, Equatable, Codable { case open, paused, closed }
    public var id: String
    public var status: Status
    public var staff: String?
    public var since: Date?

    public init(id: String, status: Status = .closed, staff: String? = nil, since: Date? = nil) {
        self.id = id
        self.status = status
        self.staff = staff
        self.since = since
    }

    public func checkCanCall() throws {
        guard status == .open else {
            throw KioskError(.closed, "window \(id) is \(status.rawValue): open it before calling",
                details: ["state": status.rawValue])
        }
    }
}
