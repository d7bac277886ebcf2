/// A command to the SAM module (SAM命令): CMD, PARA and optional data.
public struct SAMCommand: Sendable, Equatable, CustomStringConvertible {
    public var cmd: UInt8
    public var para: UInt8
    public var data: [UInt8]

    public init(cmd: UInt8, para: UInt8, data: [UInt8] = []) {
        self.cmd = cmd
        self.para = para
        self.data = data
    }

    /// 复位SAM (`10 FF`).
    public static let reset = SAMCommand(cmd: 0x10, para: 0xFF)
    /// SAM状态检测 (`11 FF`).
    public static let samStatus = SAMCommand(cmd: 0x11, para: 0xFF)
    /// 读SAM管理信息 / SAM编号 (`12 FF`).
    public static let samID = SAMCommand(cmd: 0x12, para: 0xFF)
    /// 寻找居民身份证 (`20 01`): answers `9F` when a new card is in the field, `80` otherwise.
    public static let findCard = SAMCommand(cmd: 0x20, para: 0x01)
    /// 选取居民身份证 (`20 02`).
    public static let selectCard = SAMCommand(cmd: 0x20, para: 0x02)
    /// 读机读文字信息和相片信息 (`30 01`): 256 bytes of text and 1,024 bytes of WLT photo.
    public static let readBaseInfo = SAMCommand(cmd: 0x30, para: 0x01)

    /// The complete frame to write.
    public var frame: [UInt8] { SAMFrame.wrap([cmd, para] + data) }

    public var description: String {
        switch (cmd, para) {
        case (0x10, 0xFF): "reset SAM"
        case (0x11, 0xFF): "SAM status"
        case (0x12, 0xFF): "SAM ID"
        case (0x20, 0x01): "find card"
        case (0x20, 0x02): "select card"
        case (0x30, 0x01): "read base info"
        default: "command " + SAMStatus.hex(cmd) + " " + SAMStatus.hex(para)
        }
    }
}
