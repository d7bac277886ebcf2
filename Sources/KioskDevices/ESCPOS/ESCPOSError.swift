/// Why a value cannot become ESC/POS: raised when building commands, never when encoding them.
public enum ESCPOSError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A QR code needs at least one byte.
    case emptyQRPayload
    /// More bytes than a model 2 QR code (version 40) holds at this error-correction level.
    case qrPayloadTooLong(bytes: Int, limit: Int)

    public var description: String {
        switch self {
        case .emptyQRPayload: "a QR code needs a payload"
        case .qrPayloadTooLong(let bytes, let limit):
            "the QR payload is \(bytes) bytes; a QR code at this error correction holds at most \(limit)"
        }
    }
}
