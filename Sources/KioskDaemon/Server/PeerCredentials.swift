import Foundation
import KioskCore

/// The uid/gid of the process at the other end of a Unix socket (SO_PEERCRED), and the role
/// `[access]` gives it. Root and the daemon's own uid are `admin` (contract).
public struct PeerCredentials: Sendable, Equatable {
    public var pid: Int32
    public var uid: UInt32
    public var gid: UInt32

    public init(pid: Int32, uid: UInt32, gid: UInt32) {
        self.pid = pid
        self.uid = uid
        self.gid = gid
    }

    /// The user's name and all its groups' names, from the system databases.
    public func identity() -> (user: String?, groups: Set<String>) {
        var pwd = passwd(), result: UnsafeMutablePointer<passwd>?
        var buf = [CChar](repeating: 0, count: 4096)
        getpwuid_r(uid, &pwd, &buf, buf.count, &result)
        let user = result != nil ? String(cString: pwd.pw_name) : nil
        var gids = [gid_t](repeating: 0, count: 256)
        var n = Int32(gids.count)
        if let user { _ = getgrouplist(user, gid, &gids, &n) } else { gids = [gid]; n = 1 }
        var groups = Set<String>()
        for g in gids.prefix(Int(max(n, 0))) {
            var grp = group(), gres: UnsafeMutablePointer<group>?
            var gbuf = [CChar](repeating: 0, count: 4096)
            getgrgid_r(g, &grp, &gbuf, gbuf.count, &gres)
            if gres != nil { groups.insert(String(cString: grp.gr_name)) }
        }
        return (user, groups)
    }
}

/// Maps a peer to its role. The most capable matching role wins; no match is no role.
public enum AccessPolicy {
    static let precedence: [Role] = [.admin, .technician, .operator, .approval, .counter, .kiosk, .display]

    public static func role(for peer: PeerCredentials, access: AccessTable, daemonUid: UInt32 = getuid()) -> Role? {
        if isAdmin(peer, daemonUid: daemonUid) { return .admin }
        let (user, groups) = peer.identity()
        return role(user: user, groups: groups, access: access)
    }

    /// Root and the daemon's own uid are `admin` whatever `[access]` says (contract).
    public static func isAdmin(_ peer: PeerCredentials, daemonUid: UInt32 = getuid()) -> Bool {
        peer.uid == 0 || peer.uid == daemonUid
    }

    public static func role(user: String?, groups: Set<String>, access: AccessTable) -> Role? {
        precedence.first { role in
            guard let rule = access.rules[role] else { return false }
            return (user.map(rule.users.contains) ?? false) || !groups.isDisjoint(with: rule.groups)
        }
    }
}
