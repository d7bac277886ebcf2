/// The framing of the SAM protocol (安全模块通信协议) spoken by every second-generation ID card
/// reader (二代证阅读器), in both directions.
///
/// Request  (业务终端 → SAM): `AA AA AA 96 69 | LEN1 LEN2 | CMD PARA [data] | CHK_SUM`
/// Response (SAM → 业务终端): `AA AA AA 96 69 | LEN1 LEN2 | SW1 SW2 SW3 [data] | CHK_SUM`
///
/// `LEN` is big-endian and counts everything after itself, checksum included; `CHK_SUM` is the
/// XOR of every byte between the preamble and itself (LEN included). Verified against public
/// reader code: HslCommunication `Profinet/IDCard/SAMSerial.cs` (`PackToSAMCommand`,
/// `CheckADSCommandAndSum`: LEN = total − 7, XOR from index 5 to the byte before the checksum)
/// and the well-known fixed commands found in several reader sources (e.g. `AA AA AA 96 69 00 03
/// 20 01 22` find card, `… 00 03 11 FF ED` SAM status, `… 00 03 30 01 32` read base info).
public enum SAMFrame {
    /// `AA AA AA 96 69`: the frame preamble (帧头).
    public static let preamble: [UInt8] = [0xAA, 0xAA, 0xAA, 0x96, 0x69]
    /// Preamble and the two length bytes.
    public static let headerLength = 7

    /// XOR of `bytes`: the frame checksum over LEN…data.
    public static func checksum<C: Collection>(_ bytes: C) -> UInt8 where C.Element == UInt8 {
        bytes.reduce(0, ^)
    }

    /// Wraps `body` (CMD PARA data, or SW1 SW2 SW3 data) into a complete frame.
    static func wrap(_ body: [UInt8]) -> [UInt8] {
        let length = body.count + 1
        precondition(length <= 0xFFFF, "a SAM frame holds at most 65534 bytes")
        var frame = preamble
        frame.reserveCapacity(headerLength + length)
        frame.append(UInt8(length >> 8))
        frame.append(UInt8(length & 0xFF))
        frame.append(contentsOf: body)
        frame.append(checksum(frame[5...]))
        return frame
    }
}
