/// A QR code as the printer draws it with `GS ( k` (function 165–169 of the 2D-code commands).
///
/// Tickets carry one so a phone or the hall's scanner can look the ticket up; certificates
/// carry the anti-counterfeit one (防伪二维码). The payload goes out as UTF-8 bytes, which is what
/// phone scanners assume.
public struct QRCode: Sendable, Equatable {
    /// `GS ( k … 31 41 n1 00`: QR model.
    public enum Model: UInt8, Sendable, Equatable, CaseIterable {
        case model1 = 49
        case model2 = 50
    }

    /// `GS ( k … 31 45 n`: how much of the code may be damaged and still read.
    public enum ErrorCorrection: UInt8, Sendable, Equatable, CaseIterable {
        /// About 7 %.
        case low = 48
        /// About 15 %: the default for tickets.
        case medium = 49
        /// About 25 %.
        case quartile = 50
        /// About 30 %.
        case high = 51

        /// Bytes a version-40 model 2 code holds in byte mode (ISO/IEC 18004 table 7).
        public var byteCapacity: Int {
            switch self {
            case .low: 2953
            case .medium: 2331
            case .quartile: 1663
            case .high: 1273
            }
        }
    }

    public let data: [UInt8]
    public let model: Model
    /// Module (dot) size 1–16 (`GS ( k … 31 43 n`).
    public let moduleSize: UInt8
    public let errorCorrection: ErrorCorrection

    /// A QR code for `payload`; `moduleSize` is clamped to 1...16.
    public init(
        _ payload: String, moduleSize: Int = 6, errorCorrection: ErrorCorrection = .medium,
        model: Model = .model2
    ) throws(ESCPOSError) {
        let data = Array(payload.utf8)
        guard !data.isEmpty else { throw .emptyQRPayload }
        guard data.count <= errorCorrection.byteCapacity else {
            throw .qrPayloadTooLong(bytes: data.count, limit: errorCorrection.byteCapacity)
        }
        self.data = data
        self.model = model
        self.moduleSize = UInt8(min(16, max(1, moduleSize)))
        self.errorCorrection = errorCorrection
    }

    /// The payload as text.
    public var payload: String { String(decoding: data, as: UTF8.self) }
}
