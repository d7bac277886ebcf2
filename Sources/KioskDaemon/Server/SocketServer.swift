import Foundation
import KioskCore
import KioskProtocol
import KioskStore
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import Synchronization

/// The Unix-socket server: accepts connections, maps each peer to a role (SO_PEERCRED), and
/// runs one `Connection` per client. On graceful shutdown it stops accepting, answers new
/// requests with `shutting_down`, lets in-flight ones finish, then closes every connection.
final class SocketServer: Service, Sendable {
    enum Listen: Sendable {
        case path(String, group: String?)
        /// A socket passed by systemd (socket activation).
        case inherited(CInt)
    }

    let listen: Listen
    let dispatcher: Dispatcher
    let bus: EventBus
    let store: any Store
    let logger: Logger
    let onReady: @Sendable () -> Void
    private let eventLoops: MultiThreadedEventLoopGroup
    private let state = Mutex(State())

    struct State {
        var draining = false
        var inFlight = 0
        var nextSession: UInt64 = 1
        var connections: [UInt64: any Channel] = [:]
        var server: (any Channel)?
    }

    init(listen: Listen, dispatcher: Dispatcher, bus: EventBus, store: any Store, group: MultiThreadedEventLoopGroup,
        logger: Logger, onReady: @escaping @Sendable () -> Void) {
        self.listen = listen
        self.dispatcher = dispatcher
        self.bus = bus
        self.store = store
        self.eventLoops = group
        self.logger = logger
        self.onReady = onReady
    }

    var isDraining: Bool { state.withLock { $0.draining } }
    var connectionCount: Int { state.withLock { $0.connections.count } }
    func requestStarted() { state.withLock { $0.inFlight += 1 } }
    func requestFinished() { state.withLock { $0.inFlight -= 1 } }

    func run() async throws {
        let bootstrap = ServerBootstrap(group: eventLoops)
            .serverChannelOption(.backlog, value: 256)
            .childChannelOption(.maxMessagesPerRead, value: 16)
            // A client that sends its requests and then shuts down its side (`nc -N`, scripts)
            // still gets every answer: the connection closes after they are written.
            .childChannelOption(.allowRemoteHalfClosure, value: true)
        let initializer: @Sendable (any Channel) -> EventLoopFuture<(NIOAsyncChannel<InboundFrame, ByteBuffer>, PeerCredentials?)> = { channel in
            Self.peerCredentials(of: channel).flatMapThrowing { peer in
                try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(LineFrameDecoder()))
                return (try NIOAsyncChannel(wrappingChannelSynchronously: channel), peer)
            }
        }
        let server: NIOAsyncChannel<(NIOAsyncChannel<InboundFrame, ByteBuffer>, PeerCredentials?), Never>
        switch listen {
        case .path(let path, let groupName):
            try Self.refuseIfServing(path)
            let old = umask(0o117)  // the socket is born 0660, never briefly world-accessible
            defer { umask(old) }
            server = try await bootstrap.bind(unixDomainSocketPath: path, cleanupExistingSocketFile: true, childChannelInitializer: initializer)
            if let groupName { try Self.chgrp(path, groupName) }
        case .inherited(let fd):
            server = try await bootstrap.bind(fd, childChannelInitializer: initializer)
        }
        state.withLock { $0.server = server.channel }
        logger.info("listening on \(describeListen())")
        onReady()

        try await withGracefulShutdownHandler {
            try await withThrowingDiscardingTaskGroup { tasks in
                try await server.executeThenClose { inbound in
                    for try await (channel, peer) in inbound {
                        tasks.addTask { await self.serve(channel, peer: peer) }
                    }
                }
            }
        } onGracefulShutdown: {
            self.drain()
        }
        logger.info("socket server stopped")
    }

    private func serve(_ channel: NIOAsyncChannel<InboundFrame, ByteBuffer>, peer: PeerCredentials?) async {
        let access = dispatcher.hall.config.access
        let role = peer.flatMap { AccessPolicy.role(for: $0, access: access) }
        let id: UInt64? = state.withLock { s in
            guard !s.draining else { return nil }
            let id = s.nextSession
            s.nextSession += 1
            s.connections[id] = channel.channel
            return id
        }
        guard let id else {
            try? await channel.channel.close()
            return
        }
        defer { _ = state.withLock { $0.connections.removeValue(forKey: id) } }
        logger.debug("connection \(id) from uid \(peer?.uid ?? 0) pid \(peer?.pid ?? 0): role \(role?.rawValue ?? "none")")
        await Connection(channel: channel, session: Session(id: id, peer: peer, role: role), server: self).run()
    }

    /// Stop accepting; close connections once in-flight requests have answered (at most 5 s).
    private func drain() {
        let server = state.withLock { s -> (any Channel)? in
            s.draining = true
            return s.server
        }
        logger.info("shutting down: no new requests, finishing in-flight ones")
        server?.close(promise: nil)
        Task {
            let deadline = ContinuousClock.now + .seconds(5)
            while state.withLock({ $0.inFlight > 0 }) && ContinuousClock.now < deadline {
                try? await Task.sleep(for: .milliseconds(5))
            }
            // Let the last answers reach their queues' writers before closing.
            try? await Task.sleep(for: .milliseconds(50))
            for channel in state.withLock({ Array($0.connections.values) }) { channel.close(promise: nil) }
        }
    }

    private func describeListen() -> String {
        switch listen {
        case .path(let p, _): p
        case .inherited(let fd): "inherited socket fd \(fd)"
        }
    }

    static func peerCredentials(of channel: any Channel) -> EventLoopFuture<PeerCredentials?> {
        guard let provider = channel as? any SocketOptionProvider else { return channel.eventLoop.makeSucceededFuture(nil) }
        return provider.unsafeGetSocketOption(level: SocketOptionLevel(SOL_SOCKET), name: SocketOptionName(SO_PEERCRED))
                .map { (cred: UCred) in PeerCredentials(pid: cred.pid, uid: cred.uid, gid: cred.gid) }
            .recover { _ in nil }
    }

    /// `struct ucred` of <sys/socket.h>, which Glibc hides behind _GNU_SOURCE: same layout.
    struct UCred: Sendable {
        var pid: Int32 = 0
        var uid: UInt32 = 0
        var gid: UInt32 = 0
    }

    /// A live daemon on the same path must not be displaced by a second one.
    static func refuseIfServing(_ path: String) throws {
        var st = stat()
        guard stat(path, &st) == 0 else { return }
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return }
        defer { close(fd) }
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &addr.sun_path) { raw in
            let bytes = Array(path.utf8.prefix(raw.count - 1))
            raw.copyBytes(from: bytes + [0])
        }
        let ok = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        if ok == 0 { throw KioskError(.conflict, "another kioskd is already serving \(path)") }
    }

    static func chgrp(_ path: String, _ name: String) throws {
        var grp = group(), result: UnsafeMutablePointer<group>?
        var buf = [CChar](repeating: 0, count: 4096)
        getgrnam_r(name, &grp, &buf, buf.count, &result)
        guard result != nil else { throw KioskError(.notFound, "socket group \(name) does not exist") }
        guard chown(path, uid_t.max, grp.gr_gid) == 0 else {
            throw KioskError(.forbidden, "cannot give \(path) to group \(name): \(String(cString: strerror(errno)))")
        }
    }
}
