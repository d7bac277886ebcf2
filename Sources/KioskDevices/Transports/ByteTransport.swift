/// A byte pipe to a device — a serial port, USB bulk endpoints, a character device, a TCP socket,
/// or a pty in tests — so that protocol drivers (SAM for ID card readers, ESC/POS for printers)
/// never know how the bytes travel.
///
/// Blocking by design: drivers run each device's I/O on a thread of its own
/// (`DeviceIOQueue`), never on the Swift concurrency pool.
public protocol ByteTransport: AnyObject, Sendable {
    /// Where it is, for people: "/dev/ttyUSB0 @115200", "usb:0416:5011", "tcp://10.0.0.5:9100".
    var endpoint: String { get }
    /// Writes every byte, or throws. A device that takes no byte within `timeout` is `.timeout`.
    func write(_ bytes: [UInt8], timeout: Duration) throws(TransportError)
    /// Reads what has arrived, up to `max` bytes, waiting at most `timeout` for the first byte;
    /// returns an empty array when nothing came in time. A vanished device throws `.disconnected`.
    func read(max: Int, timeout: Duration) throws(TransportError) -> [UInt8]
    /// Drops bytes received but not yet read (stale answers after a timeout).
    func discardInput()
    func close()
}

/// Why a transport failed, precise enough for a technician: the health reason says it.
public enum TransportError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The path or device does not exist (unplugged, wrong config).
    case notFound(String)
    /// The daemon's user may not open it (udev rules, group membership).
    case permissionDenied(String)
    /// Another process holds it (exclusive open refused).
    case busy(String)
    /// It went away while open (unplugged, tty hung up, connection reset).
    case disconnected(String)
    /// Nothing moved within the time allowed.
    case timeout(String)
    /// Anything else the OS reported, with its message.
    case io(String)

    public var description: String {
        switch self {
        case .notFound(let m): "not found: \(m)"
        case .permissionDenied(let m): "permission denied: \(m)"
        case .busy(let m): "busy: \(m)"
        case .disconnected(let m): "disconnected: \(m)"
        case .timeout(let m): "timed out: \(m)"
        case .io(let m): "I/O error: \(m)"
        }
    }
}
