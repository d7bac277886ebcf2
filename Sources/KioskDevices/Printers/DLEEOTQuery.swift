/// Asks a printer for its status with `DLE EOT 1, 2, 4` (and 3 when there is an error) and reads
/// the one-byte answers.
///
/// Why this order and why stop at the first silence: `DLE EOT 1` says whether the printer is
/// online at all; when it does not answer, the others will not either, and waiting out three
/// more timeouts would only delay the job behind it. Stale bytes (an answer that came after an
/// earlier timeout) are discarded before each request, and bytes that are not status bytes
/// (fixed bits, mask 0x93 = 0x12) are skipped.
enum DLEEOTQuery {
    /// The sensors, or nil when the printer did not answer in time.
    static func read(_ transport: any ByteTransport, timeout: Duration) throws(TransportError) -> PrinterSensors? {
        guard let b1 = try ask(.printer, transport, timeout), let state = ESCPOSStatus.printerState(b1),
            let b2 = try ask(.offlineCause, transport, timeout), let cause = ESCPOSStatus.offlineCause(b2),
            let b4 = try ask(.paperSensor, transport, timeout), var paper = ESCPOSStatus.paperLevel(fromPaperSensor: b4)
        else { return nil }
        if cause.paperEnd { paper = .out }
        var errors: [String] = []
        if cause.error {
            guard let b3 = try ask(.errorCause, transport, timeout), let e = ESCPOSStatus.errorCause(b3) else {
                return nil
            }
            errors = e.descriptions
            if errors.isEmpty { errors = ["printer error"] }
        }
        return PrinterSensors(offline: state.offline, coverOpen: cause.coverOpen, paper: paper, errors: errors)
    }

    /// Sends `DLE EOT n` and returns the first status byte that arrives within `timeout`.
    static func ask(_ n: ESCPOSCommand.StatusRequest, _ transport: any ByteTransport, _ timeout: Duration)
        throws(TransportError) -> UInt8?
    {
        transport.discardInput()
        try transport.write(ESCPOSEncoder().encode(.requestStatus(n)), timeout: timeout)
        let deadline = ContinuousClock.now + timeout
        while true {
            let left = deadline - ContinuousClock.now
            if left <= .zero { return nil }
            let bytes = try transport.read(max: 16, timeout: left)
            if bytes.isEmpty { return nil }
            if let b = bytes.first(where: ESCPOSStatus.isStatusByte) { return b }
        }
    }
}
