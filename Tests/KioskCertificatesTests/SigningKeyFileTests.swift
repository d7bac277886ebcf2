import Crypto
import Foundation
import Synchronization
import Testing

@testable import KioskCertificates

#if canImport(Glibc)
import Glibc
#endif

/// `<stateDir>/certificate-signing.key`: created once with mode 0600, refused when unsafe.
@Suite("Signing: the key file")
struct SigningKeyFileTests {
    /// A fresh state dir for one test.
    final class StateDir: Sendable {
        let path: String
        init(_ name: String = #function) throws {
            path = NSTemporaryDirectory() + "kioskd-signing-\(name.filter(\.isLetter))-\(UUID().uuidString.prefix(8))"
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        }
        deinit { try? FileManager.default.removeItem(atPath: path) }
        var keyPath: String { path + "/certificate-signing.key" }
    }

    func mode(_ path: String) throws -> mode_t {
        var info = stat()
        try #require(lstat(path, &info) == 0)
        return info.st_mode & 0o7777
    }

    func write(_ bytes: [UInt8], to path: String, mode: mode_t) throws {
        try #require(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
        try #require(chmod(path, mode) == 0)
    }

    func problem(_ body: () throws(SigningKeyError) -> PayloadSigner) -> SigningKeyError.Problem? {
        do {
            _ = try body()
            Issue.record("expected the key file to be refused")
            return nil
        } catch {
            return error.problem
        }
    }

    @Test func theFirstStartCreatesA32ByteKeyReadableOnlyByTheOwner() throws {
        let dir = try StateDir()
        let signer = try PayloadSigner.loadOrCreate(stateDir: dir.path)
        #expect(try mode(dir.keyPath) == 0o600)
        let seed = try #require(FileManager.default.contents(atPath: dir.keyPath))
        #expect(seed.count == 32)
        // The file holds the key that signs: the public key derived from it is the signer's.
        let stored = try Curve25519.Signing.PrivateKey(rawRepresentation: seed)
        #expect(stored.publicKey.rawRepresentation == signer.publicKey.rawRepresentation)
        // Nothing else is left behind (no temporary file).
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["certificate-signing.key"])
    }

    @Test func laterStartsLoadTheSameKey() throws {
        let dir = try StateDir()
        let first = try PayloadSigner.loadOrCreate(stateDir: dir.path)
        let second = try PayloadSigner.loadOrCreate(stateDir: dir.path + "/")
        #expect(first.publicKey == second.publicKey)
        let payload = first.payload(for: SigningFixture.claims())
        #expect(second.verifier.verify(payload).claims != nil)
    }

    @Test func twoStartersRacingGetOneKey() throws {
        let dir = try StateDir()
        let keys = Mutex<[SigningPublicKey]>([])
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            if let signer = try? PayloadSigner.loadOrCreate(stateDir: dir.path) {
                keys.withLock { $0.append(signer.publicKey) }
            }
        }
        let all = keys.withLock { $0 }
        #expect(all.count == 8)
        #expect(Set(all).count == 1)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["certificate-signing.key"])
    }

    @Test(arguments: [0o644, 0o640, 0o604, 0o660, 0o666, 0o700 | 0o004] as [mode_t])
    func aKeyOthersCanReadIsRefused(permissions: mode_t) throws {
        let dir = try StateDir()
        try write(Array(repeating: 7, count: 32), to: dir.keyPath, mode: permissions)
        #expect(problem { () throws(SigningKeyError) in try PayloadSigner.loadOrCreate(stateDir: dir.path) } == .insecureMode(permissions))
        // Refused, not repaired: the mode and the key stay as they were.
        #expect(try mode(dir.keyPath) == permissions)
        #expect(FileManager.default.contents(atPath: dir.keyPath) == Data(repeating: 7, count: 32))
    }

    @Test func theMessageSaysWhatToDo() throws {
        let dir = try StateDir()
        try write(Array(repeating: 7, count: 32), to: dir.keyPath, mode: 0o644)
        do {
            _ = try PayloadSigner.loadOrCreate(stateDir: dir.path)
            Issue.record("expected a refusal")
        } catch {
            #expect(error.description.hasPrefix(dir.keyPath + " is accessible to group or others (mode 0644)"))
            #expect(error.description.contains("chmod 600"))
        }
    }

    @Test(arguments: [0o600, 0o400] as [mode_t])
    func anOwnerOnlyKeyIsAccepted(permissions: mode_t) throws {
        let dir = try StateDir()
        let key = Curve25519.Signing.PrivateKey()
        try write(Array(key.rawRepresentation), to: dir.keyPath, mode: permissions)
        let signer = try PayloadSigner.loadOrCreate(stateDir: dir.path)
        #expect(signer.publicKey.rawRepresentation == key.publicKey.rawRepresentation)
    }

    @Test(arguments: [0, 31, 33, 64])
    func aKeyOfTheWrongSizeIsRefused(size: Int) throws {
        let dir = try StateDir()
        try write(Array(repeating: 1, count: size), to: dir.keyPath, mode: 0o600)
        #expect(problem { () throws(SigningKeyError) in try PayloadSigner.loadOrCreate(stateDir: dir.path) } == .wrongSize(size))
        #expect(FileManager.default.contents(atPath: dir.keyPath)?.count == size)
    }

    @Test func aSymbolicLinkIsRefused() throws {
        let dir = try StateDir()
        try write(Array(repeating: 1, count: 32), to: dir.path + "/elsewhere.key", mode: 0o600)
        try #require(symlink(dir.path + "/elsewhere.key", dir.keyPath) == 0)
        #expect(problem { () throws(SigningKeyError) in try PayloadSigner.loadOrCreate(stateDir: dir.path) } == .symbolicLink)
    }

    @Test func aFolderInPlaceOfTheKeyIsRefused() throws {
        let dir = try StateDir()
        try FileManager.default.createDirectory(atPath: dir.keyPath, withIntermediateDirectories: false)
        #expect(problem { () throws(SigningKeyError) in try PayloadSigner.loadOrCreate(stateDir: dir.path) } == .notARegularFile)
    }

    @Test func aMissingStateDirIsAnError() throws {
        let dir = try StateDir()
        let problem = problem { () throws(SigningKeyError) in try PayloadSigner.loadOrCreate(stateDir: dir.path + "/missing") }
        #expect(problem == .io("create", ENOENT))
    }
}
