/// Why bytes from a reader did not make a usable SAM answer. Carried, never printed: the driver
/// turns it into a `DeviceError` and a health reason.
public enum SAMProtocolError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A whole frame arrived but its XOR checksum is wrong (line noise, wrong baud rate).
    case checksumMismatch(expected: UInt8, actual: UInt8)
    /// A frame too short to hold SW1–SW3.
    case truncated(length: Int)
    /// The reader answered with a status this driver does not know.
    case unknownStatus(SAMStatus)
    /// A successful answer whose data does not have the documented shape.
    case malformed(String)

    public var description: String {
        switch self {
        case .checksumMismatch(let e, let a):
            "bad checksum from reader (computed \(SAMStatus.hex(e)), frame says \(SAMStatus.hex(a)))"
        case .truncated(let n): "frame too short for a status (\(n) bytes after the length)"
        case .unknownStatus(let s): s.description
        case .malformed(let m): "malformed answer: \(m)"
        }
    }
}
