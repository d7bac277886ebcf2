import Testing

import KioskConfig
import KioskCore

/// `[certificates]` and `[[departments]]`: settings, defaults, paths relative to the file, printers
/// checked against `[[devices]]`, unique departments, and a serial-safe hall code.
@Suite struct CertificatesConfigTests {
    /// `Fixture.minimal` plus two devices: lines 9–18, so appended text starts at line 19.
    static let withPrinters = Fixture.minimal + """
        [[devices]]
        id = "certprinter0"
        kind = "certificate-printer"
        transport = "cups"
        queue = "Certs"

        [[devices]]
        id = "printer0"
        kind = "receipt-printer"
        transport = "simulated"

        """

    @Test func everythingIsRead() throws {
        let config = try Fixture.parse(
            Self.withPrinters + """
                [certificates]
                templates = "templates/certs"
                printers = ["certprinter0"]
                require_release = false
                auto_resume = false
                printer_timeout_seconds = 90

                [[departments]]
                id = "health"
                name = "区卫生健康委员会"
                seal = "seals/health.png"
                types = ["public-health-license", "medical-practice"]

                [[departments]]
                id = 12
                name = "区市场监督管理局"
                seal = "/srv/seals/market.png"
                types = ["business-license"]
                """)
        #expect(
            config.certificates.settings
                == CertificateSettings(
                    templates: "/etc/kioskd/templates/certs", printers: ["certprinter0"], requireRelease: false,
                    autoResume: false, printerTimeoutSeconds: 90))
        #expect(
            config.certificates.departments == [
                Department(
                    id: "health", name: "区卫生健康委员会", seal: "/etc/kioskd/seals/health.png",
                    types: ["public-health-license", "medical-practice"]),
                Department(id: "12", name: "区市场监督管理局", seal: "/srv/seals/market.png", types: ["business-license"]),
            ])
        #expect(config.certificates.department("health")?.maySeal("medical-practice") == true)
        #expect(config.certificates.department("health")?.maySeal("business-license") == false)
        #expect(config.certificates.department("none") == nil)
    }

    @Test func withoutTheTablesTheDefaultsApply() throws {
        let config = try Fixture.parse(Self.withPrinters)
        let settings = config.certificates.settings
        #expect(settings.templates == "/etc/kioskd/certificates")
        #expect(settings.printers == ["certprinter0"])
        #expect(settings.requireRelease == true)
        #expect(settings.autoResume == true)
        #expect(settings.printerTimeoutSeconds == 60)
        #expect(config.certificates.departments.isEmpty)
    }

    @Test func anEmptyTableAlsoTakesTheDefaults() throws {
        let config = try Fixture.parse(Self.withPrinters + "[certificates]\n")
        #expect(config.certificates.settings.templates == "/etc/kioskd/certificates")
        #expect(config.certificates.settings.printers == ["certprinter0"])
        #expect(config.certificates.settings.requireRelease == true)
    }

    @Test func withoutCertificatePrintersThereAreNone() throws {
        let config = try Fixture.parse(Fixture.minimal)
        #expect(config.certificates.settings.printers == [])
    }

    @Test func aPrinterThatIsNoDeviceIsRefused() {
        let error = Fixture.refusal(
            Self.withPrinters + """
                [certificates]
                printers = ["certprinter0", "certprinter9"]
                """)
        #expect(error?.line == 20)
        #expect(error?.key == "certificates.printers[1]")
        #expect(error?.message == "no [[devices]] entry has id \"certprinter9\"; certificate printers: certprinter0")
    }

    @Test func aReceiptPrinterCannotPrintCertificates() {
        let error = Fixture.refusal(
            Self.withPrinters + """
                [certificates]
                printers = ["printer0"]
                """)
        #expect(error?.line == 20)
        #expect(error?.key == "certificates.printers[0]")
        #expect(error?.message == "device \"printer0\" is a receipt-printer; certificates print on kind = \"certificate-printer\"")
    }

    @Test func aPrinterListedTwiceIsRefused() {
        let error = Fixture.refusal(
            Self.withPrinters + """
                [certificates]
                printers = ["certprinter0", "certprinter0"]
                """)
        #expect(error?.key == "certificates.printers[1]")
        #expect(error?.message == "printer \"certprinter0\" is listed twice")
    }

    @Test func withNoCertificatePrinterDevicesTheMessageSaysSo() {
        let error = Fixture.refusal(Fixture.minimal + "[certificates]\nprinters = [\"c0\"]\n")
        #expect(error?.line == 10)
        #expect(error?.message == "no [[devices]] entry has id \"c0\"; no [[devices]] entry has kind = \"certificate-printer\"")
    }

    @Test(arguments: [
        ("printer_timeout_seconds = 0", "certificates.printer_timeout_seconds", "must be a positive integer"),
        ("require_release = \"yes\"", "certificates.require_release", "expected a boolean (true or false), found string \"yes\""),
        ("auto_resume = 1", "certificates.auto_resume", "expected a boolean (true or false), found integer 1"),
        ("templates = \"\"", "certificates.templates", "must not be empty"),
        ("printers = \"certprinter0\"", "certificates.printers", "expected an array of ids, found string \"certprinter0\""),
        ("require_relase = true", "certificates.require_relase", "unknown key; did you mean require_release?"),
    ])
    func badSettingsAreRefusedAtTheirLine(line: String, key: String, message: String) {
        let error = Fixture.refusal(Self.withPrinters + "[certificates]\n" + line + "\n")
        #expect(error?.line == 20)
        #expect(error?.key == key)
        #expect(error?.message == message)
    }

    static let department = """
        [[departments]]
        id = "health"
        name = "区卫生健康委员会"
        seal = "seals/health.png"
        types = ["public-health-license"]

        """

    @Test func duplicateDepartmentIdIsRefused() {
        let error = Fixture.refusal(Fixture.minimal + Self.department + Self.department)
        #expect(error?.line == 15)
        #expect(error?.key == "departments[1].id")
        #expect(error?.message == "duplicate id \"health\", already used by departments[0]")
    }

    @Test(arguments: ["id", "name", "seal", "types"])
    func eachDepartmentKeyIsRequired(key: String) {
        let text = Self.department.split(separator: "\n").filter { !$0.hasPrefix(key + " ") }.joined(separator: "\n")
        let error = Fixture.refusal(Fixture.minimal + text)
        #expect(error?.line == 9)
        #expect(error?.key == "departments[0].\(key)")
        #expect(error?.message == "is required")
    }

    @Test func aDepartmentMustSealSomethingAndEachTypeOnce() {
        let empty = Fixture.refusal(Fixture.minimal + Self.department.replacingOccurrences(of: "[\"public-health-license\"]", with: "[]"))
        #expect(empty?.line == 13)
        #expect(empty?.key == "departments[0].types")
        let twice = Fixture.refusal(
            Fixture.minimal + Self.department.replacingOccurrences(of: "\"public-health-license\"]", with: "\"a\", \"b\", \"a\"]"))
        #expect(twice?.line == 13)
        #expect(twice?.key == "departments[0].types[2]")
        #expect(twice?.message == "type \"a\" is listed twice")
    }

    @Test func unknownDepartmentKeyIsRefusedWithASuggestion() {
        let error = Fixture.refusal(Fixture.minimal + Self.department + "seals = \"x.png\"\n")
        #expect(error?.line == 14)
        #expect(error?.key == "departments[0].seals")
        #expect(error?.message == "unknown key; did you mean seal?")
    }

    @Test func aHallCodeThatCannotStartASerialIsRefusedWhenCertificatesArePrinted() {
        let hall = Fixture.minimal.replacingOccurrences(of: "code = \"500107-01\"", with: "code = \"500107.01\"")
        for extra in ["[certificates]\n", Self.department] {
            let error = Fixture.refusal(hall + extra)
            #expect(error?.line == 2)
            #expect(error?.key == "hall.code")
            #expect(error?.message.contains("it begins every certificate serial") == true)
        }
        // A hall that prints no certificates may keep any code.
        #expect(throws: Never.self) { try Fixture.parse(hall) }
    }

    @Test func certificatesAndDepartmentsAreNoLongerIgnored() {
        // Before this feature the tables were reserved and skipped; now their keys are checked.
        let error = Fixture.refusal(Fixture.minimal + "[certificates]\ntemplate_dir = \"templates\"\n")
        #expect(error?.key == "certificates.template_dir")
    }
}
