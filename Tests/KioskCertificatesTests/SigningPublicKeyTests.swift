import Crypto
import Foundation
import Testing

@testable import KioskCertificates

/// The exported public key (`kioskctl cert pubkey`): standard PEM that other tools read.
@Suite("Signing: the public key")
struct SigningPublicKeyTests {
    /// RFC 8032 §7.1, test 1.
    static let rfcSecret = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"
    static let rfcPublic = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"

    static func bytes(_ hex: String) -> Data { Hex.decode(hex)! }

    @Test func theSignerUsesEd25519() throws {
        let key = try Curve25519.Signing.PrivateKey(rawRepresentation: Self.bytes(Self.rfcSecret))
        let signer = PayloadSigner(privateKey: key)
        #expect(signer.publicKey.rawRepresentation == Self.bytes(Self.rfcPublic))
    }

    @Test func pemIsSubjectPublicKeyInfo() throws {
        let key = try SigningPublicKey(rawRepresentation: Self.bytes(Self.rfcPublic))
        // Every Ed25519 SPKI starts with the same 12 bytes, "MCowBQYDK2VwAyEA" in base64 (RFC 8410).
        let expected = "-----BEGIN PUBLIC KEY-----\n"
            + (Data(base64Encoded: "MCowBQYDK2VwAyEA")! + Self.bytes(Self.rfcPublic)).base64EncodedString()
            + "\n-----END PUBLIC KEY-----\n"
        #expect(key.pem == expected)
        #expect(try SigningPublicKey(pem: key.pem) == key)
        // Surrounding text and CRLF line ends are tolerated.
        #expect(try SigningPublicKey(pem: "hall 500107-01\r\n" + key.pem.replacingOccurrences(of: "\n", with: "\r\n")) == key)
    }

    @Test func otherTextIsNotAKey() throws {
        #expect(throws: SigningKeyImportError.notPEM) { try SigningPublicKey(pem: "") }
        #expect(throws: SigningKeyImportError.notPEM) {
            try SigningPublicKey(pem: "-----BEGIN PUBLIC KEY-----\n!!!\n-----END PUBLIC KEY-----\n")
        }
        let p256 = P256.Signing.PrivateKey().publicKey.pemRepresentation
        #expect(throws: SigningKeyImportError.notAnEd25519Key) { try SigningPublicKey(pem: p256) }
        #expect(throws: SigningKeyImportError.notAnEd25519Key) { try SigningPublicKey(rawRepresentation: Data(count: 31)) }
    }

    @Test func aVerifierBuiltFromTheExportedPEMVerifies() throws {
        let signer = SigningFixture.signer()
        let imported = try SigningPublicKey(pem: signer.publicKey.pem)
        let claims = SigningFixture.claims()
        #expect(PayloadVerifier(publicKey: imported).verify(signer.payload(for: claims)) == .valid(claims))
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl"),
        "needs /usr/bin/openssl (Debian: openssl, installed by scripts/setup)"))
    func opensslVerifiesAPayloadWithTheExportedKey() throws {
        let signer = SigningFixture.signer()
        let payload = signer.payload(for: SigningFixture.claims())
        let cut = try #require(payload.lastIndex(of: "."))
        let folder = NSTemporaryDirectory() + "kioskd-openssl-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try signer.publicKey.pem.write(toFile: folder + "/hall.pem", atomically: true, encoding: .utf8)
        try Data(payload[..<cut].utf8).write(to: URL(fileURLWithPath: folder + "/signed"))
        try #require(Base64URL.decode(payload[payload.index(after: cut)...])).write(to: URL(fileURLWithPath: folder + "/sig"))

        let verify = try Self.run(
            "/usr/bin/openssl",
            ["pkeyutl", "-verify", "-pubin", "-inkey", folder + "/hall.pem", "-rawin", "-in", folder + "/signed", "-sigfile", folder + "/sig"])
        #expect(verify.status == 0)
        #expect(verify.output.contains("Signature Verified Successfully"))

        let der = try Self.run("/usr/bin/openssl", ["pkey", "-pubin", "-in", folder + "/hall.pem", "-outform", "DER"])
        #expect(Hex.encode(SHA256.hash(data: der.data)) == signer.publicKey.fingerprint)
    }

    static func run(_ tool: String, _ arguments: [String]) throws -> (status: Int32, output: String, data: Data) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self), data)
    }
}
