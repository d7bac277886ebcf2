import Crypto
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `<stateDir>/certificate-signing.key`: the 32-byte Ed25519 seed that signs every certificate's
/// QR code. Losing it invalidates no certificate (the public key verifies them) but stops new ones
/// from verifying under the published key; leaking it lets anyone mint valid QR codes. So:
///
/// - it is created once, atomically: written to a temporary file opened with
///   `O_CREAT|O_EXCL|O_NOFOLLOW` and mode 0600, fsynced, then hard-linked into place (`link` fails
///   if another process got there first, whose key is then used) and the folder fsynced. A crash
///   leaves either no key file or a whole one;
/// - an existing file is refused, never repaired, when it is not a regular file, is a symlink, is
///   not owned by the daemon's user, is readable or writable by group or others, or is not exactly
///   32 bytes: each says what to do in `SigningKeyError`.
struct SigningKeyFile {
    static let name = "certificate-signing.key"
    static let seedLength = 32

    let path: String

    init(stateDir: String) {
        path = (stateDir.hasSuffix("/") ? stateDir : stateDir + "/") + Self.name
    }

    func loadOrCreate() throws(SigningKeyError) -> Curve25519.Signing.PrivateKey {
        if let existing = try load() { return existing }
        return try create()
    }

    /// The stored key; nil when there is no file.
    func load() throws(SigningKeyError) -> Curve25519.Signing.PrivateKey? {
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else {
            let code = errno
            if code == ENOENT { return nil }
            if code == ELOOP { throw SigningKeyError(path: path, problem: .symbolicLink) }
            throw SigningKeyError(path: path, problem: .io("open", code))
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw SigningKeyError(path: path, problem: .io("stat", errno)) }
        guard info.st_mode & S_IFMT == S_IFREG else { throw SigningKeyError(path: path, problem: .notARegularFile) }
        guard info.st_uid == geteuid() else {
            throw SigningKeyError(path: path, problem: .wrongOwner(uid: info.st_uid, expected: geteuid()))
        }
        let permissions = info.st_mode & 0o777
        guard permissions & 0o077 == 0 else { throw SigningKeyError(path: path, problem: .insecureMode(permissions)) }
        guard info.st_size == Self.seedLength else { throw SigningKeyError(path: path, problem: .wrongSize(Int(info.st_size))) }

        var seed = [UInt8](repeating: 0, count: Self.seedLength)
        var count = 0
        while count < Self.seedLength {
            let n = seed.withUnsafeMutableBytes { read(fd, $0.baseAddress! + count, Self.seedLength - count) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else {
                throw SigningKeyError(path: path, problem: n == 0 ? .wrongSize(count) : .io("read", errno))
            }
            count += n
        }
        defer { seed.withUnsafeMutableBytes { _ = memset($0.baseAddress!, 0, $0.count) } }
        do {
            return try Curve25519.Signing.PrivateKey(rawRepresentation: seed)
        } catch {
            throw SigningKeyError(path: path, problem: .wrongSize(count))
        }
    }

    private func create() throws(SigningKeyError) -> Curve25519.Signing.PrivateKey {
        let key = Curve25519.Signing.PrivateKey()
        let temporary = path + ".new-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw SigningKeyError(path: path, problem: .io("create", errno)) }
        // The temporary name goes in every case; after `link` the key lives on under `path`.
        defer { unlink(temporary) }
        do {
            defer { close(fd) }
            // The mode given to open() is masked by the umask; make it exactly 0600.
            guard fchmod(fd, 0o600) == 0 else { throw SigningKeyError(path: path, problem: .io("chmod", errno)) }
            let seed = key.rawRepresentation
            var written = 0
            while written < seed.count {
                let n = seed.withUnsafeBytes { write(fd, $0.baseAddress! + written, seed.count - written) }
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { throw SigningKeyError(path: path, problem: .io("write", errno)) }
                written += n
            }
            guard fsync(fd) == 0 else { throw SigningKeyError(path: path, problem: .io("fsync", errno)) }
        }
        guard link(temporary, path) == 0 else {
            let code = errno
            if code == EEXIST, let winner = try load() { return winner }  // another starter won the race
            throw SigningKeyError(path: path, problem: .io("link", code))
        }
        syncFolder()
        return key
    }

    /// Makes the new directory entry durable; best effort (some file systems refuse a directory fsync).
    private func syncFolder() {
        let folder = path.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        let fd = open(folder.isEmpty ? "/" : folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = fsync(fd)
        close(fd)
    }
}

/// Why the signing key could not be loaded or created. The daemon prints `description` and does
/// not start: signing with a key nobody can trust would be worse than not printing.
public struct SigningKeyError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Problem: Sendable, Equatable {
        /// Permission bits with group or other access.
        case insecureMode(mode_t)
        case wrongSize(Int)
        case notARegularFile
        case symbolicLink
        case wrongOwner(uid: uid_t, expected: uid_t)
        /// A system call that failed, and its errno.
        case io(String, Int32)
    }

    public let path: String
    public let problem: Problem

    public var description: String {
        let keep = "(a new key would make this hall's QR codes stop verifying under the published public key)"
        switch problem {
        case .insecureMode(let mode):
            return "\(path) is accessible to group or others (mode \(String(mode, radix: 8, uppercase: false).leftPadded(to: 4))): "
                + "run chmod 600 on it, and replace the key if it may have been copied"
        case .wrongSize(let size):
            return "\(path) is \(size) bytes, expected \(SigningKeyFile.seedLength): restore it from a backup \(keep)"
        case .notARegularFile:
            return "\(path) is not a regular file: move it away and restore the key file from a backup \(keep)"
        case .symbolicLink:
            return "\(path) is a symbolic link: put the key file itself there"
        case .wrongOwner(let uid, let expected):
            return "\(path) is owned by uid \(uid), not by kioskd's uid \(expected): chown it to the daemon's user"
        case .io(let call, let code):
            return "\(path): \(call) failed: \(String(cString: strerror(code)))"
        }
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}
