import Crypto
import Foundation
import KioskCore
import KioskStore
import Synchronization

/// Keys every daemon on one hall database must share (全厅共用密钥), each a file in its state dir:
/// - `person.key`: ID numbers are stored as an HMAC under it, so with another key "one active
///   ticket per person" and appointment matching fail across terminals, and a pickup code worked
///   out on one terminal is refused on another;
/// - `certificate-signing.key`: a certificate's QR is signed at one terminal and verified at any
///   other (and by the public, with the hall's one published public key).
/// The first daemon records each key's fingerprint in the database (never the key: the person
/// key beside the hashes would let them be reversed); a daemon with another key refuses to start,
/// naming the file to copy.
final class HallKeyAgreement: Sendable {
    struct Key: Sendable {
        /// The `meta` row holding its fingerprint.
        var meta: String
        var fingerprint: String
        /// Its file, for the message.
        var path: String
    }

    let keys: [Key]
    /// Set once the database holds these fingerprints: nothing more to check.
    private let agreed = Mutex(false)

    init(stateDir: String, persons: PersonKeys, signingKey: SigningPublicKeyFingerprint) {
        keys = [
            Key(meta: "person_key_fingerprint", fingerprint: persons.fingerprint, path: stateDir + "/person.key"),
            Key(meta: "certificate_signing_key_fingerprint", fingerprint: signingKey.value,
                path: stateDir + "/certificate-signing.key"),
        ]
    }

    /// Records each key's fingerprint, or checks it against the one recorded; throws for the
    /// first that differs. Once they agree, returns at once. Storage errors pass through (the
    /// caller tries again later).
    func agree(with store: any Store) async throws {
        guard !agreed.withLock({ $0 }) else { return }
        let keys = self.keys
        let differing = try await store.write { w -> (Key, String)? in
            for key in keys {
                if let recorded = try w.meta(key.meta) {
                    if recorded != key.fingerprint { return (key, recorded) }
                } else {
                    try w.setMeta(key.meta, key.fingerprint)
                }
            }
            return nil
        }
        if let (key, recorded) = differing {
            throw KioskError(.storageUnavailable, """
                \(key.path) is not the key this hall's database was started with (fingerprint \(key.fingerprint.prefix(16)), \
                the database's \(recorded.prefix(16))): copy it from a terminal already serving this hall, or restore it \
                from backup (docs/operations.md, "Hall database")
                """)
        }
        agreed.withLock { $0 = true }
    }
}

/// A signing key's public fingerprint, passed in by whoever loaded the key.
struct SigningPublicKeyFingerprint: Sendable {
    var value: String
}

extension PersonKeys {
    /// 16 hex digits of an HMAC of a fixed text: tells keys apart, reveals nothing of the key.
    var fingerprint: String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data("kioskd person key check".utf8), using: symmetricKey)
        return mac.prefix(8).map { String(format: "%02x", $0) }.joined()
    }
}
