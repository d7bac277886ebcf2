/// Whether a transport can carry bytes back from the device at all.
///
/// Why a separate protocol: `ByteTransport` assumes two-way pipes, but a printer node that only
/// opens write-only cannot answer `DLE EOT`; a driver asks this before expecting status bytes
/// and reports the status as unknown instead of counting missed answers as a fault.
public protocol TransportReadability {
    /// False when reads can never return bytes (write-only device node).
    var canRead: Bool { get }
}
