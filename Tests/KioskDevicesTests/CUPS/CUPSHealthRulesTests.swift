import Foundation
import KioskCore
import Testing

@testable import KioskDevices

/// The rules that turn a CUPS queue's status into a certificate printer's health, and the
/// server address syntax: no cupsd needed.
@Suite("CUPS health rules and server syntax (CUPSHealthRulesTests)")
struct CUPSHealthRulesTests {
    typealias H = CertificatePrinterHealth

    static func assess(
        _ state: CUPSPrinterStatus.State = .idle, _ reasons: [String] = [], message: String = "",
        accepting: Bool = true, device: String? = nil
    ) -> (DeviceHealth.State, String) {
        H.assess(
            H.Inputs(
                queue: "Certs",
                printer: CUPSPrinterStatus(
                    queue: "Certs", state: state, reasons: reasons, message: message, isAcceptingJobs: accepting,
                    deviceURI: "ipp://10.0.0.7/ipp/print"),
                deviceUnreachable: device))
    }

    @Test func aQuietQueueIsReady() {
        #expect(Self.assess() == (.ok, "ready"))
        #expect(Self.assess(.processing, ["cups-waiting-for-job-completed"], message: "Printing.") == (.ok, "ready"))
        // CUPS's bookkeeping after a printer forgot a job is not a fault of the printer.
        #expect(
            Self.assess(.idle, ["cups-ipp-conformance-failure-report", "cups-ipp-missing-job-history"]) == (.ok, "ready"))
        #expect(Self.assess(.processing, ["connecting-to-device"]) == (.ok, "ready"))
    }

    @Test func paperJamAndCoverAreFaultsWhateverTheSuffix() {
        for suffix in ["-error", "-warning", "-report", ""] {
            #expect(Self.assess(.processing, ["media-empty\(suffix)"]) == (.fault, "out of paper"))
            #expect(Self.assess(.idle, ["media-jam\(suffix)"]) == (.fault, "paper jam"))
            #expect(Self.assess(.idle, ["door-open\(suffix)"]) == (.fault, "door open"))
        }
        #expect(Self.assess(.idle, ["media-needed-error", "cover-open-error"]) == (.fault, "out of paper, cover open"))
        #expect(Self.assess(.idle, ["other-error"]) == (.fault, "printer error"))
        #expect(Self.assess(.idle, ["fuser-over-temp-error"]) == (.fault, "printer error: fuser-over-temp"))
    }

    @Test func lowSuppliesDegrade() {
        #expect(Self.assess(.idle, ["media-low-report"]) == (.degraded, "paper low"))
        #expect(Self.assess(.idle, ["toner-low-warning", "media-low-warning"]) == (.degraded, "toner low, paper low"))
        #expect(Self.assess(.idle, ["fuser-over-temp-warning"]) == (.degraded, "fuser-over-temp"))
        #expect(Self.assess(.idle, ["fuser-over-temp-report"]) == (.ok, "ready"))
        // A fault wins over a warning.
        #expect(Self.assess(.idle, ["toner-low-warning", "media-jam-error"]) == (.fault, "paper jam"))
    }

    @Test func aStoppedOrRejectingQueueIsAFault() {
        #expect(Self.assess(.stopped, ["paused"], message: "maintenance") == (.fault, "queue stopped: maintenance"))
        #expect(Self.assess(.stopped, ["paused"], message: "Paused") == (.fault, "queue stopped"))
        #expect(Self.assess(.idle, [], accepting: false) == (.fault, "queue not accepting jobs"))
        #expect(
            Self.assess(.stopped, ["media-empty-error", "paused"], message: "")
                == (.fault, "out of paper, queue stopped"))
    }

    @Test func anUnreachablePrinterIsAbsent() {
        #expect(
            Self.assess(.idle, [], device: "connection refused")
                == (.absent, "printer not reachable at ipp://10.0.0.7/ipp/print (connection refused)"))
        let message = "The printer may not exist or is unavailable at this time."
        #expect(
            Self.assess(.processing, [], message: message)
                == (.absent, "printer not reachable at ipp://10.0.0.7/ipp/print (\(message))"))
        #expect(Self.assess(.idle, ["offline-report"]) == (.absent, "printer offline at ipp://10.0.0.7/ipp/print"))
        #expect(
            Self.assess(.stopped, ["paused"], message: "", device: "connection refused").1
                == "printer not reachable at ipp://10.0.0.7/ipp/print (connection refused), queue stopped")
    }

    @Test func cupsdAndQueueProblems() {
        #expect(
            H.assess(H.Inputs(queue: "Q", serverUnreachable: "Connection refused"))
                == (.fault, "CUPS not reachable (Connection refused)"))
        #expect(H.assess(H.Inputs(queue: "Q", queueMissing: true)) == (.absent, "no CUPS queue \"Q\""))
        #expect(H.assess(H.Inputs(queue: "Q")) == (.absent, "not asked yet"))
    }

    @Test func serverSyntaxFollowsCUPSServer() {
        let socket = CUPSServer("/tmp/x/cups.sock")
        #expect(socket?.host == "/tmp/x/cups.sock" && socket?.isSocket == true && socket?.isLocal == true)
        #expect(socket?.description == "/tmp/x/cups.sock")
        #expect(CUPSServer("localhost:6310") == CUPSServer(host: "localhost", port: 6310))
        #expect(CUPSServer("printserver:631/version=1.1") == CUPSServer(host: "printserver", port: 631))
        #expect(CUPSServer("[::1]:6310") == CUPSServer(host: "::1", port: 6310))
        #expect(CUPSServer("[::1]:6310")?.description == "[::1]:6310")
        #expect(CUPSServer("printserver")?.port == 631)
        #expect(CUPSServer("printserver")?.isLocal == false && CUPSServer("127.0.0.1:631")?.isLocal == true)
        #expect(CUPSServer("") == nil && CUPSServer("host:notaport") == nil && CUPSServer("host:0") == nil)
    }

    @Test func jobFlagsForReconciliation() {
        #expect(CUPSJob(id: 1, state: .held, stateReasons: ["job-incoming"]).isIncomplete)
        #expect(!CUPSJob(id: 1, state: .held, stateReasons: ["job-hold-until-specified"]).isIncomplete)
        #expect(CUPSJob(id: 1, state: .completed, printerStateReasons: ["cups-ipp-missing-job-history"]).printerForgotJob)
        #expect(!CUPSJob(id: 1, state: .completed).printerForgotJob)
        #expect(CUPSJob(id: 1, state: .completed, printerStateReasons: ["media-jam-report"]).printerJammed)
        #expect(!CUPSJob(id: 1, state: .completed, printerStateReasons: ["media-low-report"]).printerJammed)
        #expect(!CUPSJob(id: 1, state: .canceled, printerStateReasons: ["media-jam-report"]).printerJammed)
        #expect(CUPSJob.State.allCases.filter(\.isFinal) == [.canceled, .aborted, .completed])
    }

    @Test func errorsSayWhatToDo() {
        #expect(
            CUPSError.serverUnreachable(server: "/run/cups/cups.sock", reason: "No such file or directory").description
                == "CUPS is not reachable at /run/cups/cups.sock: No such file or directory "
                + "(is cupsd running? `lpstat -h /run/cups/cups.sock -r`)")
        #expect(CUPSError.notAccepting(queue: "Certs", message: "").description.contains("`cupsaccept Certs`"))
        #expect(CUPSError.notAuthorized(operation: "Resume-Printer", message: "Forbidden").description.contains("lpadmin"))
        #expect(
            CUPSError.serverUnreachable(server: "s", reason: "r").deviceError(id: "cert0")
                == .unavailable(id: "cert0", reason: CUPSError.serverUnreachable(server: "s", reason: "r").description))
        #expect(CUPSError.jobNotFound(id: 3).deviceError(id: "c").code == "fault")
    }

    @Test func aPrinterIsBuiltFromItsDevicesEntry() throws {
        let config = DeviceConfig(
            id: "cert1", kind: .certificatePrinter, transport: .cups, path: "/tmp/x/cups.sock", queue: "Certs")
        let printer = try CertificatePrinter(config: config)
        #expect(printer.queue == "Certs" && printer.endpoint == "cups:Certs" && printer.kind == .certificatePrinter)
        #expect(printer.connection.server.host == "/tmp/x/cups.sock")
        #expect(printer.health == DeviceHealth(state: .absent, reason: "not asked yet", since: printer.health.since))
        #expect(throws: DeviceError.invalidConfig(id: "c", message: "a CUPS printer needs `queue`")) {
            try CertificatePrinter(config: DeviceConfig(id: "c", kind: .certificatePrinter, transport: .cups))
        }
        #expect(throws: DeviceError.invalidConfig(id: "c", message: "a certificate printer needs transport \"cups\"")) {
            try CertificatePrinter(config: DeviceConfig(id: "c", kind: .certificatePrinter, transport: .usb, queue: "Q"))
        }
        let remote = try CertificatePrinter(
            config: DeviceConfig(
                id: "c", kind: .certificatePrinter, transport: .cups, host: "printserver", port: 6310, queue: "Q"))
        #expect(remote.connection.server == CUPSServer(host: "printserver", port: 6310))
    }
}
