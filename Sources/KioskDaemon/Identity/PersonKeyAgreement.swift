import Crypto
import Foundation
import KioskCore
import KioskStore

/// Every daemon on one hall database must hash ID numbers under the same `person.key` (个人密钥):
/// otherwise "one active ticket per person" and appointment matching fail across terminals, and
/// a pickup code worked out on one terminal is refused on another. The first daemon records a
/// fingerprint of its key in the database (never the key: it would let the hashes beside it be
/// reversed); a daemon with another key refuses to start, naming the file to copy.
extension PersonKeys {
    static let fingerprintMeta = "person_key_fingerprint"

    /// 16 hex digits of an HMAC of a fixed text: tells keys apart, reveals nothing of the key.
    var fingerprint: String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data("kioskd person key check".utf8), using: symmetricKey)
        return mac.prefix(8).map { String(format: "%02x", $0) }.joined()
    }

    /// Records this key's fingerprint, or checks it against the one recorded; throws when they
    /// differ. Storage errors pass through (the caller tries again later).
    func agree(with store: any Store, stateDir: String) async throws {
        let mine = fingerprint
        let recorded = try await store.write { w -> String? in
            if let recorded = try w.meta(Self.fingerprintMeta) { return recorded }
            try w.setMeta(Self.fingerprintMeta, mine)
            return nil
        }
        if let recorded, recorded != mine {
            throw KioskError(.storageUnavailable, """
                \(stateDir)/person.key is not the key this hall's database was started with (fingerprint \(mine), \
                the database's \(recorded)): copy person.key from a terminal already serving this hall, or restore it \
                from backup (docs/operations.md, "Hall database")
                """)
        }
    }
}
