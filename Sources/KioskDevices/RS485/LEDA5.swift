/// The `led-a5` protocol of RS-485 LED window displays (窗口屏): the host sends a command that
/// shows a line of GB 2312 text; the display answers with a status reply.
///
/// Frames are delimited by `A5` … `5A` and byte-stuffed in between (see `escape`), so a reader
/// can find frame boundaries without knowing lengths. This namespace holds the constants; the
/// command, the reply, the escaping and the errors each live in their own file.
public enum LEDA5 {
    /// First byte of every frame.
    public static let startByte: UInt8 = 0xA5
    /// Last byte of every frame.
    public static let endByte: UInt8 = 0x5A
    /// Function code of the host's "show text" command.
    public static let commandCode: UInt8 = 0x15
    /// Function code of the display's reply.
    public static let replyCode: UInt8 = 0x95
    /// Address every display on the line obeys (none of them replies to it).
    public static let broadcastAddress: UInt16 = 0x0000
    /// Reply status meaning "done".
    public static let statusOK: UInt8 = 0x00

    /// How the text is shown. Commands carry the raw byte, so a profile can use modes a model
    /// adds beyond these two.
    public enum Mode: UInt8, Sendable, CaseIterable {
        case steady = 0x00
        case blinking = 0x01
    }

    /// Text colour of two- and three-colour panels. Commands carry the raw byte, so a profile
    /// can use colours a model adds beyond these three.
    public enum Colour: UInt8, Sendable, CaseIterable {
        case red = 0x01
        case green = 0x02
        case yellow = 0x03
    }
}
