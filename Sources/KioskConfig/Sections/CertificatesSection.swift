import KioskCore

/// `[certificates]`: the certificate pipeline's settings, and the entry point that reads it with
/// `[[departments]]`. Printers are checked against `[[devices]]` here, because a certificate sent to
/// a receipt printer or to a device that does not exist would only fail at the first order.
extension CertificatesConfig {
    static func read(from root: TableReader, hall: HallInfo, devices: [DeviceConfig]) throws(ConfigError) -> CertificatesConfig {
        let table = try root.table("certificates")
        let settings = try table.map { table throws(ConfigError) in
            try CertificateSettings(reading: table, devices: devices)
        } ?? CertificateSettings(
            templates: root.document.resolve(CertificateSettings().templates),
            printers: devices.filter { $0.kind == .certificatePrinter }.map(\.id))
        let departments = try Department.readAll(from: root)
        // The hall code starts every serial and QR payload; only check it where certificates are made.
        if table != nil || !departments.isEmpty, !CertificateSerial.isValidHallCode(hall.code) {
            let message =
                "must be ASCII letters, digits and inner hyphens, at most \(CertificateSerial.maximumHallCodeLength) "
                + "characters, when certificates are printed: it begins every certificate serial"
            throw try root.table("hall")?.error("code", message) ?? root.error("hall", message)
        }
        return CertificatesConfig(settings: settings, departments: departments)
    }
}

extension CertificateSettings {
    static let configKeys: Set<String> = [
        "templates", "printers", "require_release", "auto_resume", "printer_timeout_seconds",
    ]

    init(reading table: TableReader, devices: [DeviceConfig]) throws(ConfigError) {
        try table.refuseUnknownKeys(Self.configKeys)
        self.init()
        templates = table.document.resolve(try table.string("templates") ?? templates)
        if let ids = try table.identifiers("printers") {
            printers = try Self.checkPrinters(ids, in: table, devices: devices)
        } else {
            printers = devices.filter { $0.kind == .certificatePrinter }.map(\.id)
        }
        if let value = try table.bool("require_release") { requireRelease = value }
        if let value = try table.bool("auto_resume") { autoResume = value }
        if let value = try table.int("printer_timeout_seconds", atLeast: 1) { printerTimeoutSeconds = value }
    }

    /// Every id names a `certificate-printer` device, once.
    private static func checkPrinters(
        _ ids: [String], in table: TableReader, devices: [DeviceConfig]
    ) throws(ConfigError) -> [String] {
        let path = table.path.appending("printers")
        let certificatePrinters = devices.filter { $0.kind == .certificatePrinter }.map(\.id)
        var seen: Set<String> = []
        for (index, id) in ids.enumerated() {
            let at = path.appending(index: index)
            guard let device = devices.first(where: { $0.id == id }) else {
                let known =
                    certificatePrinters.isEmpty
                    ? "no [[devices]] entry has kind = \"certificate-printer\""
                    : "certificate printers: " + certificatePrinters.joined(separator: ", ")
                throw table.document.error(at: at, "no [[devices]] entry has id \"\(id)\"; \(known)")
            }
            guard device.kind == .certificatePrinter else {
                throw table.document.error(
                    at: at, "device \"\(id)\" is a \(device.kind.rawValue); certificates print on kind = \"certificate-printer\"")
            }
            guard seen.insert(id).inserted else {
                throw table.document.error(at: at, "printer \"\(id)\" is listed twice")
            }
        }
        return ids
    }
}
