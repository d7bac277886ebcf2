import Foundation

/// A socket file as the file system knows it: which one is at a path, so the daemon can tell
/// its own socket from one that replaced it. The change time is part of it because a file
/// system reuses a deleted file's inode number at once: a stranger's new socket may get ours.
struct SocketFile: Sendable, Equatable {
    let device: UInt64
    let inode: UInt64
    let changed: timespec

    /// The socket at `path`, or nil when there is none (or the path is not a socket).
    init?(path: String) {
        var st = stat()
        guard lstat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFSOCK else { return nil }
        device = UInt64(st.st_dev)
        inode = UInt64(st.st_ino)
        changed = st.st_ctim
    }

    static func == (a: SocketFile, b: SocketFile) -> Bool {
        a.device == b.device && a.inode == b.inode && a.changed.tv_sec == b.changed.tv_sec && a.changed.tv_nsec == b.changed.tv_nsec
    }
}

extension SocketFile {
    /// A listening Unix socket bound at `path`, mode 0660 from birth, and the file it made there.
    /// With `removingStale`, a socket file already there (checked dead by the caller) is removed
    /// first; without it the bind fails (EADDRINUSE) if anything appeared at the path — so a
    /// daemon binding again after its file was deleted never unlinks a stranger's socket created
    /// in the meantime. `prepare` runs on the bound file before anyone can connect (the group);
    /// the file's identity is taken after it and before `listen`, so a file that replaces it the
    /// moment connections are accepted is never mistaken for this one.
    /// Bound here rather than by NIO: NIO removes the path when its listener closes, which would
    /// delete whatever socket is at the path by then — another daemon's, or the one this daemon
    /// bound again after its file was deleted.
    static func listen(at path: String, backlog: Int32, removingStale: Bool,
        prepare: (String) throws -> Void = { _ in }) throws -> (fd: CInt, file: SocketFile) {
        guard var addr = address(path) else { throw SocketError("socket path \(path) is too long", ENAMETOOLONG) }
        if removingStale, SocketFile(path: path) != nil { unlink(path) }
        let fd = makeSocket()
        guard fd >= 0 else { throw SocketError("cannot create a socket", errno) }
        let old = umask(0o117)  // the socket is born 0660, never briefly world-accessible
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        let bindErrno = errno
        umask(old)
        guard bound == 0 else {
            close(fd)
            throw SocketError("cannot bind \(path)", bindErrno)
        }
        let file: SocketFile
        do {
            try prepare(path)
            guard let made = SocketFile(path: path) else { throw SocketError("the socket file \(path) vanished as it was made", ENOENT) }
            file = made
        } catch {
            close(fd)
            unlink(path)
            throw error
        }
        guard Glibc.listen(fd, backlog) == 0 else {
            let e = errno
            close(fd)
            unlink(path)
            throw SocketError("cannot listen on \(path)", e)
        }
        return (fd, file)
    }
}

extension SocketFile {
    /// A non-blocking, close-on-exec Unix stream socket (-1 on failure, errno set).
    static func makeSocket() -> CInt {
        socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
    }

    /// `path` as a Unix socket address; nil when it does not fit `sun_path`.
    static func address(_ path: String) -> sockaddr_un? {
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: addr.sun_path) else { return nil }
        withUnsafeMutableBytes(of: &addr.sun_path) { $0.copyBytes(from: bytes + [0]) }
        return addr
    }
}

struct SocketError: Error, CustomStringConvertible {
    let description: String
    init(_ what: String, _ code: Int32) { description = "\(what): \(String(cString: strerror(code)))" }
}
