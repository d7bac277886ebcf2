import Testing

@testable import KioskDevices

/// CRC-16/MODBUS as the `led-a5` displays compute it.
@Suite struct RS485CRCTests {
    @Test func checkValueOfTheCatalogue() {
        // The CRC catalogue's check value for CRC-16/MODBUS.
        #expect(CRC16Modbus.checksum(Array("123456789".utf8)) == 0x4B37)
        #expect(RS485Reference.crc16Modbus(Array("123456789".utf8)) == 0x4B37)
    }

    @Test func emptyInputIsTheInitialValue() {
        #expect(CRC16Modbus.checksum([UInt8]()) == 0xFFFF)
    }

    @Test func agreesWithTheBitByBitReferenceOnEveryByteValue() {
        for value in 0...255 {
            let bytes: [UInt8] = [UInt8(value), 0x15, UInt8(255 - value)]
            #expect(CRC16Modbus.checksum(bytes) == RS485Reference.crc16Modbus(bytes))
        }
    }

    @Test func continuesOverPieces() {
        let all = Array("九龙坡 A001".utf8)
        let first = CRC16Modbus.checksum(all.prefix(5))
        #expect(CRC16Modbus.update(first, with: all.dropFirst(5)) == RS485Reference.crc16Modbus(all))
    }

    @Test func goesOnTheWireLowByteFirst() {
        #expect(CRC16Modbus.wireBytes(0x4B37) == [0x37, 0x4B])
    }
}
