/// A frame the bus reader found on a shared RS-485 line, where window displays (窗口屏) answer
/// the host and caller keypads (呼叫器) / evaluators (评价器) report keys.
public enum BusFrame: Sendable, Equatable, Hashable {
    /// A window display's status reply.
    case ledReply(LEDA5.Reply)
    /// A keypad frame, with its exact bytes as received — its `FF` wake-up preamble (up to 4),
    /// then `68` through `16`: what the host echoes back unchanged as the acknowledgement.
    case keypad(Keypad68.Frame, raw: [UInt8])

    /// The bytes the host must send back for this frame; nil for display replies, which are
    /// not acknowledged.
    public var acknowledgement: [UInt8]? {
        if case .keypad(_, let raw) = self { return raw }
        return nil
    }
}
