/// The host's "show this text" command to a window display (窗口屏).
///
/// Layout: `A5 | addr (2, big-endian) | 15 | mode | colour | brightness | length (2,
/// little-endian) | text | CRC-16/MODBUS of addr…text (2, low byte first) | 5A`, with
/// everything between the delimiters escaped after the CRC is computed on the plain bytes.
extension LEDA5 {
    /// The most text bytes a command can carry (the length field has two bytes). `encode`
    /// sends only the first 65,535 bytes of a longer text rather than trapping: no panel shows
    /// more than a few dozen characters, so this only guards against a program error.
    public static let maxTextLength = 0xFFFF

    public struct Command: Sendable, Equatable, Hashable {
        /// The display's address; `LEDA5.broadcastAddress` (0) reaches every display.
        public var address: UInt16
        /// `Mode` raw value (00 steady, 01 blinking) or a model-specific one.
        public var mode: UInt8
        /// `Colour` raw value (01 red, 02 green, 03 yellow) or a model-specific one.
        public var colour: UInt8
        /// Brightness level; its range depends on the model, so it is passed through.
        public var brightness: UInt8
        /// The text, already GB 2312 encoded (see `GB2312.encode`).
        public var text: [UInt8]

        public init(address: UInt16, mode: UInt8, colour: UInt8, brightness: UInt8, text: [UInt8]) {
            self.address = address
            self.mode = mode
            self.colour = colour
            self.brightness = brightness
            self.text = text
        }

        public init(address: UInt16, mode: Mode, colour: Colour, brightness: UInt8, text: [UInt8]) {
            self.init(
                address: address, mode: mode.rawValue, colour: colour.rawValue, brightness: brightness,
                text: text)
        }

        /// A command showing `text`; nil when `text` has a character outside GB 2312.
        public init?(address: UInt16, mode: Mode, colour: Colour, brightness: UInt8, text: String) {
            guard let bytes = GB2312.encode(text) else { return nil }
            self.init(address: address, mode: mode, colour: colour, brightness: brightness, text: bytes)
        }
    }

    /// The complete frame for `command`, delimiters and escaping included, ready for the line.
    public static func encode(_ command: Command) -> [UInt8] {
        let text = command.text.prefix(maxTextLength)
        var body: [UInt8] = [
            UInt8(command.address >> 8), UInt8(command.address & 0xFF), commandCode,
            command.mode, command.colour, command.brightness,
            UInt8(text.count & 0xFF), UInt8(text.count >> 8),
        ]
        body += text
        body += CRC16Modbus.wireBytes(CRC16Modbus.checksum(body))
        return [startByte] + escape(body) + [endByte]
    }

    /// The command in a complete frame (`A5` … `5A`), for simulated displays and bus sniffers.
    public static func decodeCommand(_ frame: some Collection<UInt8>) throws(FrameError) -> Command {
        let body = try unescapedBody(frame)
        guard body.count >= 10 else { throw .badLength(expected: 10, actual: body.count) }
        try checkCRC(body)
        guard body[2] == commandCode else { throw .unexpectedFunction(body[2]) }
        let length = Int(body[6]) | Int(body[7]) << 8
        guard body.count == 10 + length else { throw .badLength(expected: 10 + length, actual: body.count) }
        return Command(
            address: UInt16(body[0]) << 8 | UInt16(body[1]), mode: body[3], colour: body[4],
            brightness: body[5], text: Array(body[8..<(8 + length)]))
    }

    /// The unescaped bytes between the delimiters of a complete frame.
    static func unescapedBody(_ frame: some Collection<UInt8>) throws(FrameError) -> [UInt8] {
        guard frame.count >= 2, frame.first == startByte, frame.dropFirst(frame.count - 1).first == endByte
        else { throw .notDelimited }
        return try unescapeOrThrow(frame.dropFirst().dropLast())
    }

    /// Checks the last two bytes of an unescaped body against the CRC of the rest.
    static func checkCRC(_ body: [UInt8]) throws(FrameError) {
        let n = body.count - 2
        let received = UInt16(body[n]) | UInt16(body[n + 1]) << 8
        let expected = CRC16Modbus.checksum(body[..<n])
        guard received == expected else { throw .badCRC(expected: expected, received: received) }
    }
}
