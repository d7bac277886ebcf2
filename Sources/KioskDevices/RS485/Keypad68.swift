/// The `keypad-68` protocol of caller keypads (呼叫器) and evaluators (评价器): an M-Bus-style
/// long frame `68 | L | L | 68 | addr | func | data… | CS | 16`, optionally preceded by `FF`
/// bytes that wake up line drivers.
///
/// L counts addr…data (so L = 2 + data.count) and is sent twice so a reader can tell a real
/// header from a stray `68`; CS is the sum of those L bytes modulo 256. The host acknowledges a
/// good frame by echoing it (68…16, no preamble) and writes to a keypad's own display with
/// function `20` + GB 2312 text.
public enum Keypad68 {
    /// First and fourth byte of every frame.
    public static let startByte: UInt8 = 0x68
    /// Last byte of every frame.
    public static let stopByte: UInt8 = 0x16
    /// The wake-up byte a device may send any number of before a frame.
    public static let preambleByte: UInt8 = 0xFF
    /// Bytes around addr…data: `68 L L 68` and `CS 16`.
    public static let overhead = 6
    /// The most data bytes a frame can carry (L is one byte and also counts addr and func).
    public static let maxDataLength = 253

    /// Function codes on the bus.
    public enum Function: UInt8, Sendable, CaseIterable {
        case callNext = 0x0C
        case recall = 0x0D
        case start = 0x0E
        case finish = 0x0F
        case noShow = 0x10
        case evaluation = 0x11
        case pause = 0x12
        case resume = 0x13
        /// Host → keypad: show the GB 2312 text in data on the keypad's display.
        case display = 0x20
    }

    /// One frame, between the header and the checksum.
    public struct Frame: Sendable, Equatable, Hashable {
        /// The keypad's or evaluator's address (set with its DIP switches or menu).
        public var address: UInt8
        /// `Function` raw value, or a code a model adds.
        public var function: UInt8
        /// The function's arguments: a score for an evaluation, GB 2312 text for the display.
        public var data: [UInt8]

        public init(address: UInt8, function: UInt8, data: [UInt8] = []) {
            self.address = address
            self.function = function
            self.data = data
        }

        public init(address: UInt8, function: Function, data: [UInt8] = []) {
            self.init(address: address, function: function.rawValue, data: data)
        }

        /// The host's frame showing `text` (GB 2312 bytes) on the keypad at `address`.
        public static func display(address: UInt8, text: [UInt8]) -> Frame {
            Frame(address: address, function: .display, data: text)
        }
    }

    /// Sum of `bytes` modulo 256: the frame's CS over addr…data.
    public static func checksum(_ bytes: some Sequence<UInt8>) -> UInt8 {
        bytes.reduce(0, &+)
    }

    /// The frame on the wire, without preamble. Data beyond `maxDataLength` bytes is not sent
    /// (L could not count it); keypad displays hold a few characters, so this only guards
    /// against a program error instead of trapping.
    public static func encode(_ frame: Frame) -> [UInt8] {
        let payload = [frame.address, frame.function] + frame.data.prefix(maxDataLength)
        let length = UInt8(payload.count)
        return [startByte, length, length, startByte] + payload + [checksum(payload), stopByte]
    }

    /// The acknowledgement of a received frame: the frame itself, sent back unchanged.
    public static func acknowledgement(of frame: Frame) -> [UInt8] {
        encode(frame)
    }

    /// The frame in `bytes`: one complete frame 68…16, optionally after `FF` bytes. For
    /// simulated keypads and the tests; the bus reader uses `BusFrameScanner`.
    public static func decode(_ bytes: some Collection<UInt8>) throws(FrameError) -> Frame {
        let raw = Array(bytes.drop { $0 == preambleByte })
        guard raw.count >= overhead + 2, raw[0] == startByte, raw[3] == startByte, raw[1] == raw[2],
            raw[1] >= 2, raw.count == Int(raw[1]) + overhead
        else { throw .badLength }
        let payload = raw[4..<(raw.count - 2)]
        guard raw[raw.count - 1] == stopByte else { throw .badTerminator(raw[raw.count - 1]) }
        let expected = checksum(payload)
        guard raw[raw.count - 2] == expected else {
            throw .badChecksum(expected: expected, received: raw[raw.count - 2])
        }
        return Frame(address: raw[4], function: raw[5], data: Array(raw[6..<(raw.count - 2)]))
    }

    /// Why bytes are not a `keypad-68` frame.
    public enum FrameError: Error, Sendable, Equatable, CustomStringConvertible {
        /// The header is not `68 L L 68` with L ≥ 2, or the byte count does not match L.
        case badLength
        /// CS is not the sum of addr…data.
        case badChecksum(expected: UInt8, received: UInt8)
        /// The last byte is not `16`.
        case badTerminator(UInt8)

        public var description: String {
            switch self {
            case .badLength: return "bad header or length"
            case .badChecksum(let expected, let received):
                return "checksum \(RS485Hex.byte(received)), expected \(RS485Hex.byte(expected))"
            case .badTerminator(let byte): return "terminator \(RS485Hex.byte(byte)), expected 16"
            }
        }
    }
}
