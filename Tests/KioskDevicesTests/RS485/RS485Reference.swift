/// Independent references for the RS-485 specification tests: the textbook bit-by-bit
/// CRC-16/MODBUS and the plain byte sum, written from the protocol sheets and deliberately
/// sharing no code with the codecs under test, so a wrong table or a wrong fold in the codecs
/// cannot make its own expectations.
enum RS485Reference {
    /// CRC-16/MODBUS one bit at a time: poly 0xA001 reflected, init 0xFFFF, no final XOR.
    static func crc16Modbus(_ bytes: [UInt8]) -> UInt16 {
        var crc: UInt16 = 0xFFFF
        for byte in bytes {
            crc ^= UInt16(byte)
            for _ in 0..<8 {
                if crc & 0x0001 == 1 {
                    crc = (crc >> 1) ^ 0xA001
                } else {
                    crc = crc >> 1
                }
            }
        }
        return crc
    }

    /// Sum of the bytes modulo 256, the keypad frames' CS.
    static func sum(_ bytes: [UInt8]) -> UInt8 {
        UInt8(bytes.reduce(0) { ($0 + Int($1)) % 256 })
    }
}
