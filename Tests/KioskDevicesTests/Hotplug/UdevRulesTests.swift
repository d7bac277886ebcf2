import Foundation
import Testing

@testable import KioskDevices

extension HotplugTests {
    /// `Devices/udev/60-kioskd.rules`: well-formed, and covering every shipped profile.
    ///
    /// `udevadm verify` (systemd ≥ 253) checks the syntax where it exists; Debian 12's udev lacks it,
    /// so a small parser checks what matters here: every line is `KEY[{attr}]OP"value"` pairs with a
    /// known key and an operator that fits it (match keys compare, assignment keys assign).
    @Suite struct UdevRulesTests {
        static let path = RepoPaths.repo("Devices/udev/60-kioskd.rules")

        struct RuleError: Error, CustomStringConvertible {
            var description: String
        }

        struct Pair: Equatable {
            var key: String
            var attribute: String?
            var op: String
            var value: String
        }

        static let matchKeys: Set<String> = [
            "ACTION", "SUBSYSTEM", "SUBSYSTEMS", "KERNEL", "KERNELS", "DRIVER", "DRIVERS", "ATTR", "ATTRS", "ENV", "TAG",
            "DEVPATH", "TEST", "PROGRAM", "RESULT",
        ]
        static let assignKeys: Set<String> = [
            "GROUP", "OWNER", "MODE", "SYMLINK", "ENV", "TAG", "ATTR", "RUN", "IMPORT", "GOTO", "LABEL", "NAME", "OPTIONS",
        ]

        /// Parses one rule line into pairs; nil with a reason when malformed.
        static func parse(_ line: String) -> Result<[Pair], RuleError> {
            var pairs: [Pair] = []
            var s = Substring(line)
            while !s.isEmpty {
                let key = s.prefix { $0.isUppercase || $0 == "_" }
                guard !key.isEmpty else { return .failure(RuleError(description: "expected a key at \(s.prefix(20))")) }
                s = s.dropFirst(key.count)
                var attribute: String?
                if s.first == "{" {
                    guard let close = s.firstIndex(of: "}") else { return .failure(RuleError(description: "unclosed { after \(key)")) }
                    attribute = String(s[s.index(after: s.startIndex)..<close])
                    s = s[s.index(after: close)...]
                }
                let op = ["==", "!=", "+=", "-=", ":=", "="].first { s.hasPrefix($0) }
                guard let op else { return .failure(RuleError(description: "expected an operator after \(key)")) }
                s = s.dropFirst(op.count)
                guard s.first == "\"", let end = s.dropFirst().firstIndex(of: "\"") else {
                    return .failure(RuleError(description: "value of \(key) must be quoted"))
                }
                let value = String(s[s.index(after: s.startIndex)..<end])
                s = s[s.index(after: end)...]
                let isMatch = op == "==" || op == "!="
                guard (isMatch ? matchKeys : assignKeys).contains(String(key)) else {
                    return .failure(RuleError(description: "\(key) cannot be used with \(op)"))
                }
                pairs.append(Pair(key: String(key), attribute: attribute, op: op, value: value))
                if s.isEmpty { break }
                guard s.hasPrefix(", ") else { return .failure(RuleError(description: "expected \", \" between pairs after \(key)")) }
                s = s.dropFirst(2)
            }
            return pairs.isEmpty ? .failure(RuleError(description: "empty rule")) : .success(pairs)
        }

        static func rules() throws -> [(line: Int, pairs: [Pair])] {
            let text = try String(contentsOfFile: path, encoding: .utf8)
            var rules: [(Int, [Pair])] = []
            for (i, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let line = raw.trimmingCharacters(in: .whitespaces)
                if line.isEmpty || line.hasPrefix("#") { continue }
                switch parse(line) {
                case .success(let pairs): rules.append((i + 1, pairs))
                case .failure(let reason): Issue.record("60-kioskd.rules:\(i + 1): \(reason)")
                }
            }
            return rules
        }

        @Test func parserRejectsMalformedLines() {
            #expect((try? Self.parse("SUBSYSTEM==\"usb\" GROUP=\"x\"").get()) == nil)
            #expect((try? Self.parse("SUBSYSTEM=usb").get()) == nil)
            #expect((try? Self.parse("GROUP==\"kioskd\"").get()) == nil)
            #expect((try? Self.parse("ATTR{idVendor==\"0416\"").get()) == nil)
            #expect((try? Self.parse("SUBSYSTEM==\"usb\", MODE=\"0660\"").get())?.count == 2)
        }

        @Test func everyLineIsWellFormed() throws {
            let rules = try Self.rules()
            #expect(rules.count >= 5)
            let labels = rules.flatMap(\.pairs).filter { $0.key == "LABEL" }.map(\.value)
            for goto in rules.flatMap(\.pairs) where goto.key == "GOTO" {
                #expect(labels.contains(goto.value), "GOTO \(goto.value) has no LABEL")
            }
        }

        /// Each profile's VID:PID has a rule giving the kioskd group access; serial readers'
        /// ttys are hidden from ModemManager; every device gets a /dev/kiosk link.
        @Test func everyProfileHasARule() throws {
            let rules = try Self.rules()
            for profile in try ProfileLoader.load(directory: RepoPaths.repo("Devices/profiles")) {
                let mine = rules.map(\.pairs).filter { pairs in
                    pairs.contains { $0.attribute == "idVendor" && $0.op == "==" && $0.value == profile.vendorID }
                        && pairs.contains { $0.attribute == "idProduct" && $0.op == "==" && $0.value == profile.productID }
                }
                let granting = mine.filter { pairs in
                    pairs.contains(Pair(key: "GROUP", attribute: nil, op: "=", value: "kioskd"))
                        && pairs.contains(Pair(key: "MODE", attribute: nil, op: "=", value: "0660"))
                        && pairs.contains { $0.key == "SYMLINK" && $0.op == "+=" && $0.value.hasPrefix("kiosk/") }
                }
                #expect(!granting.isEmpty, "no rule grants kioskd access to \(profile.usbID) (\(profile.source))")
                if profile.kind == .idcardReader {
                    let ignored = mine.contains { pairs in
                        pairs.contains(Pair(key: "ENV", attribute: "ID_MM_DEVICE_IGNORE", op: "=", value: "1"))
                    }
                    #expect(ignored, "ModemManager is not told to ignore reader \(profile.usbID)")
                }
                if profile.transport == .serial {
                    #expect(
                        granting.contains { $0.contains(Pair(key: "SUBSYSTEM", attribute: nil, op: "==", value: "tty")) },
                        "no tty rule for serial reader \(profile.usbID)")
                }
            }
        }

        /// Where udev can check the file itself, it must accept it.
        // Skipped where udevadm has no `verify` (systemd < 253: Debian 12 ships 252).
        @Test(.enabled(if: UdevRulesTests.udevadmVerify != nil, "needs udevadm verify (systemd 253 or later)"))
        func udevadmVerifyAccepts() throws {
            let result = try ProcessRunner.run(Self.udevadmVerify!, ["verify", Self.path])
            #expect(result.status == 0, "udevadm verify: \(result.stdout + result.stderr)")
        }

        /// `udevadm`, if installed and new enough to have `verify`.
        static let udevadmVerify: String? = {
            for path in ["/usr/bin/udevadm", "/bin/udevadm", "/sbin/udevadm"] where RepoPaths.executable(path) {
                if let r = try? ProcessRunner.run(path, ["verify", "--help"]), r.status == 0 { return path }
            }
            return nil
        }()
    }
}
