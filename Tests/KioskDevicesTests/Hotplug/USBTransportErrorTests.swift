import CLibUSB
import Testing

@testable import KioskDevices

extension HotplugTests {
    /// libusb's error codes become the `TransportError` a technician can act on. (umockdev cannot
    /// unplug a device under an open handle — its ioctl socket closes and the client aborts — so
    /// the NO_DEVICE path is checked here rather than end to end.)
    @Suite struct USBTransportErrorTests {
        @Test(arguments: [
            (LIBUSB_ERROR_NO_DEVICE, TransportError.disconnected("write usb:0416:5011: LIBUSB_ERROR_NO_DEVICE")),
            (LIBUSB_ERROR_NOT_FOUND, .notFound("write usb:0416:5011: LIBUSB_ERROR_NOT_FOUND")),
            (LIBUSB_ERROR_ACCESS, .permissionDenied("write usb:0416:5011: LIBUSB_ERROR_ACCESS")),
            (LIBUSB_ERROR_BUSY, .busy("write usb:0416:5011: LIBUSB_ERROR_BUSY")),
            (LIBUSB_ERROR_TIMEOUT, .timeout("write usb:0416:5011: LIBUSB_ERROR_TIMEOUT")),
            (LIBUSB_ERROR_PIPE, .io("stall")),
            (LIBUSB_ERROR_IO, .io("write usb:0416:5011: LIBUSB_ERROR_IO")),
        ])
        func mapsLibusbErrors(_ code: libusb_error, _ expected: TransportError) {
            #expect(USBTransport.error(code.rawValue, "write usb:0416:5011") == expected)
        }

        @Test func openingAnAbsentDeviceIsNotFound() {
            // Outside umockdev this sees the real bus (usually none of our printers in CI).
            #expect {
                try USBTransport(match: USBMatch("usb:0416:5011:NO-SUCH-SERIAL-\(UInt32.random(in: 0...UInt32.max))")!)
            } throws: { error in
                switch error as? TransportError {
                case .notFound: return true
                case .io: return true  // no usbfs in a container: libusb_init fails
                case .permissionDenied, .busy: return true  // a real 0416:5011 we may not open
                default: return false
                }
            }
        }
    }
}
