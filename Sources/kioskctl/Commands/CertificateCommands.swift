import ArgumentParser
import Foundation
import KioskCertificates
import KioskConfig
import KioskCore
import KioskProtocol

/// `kioskctl cert …`: the certificate pipeline (证照集中打印) — orders, the certificate room's steps,
/// verification of a scanned QR code, and a local preview of a template.
struct CertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cert",
        abstract: "Certificates (证照): submit orders, follow them, release, reprint, void, ship, verify, preview.",
        discussion: """
            A certificate is named by its serial (500107-01-20261121-0001), as `kioskctl cert list` \
            shows it. Staff are named by their staff id and name: separation of duties (受理、审批、\
            制证三分立) compares the ids.
            """,
        subcommands: [
            Submit.self, Get.self, List.self, Release.self, Reprint.self, VoidCertificate.self, Ship.self, Verify.self,
            Pubkey.self, Preview.self,
        ])

    // MARK: Orders

    /// `kioskctl cert submit ORDER.json`: cert.submit.
    struct Submit: KioskCommand {
        static let configuration = CommandConfiguration(
            commandName: "submit",
            abstract: "Submit a print order (制证指令) as an approval unit would.",
            discussion: """
                ORDER is a JSON file holding cert.submit's params ("-" reads it from standard input):
                  {"orderId": "SP-2026-0001", "type": "public-health-license",
                   "holder": {"name": "张三", "idNumber": "500107198001011233"},
                   "fields": {"unitName": "…", …}, "department": "health",
                   "acceptedBy": {"id": "a01", "name": "李受理"}, "approvedBy": {"id": "b02", "name": "王审批"}}
                The same order twice gives the same certificate; the same orderId with other content is refused \
                (conflict). The certificate is printed in the background: follow it with `kioskctl cert get`.
                """)

        @OptionGroup(title: "Connection and output") var connection: ConnectionOptions

        @Argument(help: ArgumentHelp("The order as a JSON file, or - to read it from standard input.", valueName: "order.json"))
        var order: String

        func validate() throws { try Check.notEmpty(order, "ORDER") }

        func perform(_ link: DaemonLink) throws {
            let params = try JSONInput.object(order, what: "ORDER")
            try link.show(link.call(.certSubmit, params)) { c in
                let serial = c.text("serial") ?? "?", state = c.text("state") ?? "?"
                if c["resubmitted"]?.boolValue == true {
                    return "Order \(c.text("orderId") ?? "?") was already submitted: certificate \(serial), \(state). Nothing new was created."
                }
                var f = Fields()
                f.add("type", c.text("type"))
                f.add("department", c.text("department"))
                f.add("holder", CertificateText.holder(c))
                return "Certificate \(serial) for order \(c.text("orderId") ?? "?"): \(state)\n" + f.render()
            }
        }
    }

    /// `kioskctl cert get SERIAL` / `cert get --order ID`: cert.get.
    struct Get: KioskCommand {
        static let configuration = CommandConfiguration(
            commandName: "get",
            abstract: "Show one certificate: its state, order, holder (masked), fields, history and print attempts.",
            discussion: "Name it by serial, or by the approval system's order id (--order): that gives the order's current copy.")

        @OptionGroup(title: "Connection and output") var connection: ConnectionOptions

        @Argument(help: .serial)
        var serial: String?

        @Option(name: .customLong("order"), help: ArgumentHelp("The approval system's order id instead of a serial.", valueName: "order-id"))
        var orderId: String?

        func validate() throws {
            switch (serial, orderId) {
            case (nil, nil): throw ValidationError("Name the certificate: its serial, or --order ORDER_ID.")
            case (_?, _?): throw ValidationError("Name the certificate once: either a serial or --order, not both.")
            default: break
            }
            if let serial { try Check.notEmpty(serial, "SERIAL") }
            if let orderId { try Check.notEmpty(orderId, "--order") }
        }

        func perform(_ link: DaemonLink) throws {
            try link.show(link.call(.certGet, CertLookupParams(serial: serial, orderId: orderId))) { CertificateText.detail($0) }
        }
    }

    /// `kioskctl cert list`: cert.list.
    struct List: KioskCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List certificates, optionally only those in one state or issued on one day.",
            discussion: "States: \(CertificateState.allCases.map(\.rawValue).joined(separator: ", ")).")

        @OptionGroup(title: "Connection and output") var connection: ConnectionOptions

        @Option(help: ArgumentHelp("Only certificates in this state (e.g. printed, ready, failed).", valueName: "state"))
        var state: String?

        @Option(help: ArgumentHelp("Only certificates issued on this hall-day (YYYY-MM-DD).", valueName: "date"))
        var date: String?

        @Option(help: ArgumentHelp("At most this many (1 to 1000; kioskd's default is 200).", valueName: "n"))
        var limit: Int?

        func validate() throws {
            if let state, CertificateState(rawValue: state) == nil {
                throw ValidationError("\"\(state)\" is not a certificate state; states are \(CertificateState.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            if let date { try Check.date(date, option: "--date") }
            if let limit, !(1...1_000).contains(limit) { throw ValidationError("--limit must be 1 to 1000, not \(limit).") }
        }

        func perform(_ link: DaemonLink) throws {
            try link.show(link.call(.certList, CertListParams(state: state, date: date, limit: limit))) { r in
                let list = r.arrayValue ?? []
                var filter = [state.map { "in state \($0)" }, date.map { "issued on \($0)" }].compactMap { $0 }.joined(separator: ", ")
                if !filter.isEmpty { filter = " " + filter }
                guard !list.isEmpty else { return "No certificates\(filter)." }
                var text = CertificateText.table(list) + "\n\(list.count) certificate\(list.count == 1 ? "" : "s")\(filter)"
                if list.count == (limit ?? 200) { text += " (the limit: --limit shows more, up to 1000)" }
                return text
            }
        }
    }

    // MARK: The certificate room

    /// `kioskctl cert release SERIAL --operator ID --name NAME`: cert.release.
    struct Release: KioskCommand {
        static let configuration = CommandConfiguration(
            commandName: "release",
            abstract: "Release a printed certificate (放行) so it can be collected or shipped.",
            discussion: """
                The releasing operator must be a third person: neither the order's acceptor nor its \
                approver (separation_of_duties otherwise).
                """)

        @OptionGroup(title: "Connection and output") var connection: ConnectionOptions

        @Argument(help: .serial)
        var serial: String

        @Option(name: .customLong("operator"), help: ArgumentHelp("The releasing operator's staff id.", valueName: "id"))
        var operatorID: String

        @Option(help: ArgumentHelp("The releasing operator's name.", valueName: "name"))
        var name: String

        func validate() throws {
            try Check.notEmpty(serial, "SERIAL")
            try Check.notEmpty(operatorID, "--operator")
            try Check.notEmpty(name, "--name")
        }

        func perform(_ link: DaemonLink) throws {
            let params = CertReleaseParams(serial: serial, operator: PersonParams(id: operatorID, name: name))
            try link.show(link.call(.certRelease, params)) { c in
                "Released \(c.text("serial") ?? serial), by \(CertificateText.person(c["releasedBy"]) ?? "\(name) (\(operatorID))"): "
                    + "now \(c.text("state") ?? "?")."
            }
        }
    }

    /// `kioskctl cert reprint SERIAL --reason R --authorized-by ID --name NAME`: cert.reprint.
    struct Reprint: KioskCommand {
        static let configuration = CommandConfiguration(
            commandName: "reprint",
            abstract: "Reprint a certificate (补打) under a new serial; the old serial is voided.",
            discussion: """
                The reprint is authorized by someone outside the case: neither the order's acceptor nor \
                its approver, nor the operator asking for it (--requested-by).
                """)

        @OptionGroup(title: "Connection and output") var connection: ConnectionOptions

        @Argument(help: .serial)
        var serial: String

        @Option(help: ArgumentHelp("Why (污损, 遗失, …), for the record.", valueName: "text"))
        var reason: String

        @Option(help: ArgumentHelp("The staff id of the person authorizing the reprint.", valueName: "id"))
        var authorizedBy: String

        @Option(help: ArgumentHelp("The authorizing person's name.", valueName: "name"))
        var name: String

        @Option(help: ArgumentHelp("The staff id of the operator asking for the reprint, when not the authorizer.", valueName: "id"))
        var requestedBy: String?

        @Option(help: ArgumentHelp("The asking operator's name (with --requested-by).", valueName: "name"))
        var requestedByName: String?

        func validate() throws {
            try Check.notEmpty(serial, "SERIAL")
            try Check.notEmpty(reason, "--reason")
            try Check.length(reason, max: 200, "--reason")
            try Check.notEmpty(authorizedBy, "--authorized-by")
            try Check.notEmpty(name, "--name")
            if (requestedBy == nil) != (requestedByName == nil) {
                throw ValidationError("--requested-by and --requested-by-name go together: the asking operator's id and name.")
            }
        }

        func perform(_ link: DaemonLink) throws {
            let params = CertReprintParams(serial: serial, reason: reason, authorizedBy: PersonParams(id: authorizedBy, name: name),
                requestedBy: requestedBy.map { PersonParams(id: $0, name: requestedByName ?? "") })
            try link.show(link.call(.certReprint, params)) { c in
                "Reprinting \(c.text("reprintOf") ?? serial) as \(c.text("serial") ?? "?") (\(c.text("state") ?? "?")); "
                    + "\(c.text("reprintOf") ?? serial) is voided and its QR code no longer verifies."
            }
        }
    }

    /// `kioskctl cert void SERIAL --reason R --authorized-by ID --name NAME`: cert.void.
    struct VoidCertificate: KioskCommand {
        static let configuration = CommandConfiguration(
            commandName: "void",
            abstract: "Void a certificate (作废): it is withdrawn for good and its QR code stops verifying.",
            discussion: "Authorized by someone outside the case: neither the order's acceptor nor its approver.")

        @OptionGroup(title: "Connection and output") var connection: ConnectionOptions

        @Argument(help: .serial)
        var serial: String

        @Option(help: ArgumentHelp("Why, for the record.", valueName: "text"))
        var reason: String

        @Option(help: ArgumentHelp("The staff id of the person authorizing it.", valueName: "id"))
        var authorizedBy: String

        @Option(help: ArgumentHelp("The authorizing person's name.", valueName: "name"))
        var name: String

        func validate() throws {
            try Check.notEmpty(serial, "SERIAL")
            try Check.notEmpty(reason, "--reason")
            try Check.length(reason, max: 200, "--reason")
            try Check.notEmpty(authorizedBy, "--authorized-by")
            try Check.notEmpty(name, "--name")
        }

        func perform(_ link: DaemonLink) throws {
            let params = CertVoidParams(serial: serial, reason: reason, authorizedBy: PersonParams(id: authorizedBy, name: name))
            try link.show(link.call(.certVoid, params)) { c in
                "Voided \(c.text("serial") ?? serial): \(c.text("voidReason") ?? reason)."
            }
        }
    }

    /// `kioskctl cert ship SERIAL --carrier C --tracking T`: cert.ship.
    struct Ship: KioskCommand {
        static let configuration = CommandConfiguration(
            commandName: "ship",
            abstract: "Record that a mailed certificate (邮寄) left with a carrier.")

        @OptionGroup(title: "Connection and output") var connection: ConnectionOptions

        @Argument(help: .serial)
        var serial: String

        @Option(help: ArgumentHelp("The carrier, e.g. EMS or 顺丰.", valueName: "carrier"))
        var carrier: String

        @Option(help: ArgumentHelp("The carrier's tracking number.", valueName: "number"))
        var tracking: String

        @Option(name: .customLong("operator"), help: ArgumentHelp("The operator's staff id, for the record.", valueName: "id"))
        var operatorID: String?

        @Option(help: ArgumentHelp("The operator's name (with --operator).", valueName: "name"))
        var name: String?

        func validate() throws {
            try Check.notEmpty(serial, "SERIAL")
            try Check.notEmpty(carrier, "--carrier")
            try Check.notEmpty(tracking, "--tracking")
            if (operatorID == nil) != (name == nil) {
                throw ValidationError("--operator and --name go together: the operator's staff id and name.")
            }
        }

        func perform(_ link: DaemonLink) throws {
            let who = operatorID.map { PersonParams(id: $0, name: name ?? "") }
            let params = CertShipParams(serial: serial, carrier: carrier, trackingNumber: tracking, operator: who)
            try link.show(link.call(.certShip, params)) { c in
                "\(c.text("serial") ?? serial) shipped with \(c.text("carrier") ?? carrier), tracking \(c.text("trackingNumber") ?? tracking)."
            }
        }
    }

    // MARK: Verification

    /// `kioskctl cert verify PAYLOAD`: cert.verify.
    struct Verify: KioskCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify",
            abstract: "Check a scanned certificate QR code (防伪核验): VALID with what the paper should say, or INVALID and why.",
            discussion: """
                PAYLOAD is the text a scanner reads from the QR code ("-" reads it from standard input). \
                The signature is checked, then that this hall issued the serial with these fields and \
                has not voided it.
                Exit status 0 when valid, 1 when invalid (also with --json); 2 and 1 keep their usual \
                meaning when kioskd refuses or cannot be reached.
                """)

        @OptionGroup(title: "Connection and output") var connection: ConnectionOptions

        @Argument(help: ArgumentHelp("The scanned text, or - to read it from standard input.", valueName: "payload"))
        var payload: String

        func validate() throws { try Check.notEmpty(payload, "PAYLOAD") }

        func perform(_ link: DaemonLink) throws {
            var text = payload
            if payload == "-" {
                text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
            }
            text = text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !text.isEmpty else { throw CommandFailure(message: "standard input held no payload", exitCode: 64) }
            let v = try link.call(.certVerify, CertVerifyParams(payload: text))
            link.show(v) { CertificateText.verification($0) }
            if v["valid"]?.boolValue != true { throw ExitCode(1) }
        }
    }

    /// `kioskctl cert pubkey`: cert.pubkey.
    struct Pubkey: KioskCommand {
        static let configuration = CommandConfiguration(
            commandName: "pubkey",
            abstract: "Print the hall's QR-signing public key (PEM), for offline verifiers.",
            discussion: """
                kioskctl cert pubkey > hall.pem   then   openssl pkey -pubin -in hall.pem -text
                --fingerprint prints only the key's SHA-256 fingerprint, to compare over the phone.
                """)

        @OptionGroup(title: "Connection and output") var connection: ConnectionOptions

        @Flag(help: "Print only the fingerprint (SHA-256 of the key).")
        var fingerprint = false

        func validate() throws {
            if fingerprint && connection.json { throw ValidationError("Choose one output: --fingerprint or --json.") }
        }

        func perform(_ link: DaemonLink) throws {
            try link.show(link.call(.certPubkey)) { k in
                if fingerprint { return k.text("fingerprint") ?? "" }
                var pem = k.text("pem") ?? ""
                while pem.hasSuffix("\n") { pem.removeLast() }
                return pem
            }
        }
    }

    // MARK: Preview

    /// `kioskctl cert preview TYPE FIELDS.json -o OUT.pdf`: renders locally, without kioskd.
    struct Preview: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "preview",
            abstract: "Render a certificate preview to a PDF on this machine, without kioskd (for checking a template).",
            discussion: """
                Reads the config (the same loader as kioskd) and its templates folder, fills template TYPE \
                with FIELDS (a JSON object of field key → text, or a whole order whose "fields" are used; \
                "-" reads it from standard input), and draws it with the template's background, the seal \
                of the first department that may seal TYPE, and a QR code that says "\(Self.qrPayload)".
                Fields that do not fit their box are named as warnings.
                Exit status 0 when written; 1 when it cannot be (a config, template, field or font \
                problem, printed); 64 when the command line or FIELDS is malformed.
                """)

        static let qrPayload = "PREVIEW — NOT VALID"

        @Argument(help: ArgumentHelp("The template id (certificate type), e.g. public-health-license.", valueName: "type"))
        var type: String

        @Argument(help: ArgumentHelp("The field values as a JSON file, or - to read them from standard input.", valueName: "fields.json"))
        var fields: String

        @Option(name: [.short, .long], help: ArgumentHelp("The PDF to write.", valueName: "out.pdf"))
        var output: String

        @Option(name: .long, help: ConfigFile.help)
        var config: String?

        @Flag(name: .long, help: "Print what was drawn as JSON (pretty, sorted keys) instead of readable text.")
        var json = false

        func validate() throws {
            try Check.notEmpty(type, "TYPE")
            try Check.notEmpty(fields, "FIELDS")
            try Check.notEmpty(output, "--output")
        }

        func run() throws {
            do {
                try render()
            } catch let failure as CommandFailure {
                Output.error(failure.message)
                throw ExitCode(failure.exitCode)
            }
        }

        private func render() throws {
            let values = try Self.values(JSONInput.object(fields, what: "FIELDS"))
            let configPath = ConfigFile.path(config)
            let hall: HallConfig
            do {
                hall = try ConfigLoader.load(path: configPath)
            } catch {
                throw CommandFailure(message: "\(error)", exitCode: 1)
            }
            let templates: [CertificateTemplate]
            do {
                templates = try TemplateLoader.loadFolder(hall.certificates.settings.templates)
            } catch {
                throw CommandFailure(message: "\(error)", exitCode: 1)
            }
            guard let template = templates.first(where: { $0.id == type }) else {
                let known = templates.map(\.id)
                throw CommandFailure(message: "no certificate template \(type) in \(hall.certificates.settings.templates)"
                    + (known.isEmpty ? " (it has none)" : "; templates: \(known.joined(separator: ", "))"), exitCode: 1)
            }
            let problems = template.problems(in: values)
            if !problems.isEmpty {
                for p in problems { Output.error(p.description) }
                throw ExitCode(1)
            }
            let department = hall.certificates.departments.first { $0.maySeal(type) }
            let layout: CertificateLayout
            do {
                layout = try CertificateRenderer.shared.render(template: template, fields: values, sealImage: department?.seal,
                    qrPayload: Self.qrPayload, mode: .preview, to: output)
            } catch {
                throw CommandFailure(message: error.description, exitCode: 1)
            }
            for f in layout.overflowing {
                let label = template.field(f.key)?.label ?? f.key
                Output.note("warning: \(label) (\(f.key)) does not fit its box even at \(Self.points(f.sizePt)) pt")
            }
            if json {
                Output.line(Format.prettyJSON(Self.json(layout, template: template, department: department, output: output)))
                return
            }
            var f = Fields()
            f.add("template", "\(template.id) (\(template.title)), \(template.page)")
            f.add("seal", department.map { "\($0.name) (\($0.id))" } ?? "none: no department may seal \(type)")
            f.add("background", layout.backgroundDrawn ? template.background : "none")
            f.add("qr", "version \(layout.qrVersion), \"\(Self.qrPayload)\"")
            f.add("fields", "\(layout.fields.count) filled" + (layout.overflowing.isEmpty ? ", all fit"
                : ", \(layout.overflowing.count) overflowing: " + layout.overflowing.map(\.key).joined(separator: ", ")))
            Output.line("Wrote the preview \(output)\n" + f.render())
        }

        /// The field values: the object itself, or an order's "fields".
        static func values(_ object: JSONValue) throws -> [String: String] {
            var o = object.objectValue ?? [:]
            if let inner = o["fields"]?.objectValue, o["type"] != nil || o["orderId"] != nil { o = inner }
            var values: [String: String] = [:]
            for (key, value) in o {
                guard let text = value.stringValue else {
                    throw CommandFailure(message: "FIELDS: the value of \(key) must be text (a JSON string), not \(Format.compactJSON(value))",
                        exitCode: 64)
                }
                values[key] = text
            }
            return values
        }

        static func points(_ size: Double) -> String {
            size == size.rounded() ? String(Int(size)) : String(format: "%.1f", size)
        }

        static func json(_ layout: CertificateLayout, template: CertificateTemplate, department: Department?, output: String) -> JSONValue {
            .object([
                "output": .string(output), "template": .string(template.id), "title": .string(template.title),
                "sealedBy": department.map { .string($0.id) } ?? .null, "qrPayload": .string(qrPayload),
                "qrVersion": .int(Int64(layout.qrVersion)), "backgroundDrawn": .bool(layout.backgroundDrawn),
                "fields": .array(layout.fields.map { f in
                    .object(["key": .string(f.key), "sizePt": .double(f.sizePt), "lines": .int(Int64(f.lines)), "fits": .bool(f.fits)])
                }),
                "overflowing": .array(layout.overflowing.map { .string($0.key) }),
            ])
        }
    }
}

/// A JSON object named on the command line: a file, or "-" for standard input.
enum JSONInput {
    /// The object in `source`; a missing file or anything but a JSON object is a usage error (64).
    static func object(_ source: String, what: String) throws -> JSONValue {
        let data: Data
        if source == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            guard let d = FileManager.default.contents(atPath: source) else {
                let why = FileManager.default.fileExists(atPath: source) ? "cannot be read" : "does not exist"
                throw CommandFailure(message: "\(what) \(source) \(why)", exitCode: 64)
            }
            data = d
        }
        let name = source == "-" ? "standard input" : source
        let value: JSONValue
        do {
            value = try JSONCoding.decoder.decode(JSONValue.self, from: data)
        } catch {
            throw CommandFailure(message: "\(what): \(name) is not valid JSON", exitCode: 64)
        }
        guard value.objectValue != nil else {
            throw CommandFailure(message: "\(what): \(name) must hold one JSON object ({…}), not \(DisplayWidth.truncate(Format.compactJSON(value), to: 40))",
                exitCode: 64)
        }
        return value
    }
}

extension ArgumentHelp {
    static let serial = ArgumentHelp("The certificate's serial, as in `kioskctl cert list`.", valueName: "serial")
}
