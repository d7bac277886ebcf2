import Foundation
import KioskClient
import KioskProtocol
import KioskTestSupport
import Testing

/// `kioskctl cert …` and `kioskctl audit …` against a real kioskd with certificates configured
/// (`CertificateFlowTests.daemon`: the shipped templates, the health department, a simulated
/// certificate printer), and `cert preview`, which renders without a daemon.
@Suite("kioskctl cert and audit", .serialized)
struct KioskctlCertTests {
    @Test("cert submit from a file, get, list --state, release: a third person may, the acceptor may not")
    func submitGetListRelease() throws {
        try CertHall.with { hall in
            let orderFile = try hall.write("order.json", CertificateFlowTests.order())
            let submit = try hall.ctl("cert", "submit", orderFile)
            #expect(submit.status == 0, "\(submit)")
            // "Certificate 500107-01-20261121-0001 for order SP-2026-0001: received"
            let head = try #require(submit.stdout.split(separator: "\n").first.map(String.init), "\(submit)")
            #expect(head.hasPrefix("Certificate 500107-01-"), "\(submit)")
            #expect(head.contains(" for order SP-2026-0001: "), "\(submit)")
            let serial = String(head.dropFirst("Certificate ".count).prefix { $0 != " " })
            // The same order again: the same certificate, said so.
            let again = try hall.ctl("cert", "submit", orderFile)
            #expect(again.status == 0, "\(again)")
            #expect(again.stdout.contains("already submitted"), "\(again)")
            #expect(again.stdout.contains(serial))

            _ = try CertificateFlowTests.wait(for: "printed", serial: serial, on: try hall.daemon.client(role: "operator"))
            let get = try hall.ctl("cert", "get", serial)
            #expect(get.status == 0, "\(get)")
            #expect(get.stdout.hasPrefix("Certificate \(serial)\n"), "\(get)")
            #expect(try #require(get.stdout.line(starting: "state")).hasSuffix(" printed"), "\(get)")
            #expect(get.stdout.contains("5001**********1233"))
            #expect(!get.stdout.contains(CertificateFlowTests.holderID))
            #expect(get.stdout.contains("重庆星光大酒店有限公司"))
            #expect(get.stdout.contains("History\n"), "\(get)")
            #expect(get.stdout.contains("Print attempts\n"), "\(get)")
            // The history table: received … printed, one row each.
            let history = get.stdout.components(separatedBy: "History\n")[1].components(separatedBy: "\n\n")[0]
            #expect(history.split(separator: "\n").dropFirst().map { $0.split(separator: " ", omittingEmptySubsequences: true) }
                .compactMap { $0.first { ["received", "rendered", "printing", "printed"].contains(String($0)) } }
                == ["received", "rendered", "printing", "printed"], "\(history)")

            let byOrder = try hall.ctl("cert", "get", "--order", "SP-2026-0001", "--json")
            #expect(byOrder.status == 0, "\(byOrder)")
            #expect(try byOrder.json()["serial"] == .string(serial))

            let list = try hall.ctl("cert", "list", "--state", "printed")
            #expect(list.status == 0, "\(list)")
            #expect(list.stdout.split(separator: "\n").contains { $0.hasPrefix(serial) && $0.contains("printed") }, "\(list)")
            #expect(list.stdout.contains("1 certificate in state printed"), "\(list)")
            let none = try hall.ctl("cert", "list", "--state", "ready")
            #expect(none.status == 0, "\(none)")
            #expect(!none.stdout.contains(serial), "\(none)")

            // The acceptor may not release: kioskd refuses, with its reason.
            let byAcceptor = try hall.ctl("cert", "release", serial, "--operator", "a01", "--name", "李受理")
            #expect(byAcceptor.status == 2, "\(byAcceptor)")
            #expect(byAcceptor.stderr.contains("(separation_of_duties)"), "\(byAcceptor)")
            #expect(byAcceptor.stderr.contains("third person"), "\(byAcceptor)")
            let released = try hall.ctl("cert", "release", serial, "--operator", "c03", "--name", "张放行")
            #expect(released.status == 0, "\(released)")
            #expect(released.stdout.contains("now ready"), "\(released)")
            #expect(try hall.daemon.client().call("cert.get", ["serial": .string(serial)])["state"] == .string("ready"))
            let ready = try hall.ctl("cert", "list", "--state", "ready", "--json")
            #expect(try ready.json().arrayValue?.map { $0["serial"] } == [.string(serial)])
        }
    }

    @Test("cert verify: the printed QR payload is VALID (exit 0), a tampered one INVALID (exit 1); pubkey is a PEM openssl reads")
    func verifyAndPubkey() throws {
        try CertHall.with { hall in
            let submit = try hall.ctl(["cert", "submit", "-", "--json"], stdin: try JSONCoding.string(CertificateFlowTests.order()))
            #expect(submit.status == 0, "\(submit)")
            let serial = try #require(try submit.json()["serial"]?.stringValue)
            let printed = try CertificateFlowTests.wait(for: "printed", serial: serial, on: try hall.daemon.client(role: "operator"))
            let payload = try #require(printed["qrPayload"]?.stringValue)

            let valid = try hall.ctl("cert", "verify", payload)
            #expect(valid.status == 0, "\(valid)")
            #expect(valid.stdout.hasPrefix("VALID: certificate \(serial)"), "\(valid)")
            #expect(valid.stdout.contains("重庆星光大酒店有限公司"))
            // As a scanner pipes it: from standard input, with its newline.
            let piped = try hall.ctl(["cert", "verify", "-"], stdin: payload + "\n")
            #expect(piped.status == 0, "\(piped)")
            #expect(piped.stdout.hasPrefix("VALID"), "\(piped)")

            var forged = Array(payload)
            let i = forged.count - 20
            forged[i] = forged[i] == "A" ? "B" : "A"
            let invalid = try hall.ctl("cert", "verify", String(forged))
            #expect(invalid.status == 1, "\(invalid)")
            #expect(invalid.stdout.hasPrefix("INVALID"), "\(invalid)")
            #expect(invalid.stdout.contains("signature"), "\(invalid)")
            let invalidJSON = try hall.ctl("cert", "verify", String(forged), "--json")
            #expect(invalidJSON.status == 1, "\(invalidJSON)")
            #expect(try invalidJSON.json()["valid"] == .bool(false))

            let pubkey = try hall.ctl("cert", "pubkey")
            #expect(pubkey.status == 0, "\(pubkey)")
            #expect(pubkey.stdout.hasPrefix("-----BEGIN PUBLIC KEY-----\n"), "\(pubkey)")
            let pem = hall.daemon.dir.appendingPathComponent("hall.pem").path
            try pubkey.stdout.write(toFile: pem, atomically: true, encoding: .utf8)
            let openssl = try CertHall.run(URL(fileURLWithPath: "/usr/bin/openssl"), ["pkey", "-pubin", "-in", pem, "-noout"])
            #expect(openssl.status == 0, "\(openssl)")
            let fingerprint = try hall.ctl("cert", "pubkey", "--fingerprint")
            #expect(fingerprint.status == 0, "\(fingerprint)")
            let expected = try #require(try hall.daemon.client().call("cert.pubkey")["fingerprint"]?.stringValue)
            #expect(fingerprint.stdout == expected + "\n")
        }
    }

    @Test("audit verify prints the entry count and head (exit 0), a changed entry is BROKEN (exit 1); audit tail -n 3 prints 3 rows",
        .enabled(if: DaemonHarness.onSQLite, "opens the SQLite file itself"))
    func audit() throws {
        try CertHall.with { hall in
            let serial = try #require(try hall.daemon.client(role: "approval").call("cert.submit", CertificateFlowTests.order())["serial"]?.stringValue)
            let room = try hall.daemon.client(role: "operator")
            _ = try CertificateFlowTests.wait(for: "printed", serial: serial, on: room)
            let chain = try room.call("audit.verify")
            let entries = try #require(chain["entries"]?.intValue)
            #expect(entries >= 5)

            let verify = try hall.ctl("audit", "verify")
            #expect(verify.status == 0, "\(verify)")
            let head = "\(chain["head"]?["seq"]?.plainText ?? "?") \(chain["head"]?["hash"]?.plainText ?? "?")"
            #expect(verify.stdout == "audit chain ok: \(entries) entries, head \(head)\n", "\(verify)")
            // A head witnessed earlier still holds; a made-up one does not; a malformed one is a usage error.
            let anchored = try hall.ctl("audit", "verify", "--anchor", head.replacingOccurrences(of: " ", with: ":"))
            #expect(anchored.status == 0, "\(anchored)")
            let seq = chain["head"]?["seq"]?.plainText ?? "1"
            let madeUp = try hall.ctl("audit", "verify", "--anchor", "\(seq):" + String(repeating: "ab", count: 32))
            #expect(madeUp.status == 1, "\(madeUp)")
            let malformed = try hall.ctl("audit", "verify", "--anchor", "3:xyz")
            #expect(malformed.status == 64, "\(malformed)")
            #expect(malformed.stderr.contains("SEQ:HASH"), "\(malformed)")

            let tail = try hall.ctl("audit", "tail", "-n", "3")
            #expect(tail.status == 0, "\(tail)")
            let lines = tail.stdout.split(separator: "\n")
            #expect(lines.count == 4, "\(tail)")  // the header and three entries
            #expect(lines.first?.hasPrefix("SEQ") == true, "\(tail)")
            #expect(lines.dropFirst().map { String($0.split(separator: " ").first ?? "") }
                == (entries - 2...entries).map(String.init), "\(tail)")
            #expect(lines.last?.contains("print_result") == true, "\(tail)")
            let tailJSON = try hall.ctl("audit", "tail", "-n", "3", "--json")
            #expect(try tailJSON.json().arrayValue?.count == 3)

            // Someone edits the trail behind kioskd's back.
            try hall.daemon.client().call("queue.take", ["category": "A"])  // the WAL is checkpointed by then
            let db = hall.daemon.dir.appendingPathComponent("state/kioskd.sqlite").path
            let edit = try CertHall.run(URL(fileURLWithPath: "/usr/bin/sqlite3"), [db, "UPDATE audit SET actor = 'operator:x 某人' WHERE seq = 3"])
            #expect(edit.status == 0, "\(edit)")
            let broken = try hall.ctl("audit", "verify")
            #expect(broken.status == 1, "\(broken)")
            #expect(broken.stdout == "audit chain BROKEN at entry 3: changed\n", "\(broken)")
        }
    }

    @Test("cert preview renders a PDF with the fields without a daemon; a missing required field exits 1 naming it")
    func preview() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kioskctl-preview-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let config = CertificateFlowTests.repo.appendingPathComponent("Config/demo.toml").path
        var fields = try #require(CertificateFlowTests.order()["fields"]?.objectValue)
        let fieldsFile = dir.appendingPathComponent("fields.json").path
        try JSONCoding.string(JSONValue.object(fields)).write(toFile: fieldsFile, atomically: true, encoding: .utf8)
        let pdf = dir.appendingPathComponent("x.pdf").path
        // No daemon anywhere: a socket that does not exist.
        let env = ["KIOSKD_SOCKET": dir.appendingPathComponent("none.sock").path]

        let r = try CertHall.run(CertHall.kioskctl, ["cert", "preview", "public-health-license", fieldsFile, "-o", pdf, "--config", config],
            environment: env)
        #expect(r.status == 0, "\(r)")
        #expect(r.stdout.contains(pdf), "\(r)")
        #expect(r.stdout.contains("区卫生健康委员会"), "\(r)")  // sealed with the health department's seal
        let text = try CertHall.run(URL(fileURLWithPath: "/usr/bin/pdftotext"), [pdf, "-"])
        #expect(text.status == 0, "\(text)")
        #expect(text.stdout.contains("重庆星光大酒店有限公司"), "\(text)")
        #expect(text.stdout.contains("渝九卫公字〔2026〕第0007号"), "\(text)")

        let json = try CertHall.run(CertHall.kioskctl, ["cert", "preview", "public-health-license", fieldsFile, "-o", pdf, "--config", config,
            "--json"], environment: env)
        #expect(json.status == 0, "\(json)")
        #expect(try json.json()["sealedBy"] == .string("health"))

        fields["unitName"] = nil
        let missingFile = dir.appendingPathComponent("missing.json").path
        try JSONCoding.string(JSONValue.object(fields)).write(toFile: missingFile, atomically: true, encoding: .utf8)
        let missingPDF = dir.appendingPathComponent("missing.pdf").path
        let missing = try CertHall.run(CertHall.kioskctl, ["cert", "preview", "public-health-license", missingFile, "-o", missingPDF,
            "--config", config], environment: env)
        #expect(missing.status == 1, "\(missing)")
        #expect(missing.stderr.contains("unitName"), "\(missing)")
        #expect(missing.stderr.contains("required"), "\(missing)")
        #expect(!FileManager.default.fileExists(atPath: missingPDF))

        let unknown = try CertHall.run(CertHall.kioskctl, ["cert", "preview", "driving-licence", fieldsFile, "-o", missingPDF,
            "--config", config], environment: env)
        #expect(unknown.status == 1, "\(unknown)")
        #expect(unknown.stderr.contains("public-health-license"), "\(unknown)")  // the templates there are listed
    }
}

/// A certificate-enabled kioskd (`CertificateFlowTests.daemon`) and the kioskctl binary built
/// beside it, run with its exit status and both streams captured.
private struct CertHall {
    let daemon: DaemonHarness
    let output: String

    struct Result: CustomStringConvertible {
        var status: Int32
        var stdout: String
        var stderr: String
        var description: String { "exit \(status)\n--- stdout\n\(stdout)--- stderr\n\(stderr)" }

        func json() throws -> JSONValue { try JSONCoding.decoder.decode(JSONValue.self, from: Data(stdout.utf8)) }
    }

    static func with(_ body: (CertHall) throws -> Void) throws {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("kioskctl-certs-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: output) }
        let daemon = try CertificateFlowTests.daemon(output: output)
        try daemon.start()
        defer { daemon.stop() }
        try body(CertHall(daemon: daemon, output: output))
    }

    /// Writes `value` as JSON into the daemon's temporary folder; returns the path.
    func write(_ name: String, _ value: JSONValue) throws -> String {
        let path = daemon.dir.appendingPathComponent(name).path
        try JSONCoding.string(value).write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func ctl(_ args: String...) throws -> Result { try ctl(args, stdin: nil) }

    /// Runs kioskctl with `--socket` pointing at this daemon, `stdin` on its standard input.
    func ctl(_ args: [String], stdin: String?) throws -> Result {
        try Self.run(Self.kioskctl, args + ["--socket", daemon.socket], stdin: stdin)
    }

    static var kioskctl: URL { URL(fileURLWithPath: DaemonHarness.binary("kioskctl")) }

    static func run(_ executable: URL, _ args: [String], stdin: String? = nil, environment: [String: String] = [:]) throws -> Result {
        guard FileManager.default.isExecutableFile(atPath: executable.path) else {
            throw HarnessError("no \(executable.path): build it first (swift build --product \(executable.lastPathComponent))")
        }
        let r = try ToolRun.run(
            executable.path, args, stdin: stdin, environment: environment, removing: ["KIOSKD_SOCKET", "KIOSKD_CONFIG"])
        return Result(status: r.status, stdout: r.stdout, stderr: r.stderr)
    }
}

private extension String {
    /// The first line that starts with `prefix` after the indentation of a `Fields` block.
    func line(starting prefix: String) -> String? {
        split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.first { $0.hasPrefix(prefix + " ") }
    }
}
