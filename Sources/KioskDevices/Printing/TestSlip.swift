import Foundation

/// What a printer's self-test prints (在线测试): proof that it works end to end, with the state
/// it reported, so a technician at the terminal and one reading `device.test` see the same.
public struct TestSlip: Sendable, Equatable {
    public var deviceID: String
    /// Where the printer is ("/dev/usb/lp0", "simulated").
    public var endpoint: String
    public var hallName: String?
    public var printedAt: Date
    public var timeZone: TimeZone
    /// The printer's status in words ("ok: ready", "degraded: paper near end").
    public var status: String

    public init(
        deviceID: String, endpoint: String, hallName: String? = nil, printedAt: Date,
        timeZone: TimeZone, status: String
    ) {
        self.deviceID = deviceID
        self.endpoint = endpoint
        self.hallName = hallName
        self.printedAt = printedAt
        self.timeZone = timeZone
        self.status = status
    }

    /// "kioskd:test:<device id>": what the test slip's QR code says.
    public var qrPayload: String { "kioskd:test:\(deviceID)" }
}
