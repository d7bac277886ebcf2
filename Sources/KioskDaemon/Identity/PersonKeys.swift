import Crypto
import Foundation
import KioskCore

/// Turns an ID number into the keyed hash stored for "one active ticket per person" and
/// appointment matching: HMAC-SHA256 under a key generated once into the state dir (mode 0600).
/// The number itself is never stored or logged; without the key the hash cannot be brute-forced
/// from the small space of valid ID numbers.
public struct PersonKeys: Sendable {
    // Kept as bytes: SymmetricKey is not Sendable.
    private let keyBytes: Data

    public init(key: SymmetricKey) { keyBytes = key.withUnsafeBytes { Data($0) } }

    var symmetricKey: SymmetricKey { SymmetricKey(data: keyBytes) }

    /// Loads `<stateDir>/person.key`, creating it (0600, exclusive) on first start.
    public static func load(stateDir: String) throws -> PersonKeys {
        let path = stateDir + "/person.key"
        if let data = FileManager.default.contents(atPath: path) {
            guard data.count == 32 else {
                throw KioskError(.storageUnavailable, "\(path) is \(data.count) bytes, expected 32: restore it from backup")
            }
            return PersonKeys(key: SymmetricKey(data: data))
        }
        let key = SymmetricKey(size: .bits256)
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            if errno == EEXIST { return try load(stateDir: stateDir) }  // another starter won the race
            throw KioskError(.storageUnavailable, "cannot create \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        let written = key.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == 32, fsync(fd) == 0 else {
            throw KioskError(.storageUnavailable, "cannot write \(path): \(String(cString: strerror(errno)))")
        }
        return PersonKeys(key: key)
    }

    /// The 8-digit pickup code of a print order: derived from the order id under the hall's key,
    /// so it is never stored, a resubmitted order gets the same code back, and without the key
    /// no code can be worked out from an order id.
    public func pickupCode(order: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data("pickup-code:\(order)".utf8), using: SymmetricKey(data: keyBytes))
        let n = mac.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) } % 100_000_000
        let digits = String(n)
        return String(repeating: "0", count: 8 - digits.count) + digits
    }

    /// The stored key for a validated ID number.
    public func key(for id: IDNumber) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data("idnumber:\(id.digits)".utf8), using: SymmetricKey(data: keyBytes))
        return mac.map { String(format: "%02x", $0) }.joined()
    }
}
