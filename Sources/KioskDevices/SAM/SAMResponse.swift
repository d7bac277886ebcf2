/// An answer from the SAM module: the three status bytes and the data after them.
public struct SAMResponse: Sendable, Equatable {
    public var status: SAMStatus
    public var data: [UInt8]

    public init(status: SAMStatus, data: [UInt8] = []) {
        self.status = status
        self.data = data
    }

    /// The complete frame (what a reader would send; used by emulators and recordings).
    public var frame: [UInt8] { SAMFrame.wrap([status.sw1, status.sw2, status.sw3] + data) }
}
