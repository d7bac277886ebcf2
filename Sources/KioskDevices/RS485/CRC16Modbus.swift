/// CRC-16/MODBUS: reflected polynomial 0xA001 (0x8005 reversed), initial value 0xFFFF, no final
/// XOR. The check value for ASCII "123456789" is 0x4B37.
///
/// Why this CRC: the `led-a5` window displays (窗口屏) protect every frame with it, like most
/// RS-485 equipment of that generation, and send it low byte first. Table-driven because the
/// bus reader checks every reply it sees.
public enum CRC16Modbus {
    /// The register's starting value.
    public static let initial: UInt16 = 0xFFFF

    /// The CRC of `bytes`.
    public static func checksum(_ bytes: some Sequence<UInt8>) -> UInt16 {
        update(initial, with: bytes)
    }

    /// Continues a CRC over more bytes, for data that arrives in pieces:
    /// `update(checksum(a), with: b) == checksum(a + b)`.
    public static func update(_ crc: UInt16, with bytes: some Sequence<UInt8>) -> UInt16 {
        var crc = crc
        for byte in bytes {
            crc = (crc >> 8) ^ table[Int((crc ^ UInt16(byte)) & 0xFF)]
        }
        return crc
    }

    /// The CRC as it goes on the wire: low byte first.
    public static func wireBytes(_ crc: UInt16) -> [UInt8] {
        [UInt8(crc & 0xFF), UInt8(crc >> 8)]
    }

    /// One entry per byte value: that byte shifted through the register eight times.
    private static let table: [UInt16] = (0..<256).map { value in
        var crc = UInt16(value)
        for _ in 0..<8 {
            crc = crc & 1 != 0 ? (crc >> 1) ^ 0xA001 : crc >> 1
        }
        return crc
    }
}
