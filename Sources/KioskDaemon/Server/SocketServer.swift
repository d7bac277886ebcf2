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
/// runs one `Connection` per client. It bounds what clients can take — connections
/// (`ConnectionLimits`, with a reserve for admins), unfinished lines (`PartialLineGuard`), a slow
/// subscriber's queue — and gives memory back after a flood. It keeps its socket file: one deleted
/// or replaced while running is bound again; at shutdown only its own file is removed. On graceful
/// shutdown it stops accepting, answers new requests with `shutting_down`, lets in-flight ones
/// finish, then closes every connection.
final class SocketServer: Service, Sendable {
    enum Listen: Sendable {
        case path(String, group: String?)
        /// A socket passed by systemd (socket activation).
        case inherited(CInt)
    }

    typealias Accepted = (NIOAsyncChannel<InboundFrame, ByteBuffer>, PeerCredentials?)?
    typealias Listener = NIOAsyncChannel<Accepted, Never>

    let listen: Listen
    let dispatcher: Dispatcher
    let bus: EventBus
    let store: any Store
    let logger: Logger
    let onReady: @Sendable () -> Void
    let limits: ConnectionLimits
    private let eventLoops: MultiThreadedEventLoopGroup
    private let state = Mutex(State())
    /// Connections admitted and not yet closed (counted on the event loops, before any task runs).
    private let admitted = Atomic<Int>(0)
    private let lineBudget: LineBudget
    private let throttle = LogThrottle()
    /// Set when a flood ended (connections refused or cut off): memory is given back soon.
    private let trimWanted = Atomic<Bool>(false)
    /// How often the socket file is checked (well within systemd's watchdog period).
    static let socketCheckInterval: Duration = .seconds(2)

    struct State {
        var draining = false
        var inFlight = 0
        var nextSession: UInt64 = 1
        var connections: [UInt64: any Channel] = [:]
        var listeners: [any Channel] = []
        var retired: Set<ObjectIdentifier> = []
        /// The socket file this daemon bound (device, inode), to tell it from a stranger's.
        var boundFile: SocketFile?
    }

    init(listen: Listen, dispatcher: Dispatcher, bus: EventBus, store: any Store, group: MultiThreadedEventLoopGroup,
        logger: Logger, openFiles: Int = ConnectionLimits.openFileLimit(), onReady: @escaping @Sendable () -> Void) {
        self.listen = listen
        self.dispatcher = dispatcher
        self.bus = bus
        self.store = store
        self.eventLoops = group
        self.logger = logger
        self.onReady = onReady
        let daemon = dispatcher.hall.config.daemon
        self.limits = ConnectionLimits.resolve(configured: daemon.maxConnections, openFiles: openFiles)
        self.lineBudget = LineBudget(limit: daemon.lineMemoryMiB * 1_048_576)
    }

    var isDraining: Bool { state.withLock { $0.draining } }
    var connectionCount: Int { state.withLock { $0.connections.count } }
    func requestStarted() { state.withLock { $0.inFlight += 1 } }
    func requestFinished() { state.withLock { $0.inFlight -= 1 } }

    /// A subscriber was cut off for being too slow (called by the bus, never under its lock).
    func slowSubscriberCut() {
        trimWanted.store(true, ordering: .relaxed)
        throttle.note("slow") { more in
            logger.warning("cut off a subscriber too slow to read its events\(more)")
        }
    }

    func run() async throws {
        if let warning = limits.warning { logger.warning("\(warning)") }
        let first = try await bind(removingStale: true)
        logger.info("listening on \(describeListen()), serving up to \(limits.max) connections")
        onReady()

        try await withGracefulShutdownHandler {
            try await withThrowingDiscardingTaskGroup { tasks in
                tasks.addTask { try await self.serve(listener: first) }
                tasks.addTask { await self.keepSocket() }
            }
        } onGracefulShutdown: {
            self.drain()
        }
        removeOwnSocketFile()
        logger.info("socket server stopped")
    }

    // MARK: accepting

    /// Binds the listening socket; `removingStale` as in `SocketFile.listen`.
    private func bind(removingStale: Bool) async throws -> Listener {
        let bootstrap = ServerBootstrap(group: eventLoops)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelInitializer { [logger, throttle] channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(AcceptErrorLogger(logger: logger, throttle: throttle))
                }
            }
            .childChannelOption(.maxMessagesPerRead, value: 16)
            // A client that sends its requests and then shuts down its side (`nc -N`, scripts)
            // still gets every answer: the connection closes after they are written.
            .childChannelOption(.allowRemoteHalfClosure, value: true)
        let initializer: @Sendable (any Channel) -> EventLoopFuture<Accepted> = { channel in
            Self.peerCredentials(of: channel).flatMapThrowing { peer in
                guard self.admit(channel, peer: peer) else { return nil }
                let idle = TimeAmount.seconds(Int64(self.dispatcher.hall.config.daemon.idleLineSeconds))
                try channel.pipeline.syncOperations.addHandler(PartialLineGuard(budget: self.lineBudget, timeout: idle) { refusal in
                    self.trimWanted.store(true, ordering: .relaxed)
                    self.throttle.note(refusal.error.reason ?? "refused") { more in
                        self.logger.warning("closed a connection: \(refusal.logLine)\(more)")
                    }
                })
                try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(LineFrameDecoder()))
                // Few decoded lines wait per connection: a pipelining client waits for its answers.
                return (try NIOAsyncChannel(wrappingChannelSynchronously: channel, configuration: .init(
                    backPressureStrategy: .init(lowWatermark: 2, highWatermark: 8))), peer)
            }
        }
        let listener: Listener
        switch listen {
        case .path(let path, let groupName):
            try Self.refuseIfServing(path)
            // The file's identity is taken before it accepts: a client may replace the path the
            // moment it can connect, and that file must not be taken for this daemon's own.
            let (fd, file) = try SocketFile.listen(at: path, backlog: 256, removingStale: removingStale) { path in
                if let groupName { try Self.chgrp(path, groupName) }
            }
            state.withLock { $0.boundFile = file }
            do {
                listener = try await bootstrap.bind(fd, childChannelInitializer: initializer)
            } catch {
                close(fd)
                throw error
            }
        case .inherited(let fd):
            listener = try await bootstrap.bind(fd, childChannelInitializer: initializer)
        }
        // A new listener retires the one whose file was lost (its connections go on).
        let retired = state.withLock { s -> [any Channel] in
            let old = s.listeners
            s.listeners = [listener.channel]
            s.retired.formUnion(old.map(ObjectIdentifier.init))
            return old
        }
        for old in retired { old.close(promise: nil) }
        return listener
    }

    /// Counts the connection in, or answers `too_many_connections` and closes it. An admin peer
    /// may use the reserve above the limit.
    private func admit(_ channel: any Channel, peer: PeerCredentials?) -> Bool {
        let n = admitted.wrappingAdd(1, ordering: .relaxed).newValue
        let isAdmin = peer.map { AccessPolicy.isAdmin($0) } ?? false
        if n <= limits.max || (isAdmin && n <= limits.max + ConnectionLimits.adminReserve) {
            channel.closeFuture.whenComplete { _ in
                self.admitted.wrappingSubtract(1, ordering: .relaxed)
            }
            return true
        }
        admitted.wrappingSubtract(1, ordering: .relaxed)
        trimWanted.store(true, ordering: .relaxed)
        throttle.note("too_many_connections") { more in
            logger.warning("refused a connection from uid \(peer?.uid ?? 0): \(limits.max) connections are open, the limit\(more)")
        }
        let refusal = KioskError(.tooManyConnections,
            "kioskd serves \(limits.max) connections, its limit (max_connections); retry later", details: ["limit": "\(limits.max)"])
        channel.writeAndFlush(Connection.encode(RPCResponse(id: nil, error: Dispatcher.rpcError(refusal)))).whenComplete { _ in
            channel.close(promise: nil)
        }
        return false
    }

    /// Accepts on one listening socket until it closes, serving each connection in a task; waits
    /// for those connections to end.
    private func serve(listener: Listener) async throws {
        try await withThrowingDiscardingTaskGroup { tasks in
            do {
                try await listener.executeThenClose { inbound in
                    for try await accepted in inbound {
                        guard let accepted else { continue }  // refused at the door
                        tasks.addTask { await self.serve(accepted.0, peer: accepted.1) }
                    }
                }
            } catch where isDraining || state.withLock({ $0.retired.contains(ObjectIdentifier(listener.channel)) }) {
                // Closed by us: the connections it accepted go on.
            }
        }
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
        let connection = Connection(channel: channel, session: Session(id: id, peer: peer, role: role), server: self)
        await withTaskExecutorPreference(EventLoopTaskExecutor(loop: channel.channel.eventLoop)) { await connection.run() }
    }

    // MARK: the socket file and housekeeping

    /// Every few seconds: a socket file that was deleted or replaced is bound again (with a
    /// warning), and memory a flood took is given back. Ends when the server drains.
    private func keepSocket() async {
        await withDiscardingTaskGroup { listeners in
            while !isDraining, !Task.isCancelled {
                try? await Task.sleep(for: Self.socketCheckInterval)
                if isDraining || Task.isCancelled { break }
                if trimWanted.exchange(false, ordering: .relaxed) { Memory.giveBack() }
                guard case .path(let path, _) = listen, let problem = socketFileProblem(path) else { continue }
                do {
                    // A deleted file leaves nothing to remove: whatever is at the path by now is
                    // someone else's. A replaced one was just found dead by refuseIfServing.
                    let listener = try await bind(removingStale: problem == .replaced)
                    logger.warning("socket \(path) \(problem) while kioskd was running; bound it again")
                    listeners.addTask { try? await self.serve(listener: listener) }
                } catch {
                    throttle.note("rebind") { _ in
                        logger.error("socket \(path) \(problem) and cannot be bound again: \(error)")
                    }
                }
            }
        }
    }

    /// Why the socket file is no longer the one this daemon listens on.
    enum SocketFileProblem: String, CustomStringConvertible {
        case deleted = "was deleted"
        case replaced = "was replaced"
        var description: String { rawValue }
    }

    /// Why the socket file is no longer the one this daemon listens on, or nil when it is.
    private func socketFileProblem(_ path: String) -> SocketFileProblem? {
        let bound = state.withLock { $0.boundFile }
        guard let now = SocketFile(path: path) else { return .deleted }
        return now == bound ? nil : .replaced
    }

    /// Removes the socket file only if it is still the one this daemon bound: a second daemon's
    /// socket (or a file someone else put there) is left alone.
    private func removeOwnSocketFile() {
        guard case .path(let path, _) = listen, let bound = state.withLock({ $0.boundFile }), SocketFile(path: path) == bound
        else { return }
        unlink(path)
    }

    /// Stop accepting; close connections once in-flight requests have answered (at most 5 s).
    private func drain() {
        let listeners = state.withLock { s -> [any Channel] in
            s.draining = true
            return s.listeners
        }
        logger.info("shutting down: no new requests, finishing in-flight ones")
        for listener in listeners { listener.close(promise: nil) }
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

    /// A live daemon on the same path must not be displaced by a second one. Non-blocking: a
    /// listener whose backlog is full (EAGAIN) is alive too, and must not hang this check.
    static func refuseIfServing(_ path: String) throws {
        var st = stat()
        guard stat(path, &st) == 0 else { return }
        guard var addr = SocketFile.address(path) else { return }
        let fd = SocketFile.makeSocket()
        guard fd >= 0 else { return }
        defer { close(fd) }
        let ok = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        if ok == 0 || errno == EAGAIN { throw KioskError(.conflict, "another kioskd is already serving \(path)") }
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
