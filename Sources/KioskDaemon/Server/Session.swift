import Foundation
import KioskCore
import Synchronization

/// One client connection's identity: its peer, the role it holds (possibly lowered by
/// `session.hello`) and its id for card tokens and logs.
final class Session: Sendable {
    let id: UInt64
    let peer: PeerCredentials?
    private let state: Mutex<(role: Role?, client: String?)>

    init(id: UInt64, peer: PeerCredentials?, role: Role?) {
        self.id = id
        self.peer = peer
        self.state = Mutex((role, nil))
    }

    var role: Role? { state.withLock { $0.role } }
    var client: String? { state.withLock { $0.client } }

    /// `session.hello`: only ever lowers the role.
    func lower(to new: Role?, client: String?) -> Bool {
        state.withLock { s in
            if let client { s.client = String(client.prefix(64)) }
            guard let new else { return true }
            guard let current = s.role, current.mayBecome(new) else { return false }
            s.role = new
            return true
        }
    }

    var caller: Caller { Caller(role: role ?? .display, connection: id) }
}
