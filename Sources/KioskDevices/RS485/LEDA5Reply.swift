/// A window display's (窗口屏) answer to a command.
///
/// Layout: `A5 | addr (2, big-endian) | 95 | status | CRC-16/MODBUS of addr…status (2, low
/// byte first) | 5A`, escaped like a command. Status 00 means the text is shown; other values
/// are model-specific faults, passed through for the driver to log.
extension LEDA5 {
    public struct Reply: Sendable, Equatable, Hashable {
        /// The address of the display that answers.
        public var address: UInt16
        /// 00 = ok; anything else is a fault code.
        public var status: UInt8

        public init(address: UInt16, status: UInt8) {
            self.address = address
            self.status = status
        }

        /// Whether the display accepted the command.
        public var isOK: Bool { status == LEDA5.statusOK }
    }

    /// The unescaped length of a reply between the delimiters: addr(2), 95, status, CRC(2).
    public static let replyBodyLength = 6

    /// The complete frame of `reply`, for simulated displays.
    public static func encodeReply(_ reply: Reply) -> [UInt8] {
        var body: [UInt8] = [UInt8(reply.address >> 8), UInt8(reply.address & 0xFF), replyCode, reply.status]
        body += CRC16Modbus.wireBytes(CRC16Modbus.checksum(body))
        return [startByte] + escape(body) + [endByte]
    }

    /// The reply in a complete frame (`A5` … `5A`). Checks, in order: escaping, length, CRC,
    /// function code — so a corrupted frame is reported as such, not as a foreign function.
    public static func decodeReply(_ frame: some Collection<UInt8>) throws(FrameError) -> Reply {
        let body = try unescapedBody(frame)
        guard body.count == replyBodyLength else {
            throw .badLength(expected: replyBodyLength, actual: body.count)
        }
        try checkCRC(body)
        guard body[2] == replyCode else { throw .unexpectedFunction(body[2]) }
        return Reply(address: UInt16(body[0]) << 8 | UInt16(body[1]), status: body[3])
    }
}
