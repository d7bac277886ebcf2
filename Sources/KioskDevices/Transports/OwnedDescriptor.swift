import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The file descriptor a transport owns: used while open, closed exactly once (`close` is
/// idempotent and safe from any thread), and `.disconnected` for every use after that. Shared by
/// the serial, file and TCP transports.
final class OwnedDescriptor: Sendable {
    private let fd: Mutex<Int32>
    /// Names the endpoint in the error after closing ("/dev/ttyUSB0 @115200: closed").
    private let label: String

    init(_ fd: Int32, label: String) {
        self.fd = Mutex(fd)
        self.label = label
    }

    /// The open descriptor, or `.disconnected` once closed.
    func get() throws(TransportError) -> Int32 {
        let d = fd.withLock { $0 }
        guard d >= 0 else { throw .disconnected("\(label): closed") }
        return d
    }

    /// Takes the descriptor out and closes it, the first time only; `beforeClose` runs on it
    /// first (a serial port drops its lock).
    func close(beforeClose: (Int32) -> Void = { _ in }) {
        let d = fd.withLock { fd in
            let d = fd
            fd = -1
            return d
        }
        guard d >= 0 else { return }
        beforeClose(d)
        #if canImport(Glibc)
            _ = Glibc.close(d)
        #elseif canImport(Darwin)
            _ = Darwin.close(d)
        #endif
    }
}
