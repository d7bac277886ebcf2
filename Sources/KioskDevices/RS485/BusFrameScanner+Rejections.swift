/// What the bus reader threw away and why. The bus counts these per line and logs the last one
/// at debug level, so a wiring fault (garbage), a failing device (bad CRC/checksum) or a
/// half-dead adapter (abandoned partial frames) each show up as their own number.
extension BusFrameScanner {
    public enum Reason: String, Sendable, CaseIterable, CustomStringConvertible {
        /// Bytes that start no frame (not `A5`, `68` or `FF`), an `FF` preamble that no `68`
        /// followed, or an `A5` with no `5A` within `maxLEDFrameLength` bytes.
        case garbage
        /// A display reply whose CRC-16/MODBUS does not match.
        case badCRC
        /// A keypad frame whose CS does not match.
        case badChecksum
        /// A keypad header that is not `68 L L 68` with L ≥ 2; a display frame that is not six
        /// bytes long after unescaping, or that a new `A5` cut off before its `5A`.
        case badLength
        /// A display frame with an escape byte followed by something other than `01`/`02`.
        case badEscape
        /// A keypad frame whose last byte is not `16`.
        case badTerminator
        /// A well-formed display frame (CRC good) that is not a reply, e.g. a command echoed by
        /// an adapter.
        case unexpectedFunction
        /// A partial frame dropped by `abandonPartial()` because the line went quiet.
        case abandoned

        public var description: String { rawValue }
    }

    /// Counters since the scanner was made. `garbageBytes` counts bytes; every other field
    /// counts frames (or partial frames, for `abandoned`).
    public struct Rejections: Sendable, Equatable, Hashable {
        public var garbageBytes = 0
        public var badCRC = 0
        public var badChecksum = 0
        public var badLength = 0
        public var badEscape = 0
        public var badTerminator = 0
        public var unexpectedFunction = 0
        public var abandoned = 0

        public init() {}

        /// The counter for `reason`.
        public subscript(reason: Reason) -> Int {
            get {
                switch reason {
                case .garbage: garbageBytes
                case .badCRC: badCRC
                case .badChecksum: badChecksum
                case .badLength: badLength
                case .badEscape: badEscape
                case .badTerminator: badTerminator
                case .unexpectedFunction: unexpectedFunction
                case .abandoned: abandoned
                }
            }
            set {
                switch reason {
                case .garbage: garbageBytes = newValue
                case .badCRC: badCRC = newValue
                case .badChecksum: badChecksum = newValue
                case .badLength: badLength = newValue
                case .badEscape: badEscape = newValue
                case .badTerminator: badTerminator = newValue
                case .unexpectedFunction: unexpectedFunction = newValue
                case .abandoned: abandoned = newValue
                }
            }
        }

        /// Every rejection counted, whatever the reason (garbage counts its bytes).
        public var total: Int { Reason.allCases.reduce(0) { $0 + self[$1] } }

        /// Whether nothing was rejected.
        public var isEmpty: Bool { self == Rejections() }
    }

    /// One rejection, for a debug log line.
    public struct Rejection: Sendable, Equatable, Hashable, CustomStringConvertible {
        public var reason: Reason
        /// Bytes removed from the stream by this rejection (preamble included).
        public var droppedBytes: Int
        /// What was wrong, with the bytes concerned in hex.
        public var detail: String

        public init(reason: Reason, droppedBytes: Int, detail: String) {
            self.reason = reason
            self.droppedBytes = droppedBytes
            self.detail = detail
        }

        public var description: String {
            "\(reason): \(detail) (\(droppedBytes) byte\(droppedBytes == 1 ? "" : "s") dropped)"
        }
    }
}
