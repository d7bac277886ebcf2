import Testing

@testable import KioskDevices

extension HotplugTests {
    @Suite struct USBMatchTests {
        @Test func parsesIDsAndSerial() {
            #expect(USBMatch("usb:0416:5011") == USBMatch(vendorID: "0416", productID: "5011"))
            #expect(USBMatch("usb:04B8:0E28")?.description == "usb:04b8:0e28")
            #expect(USBMatch("usb:0416:5011:SN:01")?.serial == "SN:01")
            #expect(USBMatch("usb:0416:5011")?.vendor == 0x0416)
            #expect(USBMatch("usb:0416:5011")?.product == 0x5011)
        }

        @Test(arguments: ["0416:5011", "usb:416:5011", "usb:0416:50g1", "usb:0416:5011:", "usb:0416", "", "tty:0416:5011"])
        func rejects(_ text: String) {
            #expect(USBMatch(text) == nil)
        }

        @Test func matchesNodes() {
            let m = USBMatch("usb:0416:5011:A1")!
            #expect(m.matches(vendorID: "0416", productID: "5011", serial: "A1"))
            #expect(!m.matches(vendorID: "0416", productID: "5011", serial: "A2"))
            #expect(!m.matches(vendorID: nil, productID: "5011", serial: "A1"))
            #expect(USBMatch("usb:0416:5011")!.matches(vendorID: "0416", productID: "5011", serial: nil))
        }
    }
}
