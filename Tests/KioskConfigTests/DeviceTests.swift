import Testing

import KioskConfig
import KioskCore

/// `[[devices]]`: transports and their addresses, and devices that would share one.
@Suite struct DeviceTests {
    @Test func devicesOfEveryTransportAreRead() throws {
        let config = try Fixture.parse(
            Fixture.minimal + """
                [[devices]]
                id = "idreader0"
                kind = "idcard-reader"
                transport = "serial"
                path = "/dev/ttyUSB0"
                baud = 115200

                [[devices]]
                id = "printer0"
                kind = "receipt-printer"
                transport = "usb"
                match = "usb:0416:5011:SN0001"
                paper_width_dots = 576

                [[devices]]
                id = "lobbyprinter"
                kind = "receipt-printer"
                transport = "tcp"
                host = "192.168.10.21"

                [[devices]]
                id = "certprinter0"
                kind = "certificate-printer"
                transport = "cups"
                queue = "Certs"

                [[devices]]
                id = "led0"
                kind = "window-display"
                transport = "serial"
                path = "/dev/ttyUSB1"
                profile = "led-a5"
                address = 3
                window = "W1"

                [[windows]]
                id = "W1"
                name = "1号窗口"
                serves = ["A"]
                """)
        #expect(
            config.devices == [
                DeviceConfig(id: "idreader0", kind: .idcardReader, transport: .serial, path: "/dev/ttyUSB0", baud: 115200),
                DeviceConfig(
                    id: "printer0", kind: .receiptPrinter, transport: .usb, match: "usb:0416:5011:SN0001",
                    paperWidthDots: 576),
                DeviceConfig(id: "lobbyprinter", kind: .receiptPrinter, transport: .tcp, host: "192.168.10.21", port: 9100),
                DeviceConfig(id: "certprinter0", kind: .certificatePrinter, transport: .cups, queue: "Certs"),
                {
                    var led = DeviceConfig(id: "led0", kind: .windowDisplay, transport: .serial, path: "/dev/ttyUSB1", baud: 9600)
                    led.profile = "led-a5"
                    led.address = 3
                    led.window = "W1"
                    return led
                }(),
            ])
    }

    @Test func duplicateDevicePathIsRefused() {
        let error = Fixture.refusal(
            Fixture.minimal + """
                [[devices]]
                id = "idreader0"
                kind = "idcard-reader"
                transport = "serial"
                path = "/dev/ttyUSB0"

                [[devices]]
                id = "led0"
                kind = "receipt-printer"
                transport = "serial"
                path = "/dev/ttyUSB0"
                """)
        #expect(error?.line == 19)
        #expect(error?.key == "devices[1].path")
        #expect(error?.message == "/dev/ttyUSB0 is already used by devices[0] (idreader0)")
    }

    @Test func samePathSpelledDifferentlyIsStillTheSame() {
        let error = Fixture.refusal(
            Fixture.minimal + """
                [[devices]]
                id = "a"
                kind = "receipt-printer"
                transport = "file"
                path = "out/led"

                [[devices]]
                id = "b"
                kind = "receipt-printer"
                transport = "file"
                path = "/etc/kioskd/out/./led"
                """)
        #expect(error?.line == 19)
        #expect(error?.key == "devices[1].path")
    }

    @Test func duplicateUSBMatchIsRefusedWhateverTheHexCase() {
        let error = Fixture.refusal(
            Fixture.minimal + """
                [[devices]]
                id = "printer0"
                kind = "receipt-printer"
                transport = "usb"
                match = "usb:04b8:0e28"

                [[devices]]
                id = "printer1"
                kind = "receipt-printer"
                transport = "usb"
                match = "usb:04B8:0E28"
                """)
        #expect(error?.line == 19)
        #expect(error?.key == "devices[1].match")
        #expect(error?.message == "usb:04B8:0E28 is already used by devices[0] (printer0)")
    }

    @Test func duplicateDeviceIdIsRefused() {
        let error = Fixture.refusal(
            Fixture.minimal + """
                [[devices]]
                id = "printer0"
                kind = "receipt-printer"
                transport = "simulated"

                [[devices]]
                id = "printer0"
                kind = "certificate-printer"
                transport = "simulated"
                """)
        #expect(error?.line == 15)
        #expect(error?.key == "devices[1].id")
    }

    @Test(arguments: [
        ("serial", "path"), ("file", "path"), ("usb", "match"), ("tcp", "host"), ("cups", "queue"),
    ])
    func transportWithoutItsAddressIsRefusedAtTheHeader(transport: String, key: String) {
        let error = Fixture.refusal(
            Fixture.minimal + """
                [[devices]]
                id = "dev0"
                kind = "receipt-printer"
                transport = "\(transport)"
                """)
        #expect(error?.line == 9)
        #expect(error?.key == "devices[0].\(key)")
        #expect(error?.message.contains("is required for transport = \"\(transport)\"") == true)
    }

    @Test func usbMayBeAddressedByPath() throws {
        let config = try Fixture.parse(
            Fixture.minimal + """
                [[devices]]
                id = "printer0"
                kind = "receipt-printer"
                transport = "usb"
                path = "/dev/usb/lp0"
                """)
        #expect(config.devices[0].path == "/dev/usb/lp0")
    }

    @Test(arguments: ["0416:5011", "usb:416:5011", "usb:0416:50g1", "usb:0416:5011:", "usb:0416"])
    func malformedUSBMatchIsRefused(match: String) {
        let error = Fixture.refusal(
            Fixture.minimal + """
                [[devices]]
                id = "printer0"
                kind = "receipt-printer"
                transport = "usb"
                match = "\(match)"
                """)
        #expect(error?.line == 13)
        #expect(error?.key == "devices[0].match")
    }

    @Test func unknownKindListsTheKinds() {
        let error = Fixture.refusal(
            Fixture.minimal + """
                [[devices]]
                id = "scanner0"
                kind = "scanner"
                transport = "simulated"
                """)
        #expect(error?.line == 11)
        #expect(error?.key == "devices[0].kind")
        #expect(
            error?.message
                == "must be one of \"idcard-reader\", \"receipt-printer\", \"certificate-printer\", \"window-display\", \"caller-keypad\", \"voice\", \"evaluator\", not \"scanner\""
        )
    }

    @Test func portOutOfRangeIsRefused() {
        let error = Fixture.refusal(
            Fixture.minimal + """
                [[devices]]
                id = "lobbyprinter"
                kind = "receipt-printer"
                transport = "tcp"
                host = "printer.local"
                port = 91000
                """)
        #expect(error?.line == 14)
        #expect(error?.key == "devices[0].port")
    }
}
