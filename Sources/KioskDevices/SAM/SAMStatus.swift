/// The status words of a SAM answer (SW1 SW2 SW3), with what each means for a technician.
///
/// SW1 and SW2 are `00 00` on every reader seen; SW3 (SAM_A的操作状态) carries the result. The
/// table follows the SAM status codes of the public-security SDT interface as reproduced by
/// HslCommunication (`SAMSerial.GetErrorDescription` and its `SAMStatusXX` strings): 90, 91, 9F,
/// 10, 11, 21, 23, 24, 31, 32, 33, 40, 41, 47, 60, 66, 80, 81. `37` and `3F` come from the same
/// SDT manual's list as vendors print it; any other value is reported as unknown, never guessed.
public struct SAMStatus: Sendable, Hashable, CustomStringConvertible {
    public var sw1: UInt8
    public var sw2: UInt8
    public var sw3: UInt8

    public init(sw1: UInt8 = 0, sw2: UInt8 = 0, sw3: UInt8) {
        self.sw1 = sw1
        self.sw2 = sw2
        self.sw3 = sw3
    }

    /// What the driver should do about a status.
    public enum Kind: String, Sendable, Equatable {
        /// 90 (操作成功) or 9F (寻找居民身份证成功).
        case success
        /// 80: no new card on the reader: keep polling.
        case noCard
        /// The card could not be selected, authenticated or read (moved away, damaged, not a
        /// resident card): the reader itself is fine.
        case cardError
        /// The SAM says our frame arrived damaged (checksum, length, command): the line is noisy
        /// or the baud rate is wrong.
        case transmission
        /// The SAM module itself is broken or refuses to work: needs a technician.
        case samFault
        /// A code this driver does not know.
        case unknown
    }

    /// The SW3 values this driver names.
    static let table: [UInt8: (Kind, String)] = [
        0x90: (.success, "operation succeeded (操作成功)"),
        0x9F: (.success, "card found (寻找居民身份证成功)"),
        0x91: (.cardError, "the card holds no such item (居民身份证中此项无内容)"),
        0x10: (.transmission, "the SAM received a frame with a bad checksum (接收业务终端数据的校验和错)"),
        0x11: (.transmission, "the SAM received a frame with a bad length (接收业务终端数据的长度错)"),
        0x21: (.transmission, "the SAM received an unknown command (接收业务终端的命令错误)"),
        0x23: (.samFault, "operation not permitted (越权操作)"),
        0x24: (.samFault, "unrecognised error (无法识别的错误)"),
        0x31: (.cardError, "the card failed to authenticate the SAM (居民身份证认证SAM失败)"),
        0x32: (.cardError, "the SAM failed to authenticate the card (SAM认证居民身份证失败)"),
        0x33: (.cardError, "card information failed verification (信息验证错误)"),
        0x37: (.cardError, "fingerprint information failed verification (指纹信息验证错误)"),
        0x3F: (.cardError, "card information has a bad length (信息长度错误)"),
        0x40: (.cardError, "unrecognised card type (无法识别的卡类型)"),
        0x41: (.cardError, "reading the card failed (读居民身份证操作失败)"),
        0x47: (.cardError, "getting a random number failed (取随机数失败)"),
        0x60: (.samFault, "SAM self-test failed (SAM自检失败)"),
        0x66: (.samFault, "SAM not authorised (SAM未经授权)"),
        0x80: (.noCard, "no card found (寻找居民身份证失败)"),
        0x81: (.cardError, "selecting the card failed (选取居民身份证失败)"),
    ]

    /// `00 00 90`.
    public static let ok = SAMStatus(sw3: 0x90)
    /// `00 00 9F`.
    public static let cardFound = SAMStatus(sw3: 0x9F)
    /// `00 00 80`.
    public static let noCard = SAMStatus(sw3: 0x80)

    public var kind: Kind {
        guard sw1 == 0, sw2 == 0 else { return .unknown }
        return Self.table[sw3]?.0 ?? .unknown
    }

    public var isSuccess: Bool { kind == .success }

    /// "no card found (寻找居民身份证失败) [0x80]", or "unknown status 0x42" for codes not in
    /// the table.
    public var description: String {
        guard sw1 == 0, sw2 == 0 else {
            return "unknown status \(Self.hex(sw1)) \(Self.hex(sw2)) \(Self.hex(sw3))"
        }
        guard let (_, text) = Self.table[sw3] else { return "unknown status \(Self.hex(sw3))" }
        return "\(text) [\(Self.hex(sw3))]"
    }

    static func hex(_ b: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return "0x" + String(digits[Int(b >> 4)]) + String(digits[Int(b & 0x0F)])
    }
}
