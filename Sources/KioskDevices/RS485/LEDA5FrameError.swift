/// Why bytes between `A5` and `5A` are not a usable `led-a5` frame. The bus reader counts these
/// by kind, and a simulated display (窗口屏) uses them to refuse bad commands as a real one would.
extension LEDA5 {
    public enum FrameError: Error, Sendable, Equatable, CustomStringConvertible {
        /// The bytes do not start with `A5` and end with `5A`.
        case notDelimited
        /// An escape byte followed by something other than `01`/`02` (or by the end of the
        /// frame), or a bare delimiter inside the frame. `offset` counts from the byte after
        /// `A5`.
        case badEscape(offset: Int, bytes: [UInt8])
        /// After unescaping, the frame is not as long as its layout requires.
        case badLength(expected: Int, actual: Int)
        /// The CRC on the wire is not the CRC of the unescaped bytes before it.
        case badCRC(expected: UInt16, received: UInt16)
        /// A well-formed frame (its CRC matches) with a function code this decoder does not
        /// handle, e.g. a host command heard where a reply was expected.
        case unexpectedFunction(UInt8)

        public var description: String {
            switch self {
            case .notDelimited:
                return "not an A5…5A frame"
            case .badEscape(let offset, let bytes):
                let hex = bytes.map { RS485Hex.byte($0) }.joined(separator: " ")
                return "invalid escape \(hex) at offset \(offset)"
            case .badLength(let expected, let actual):
                return "unescaped length \(actual), expected \(expected)"
            case .badCRC(let expected, let received):
                return "CRC \(RS485Hex.word(received)), expected \(RS485Hex.word(expected))"
            case .unexpectedFunction(let code):
                return "unexpected function \(RS485Hex.byte(code))"
            }
        }
    }
}
