import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A printer (or any device) reached through a character device or file: the kernel's USB
/// printer-class node `/dev/usb/lp0`, a parallel port, a pty in tests, or a plain file to
/// capture a job.
///
/// Why non-blocking with `poll`: `usblp` blocks a `write` for as long as the printer refuses
/// data (paper out, cover open), which would hang the device's I/O thread; with `O_NONBLOCK`
/// every wait has a deadline (`DescriptorIO`). Why the O_WRONLY fallback: some printer nodes and
/// capture files are write-only for the daemon's user; printing still works, status is unknown
/// (`canRead` is false and `read` returns []).
public final class FileTransport: ByteTransport, TransportReadability {
    public let path: String
    public let endpoint: String
    /// False when the device could only be opened write-only, or is a regular file: there is no
    /// status channel, and `read` returns [] at once.
    public let canRead: Bool
    private let target: DescriptorIO.Target
    private let fd: OwnedDescriptor

    /// Opens `path` read-write (write-only when that is all it allows), non-blocking, without
    /// making it the controlling terminal.
    ///
    /// Errors: ENOENT → `notFound` (unplugged, wrong path), EACCES/EPERM → `permissionDenied`
    /// (udev rules, group), EBUSY → `busy`, ENODEV/ENXIO/EIO → `disconnected` (node left behind
    /// by a printer that is gone).
    public init(path: String) throws(TransportError) {
        self.path = path
        endpoint = path
        var descriptor = open(path, O_RDWR | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)
        var readable = true
        if descriptor < 0, [EACCES, EPERM, EROFS, EINVAL, EISDIR].contains(errno) {
            let first = errno
            descriptor = open(path, O_WRONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)
            readable = false
            if descriptor < 0, errno == EACCES || errno == EPERM { errno = first }
        }
        guard descriptor >= 0 else { throw Self.openError(errno, path) }
        var info = stat()
        let isRegular = fstat(descriptor, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
        // A regular file (a capture of the job) never answers: no status channel either.
        canRead = readable && !isRegular
        target = DescriptorIO.Target(endpoint: path, isSocket: false)
        fd = OwnedDescriptor(descriptor, label: path)
    }

    deinit { close() }

    public func write(_ bytes: [UInt8], timeout: Duration) throws(TransportError) {
        try DescriptorIO.writeAll(try descriptor(), bytes, timeout: timeout, target)
    }

    /// Returns [] at once when there is no status channel (`canRead` is false).
    public func read(max: Int, timeout: Duration) throws(TransportError) -> [UInt8] {
        let d = try descriptor()
        guard canRead else { return [] }
        return try DescriptorIO.readSome(d, max: max, timeout: timeout, target)
    }

    public func discardInput() {
        guard canRead, let d = try? descriptor() else { return }
        DescriptorIO.drain(d)
    }

    /// Closes the descriptor; later calls throw `disconnected`. Idempotent.
    public func close() { fd.close() }

    private func descriptor() throws(TransportError) -> Int32 { try fd.get() }

    static func openError(_ code: Int32, _ path: String) -> TransportError {
        let text = "\(path): \(DescriptorIO.message(code))"
        switch code {
        case ENOENT, ENOTDIR: return .notFound(text)
        case EACCES, EPERM, EROFS: return .permissionDenied(text)
        case EBUSY: return .busy(text)
        case ENODEV, ENXIO, EIO: return .disconnected(text)
        default: return .io(text)
        }
    }
}

