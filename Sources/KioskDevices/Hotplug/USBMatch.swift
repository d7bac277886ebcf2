/// A parsed `match = "usb:VVVV:PPPP[:SERIAL]"` from a `[[devices]]` entry.
///
/// The config loader validates the syntax already; this is the one place that turns the string
/// into comparable parts (IDs lower-cased, since `lsusb` prints lower case and people type both).
public struct USBMatch: Sendable, Equatable, Hashable, CustomStringConvertible {
    public var vendorID: String
    public var productID: String
    public var serial: String?

    public init(vendorID: String, productID: String, serial: String? = nil) {
        self.vendorID = vendorID.lowercased()
        self.productID = productID.lowercased()
        self.serial = serial
    }

    /// Parses "usb:0416:5011" or "usb:0416:5011:SN0001" (the serial may itself contain ':').
    /// Nil for anything else.
    public init?(_ text: String) {
        let parts = text.split(separator: ":", maxSplits: 3, omittingEmptySubsequences: false)
        guard parts.count >= 3, parts[0] == "usb",
            let vid = Self.hex4(parts[1]), let pid = Self.hex4(parts[2])
        else { return nil }
        var serial: String?
        if parts.count == 4 {
            guard !parts[3].isEmpty else { return nil }
            serial = String(parts[3])
        }
        self.init(vendorID: vid, productID: pid, serial: serial)
    }

    /// The IDs as numbers, for libusb descriptors.
    public var vendor: UInt16 { UInt16(vendorID, radix: 16)! }
    public var product: UInt16 { UInt16(productID, radix: 16)! }

    /// Whether a device with these IDs and serial satisfies the match.
    public func matches(vendorID: String?, productID: String?, serial: String?) -> Bool {
        guard vendorID?.lowercased() == self.vendorID, productID?.lowercased() == self.productID else {
            return false
        }
        guard let wanted = self.serial else { return true }
        return serial == wanted
    }

    public var description: String {
        "usb:\(vendorID):\(productID)" + (serial.map { ":\($0)" } ?? "")
    }

    private static func hex4(_ s: Substring) -> String? {
        guard s.count == 4, s.allSatisfy(\.isHexDigit) else { return nil }
        return s.lowercased()
    }
}
