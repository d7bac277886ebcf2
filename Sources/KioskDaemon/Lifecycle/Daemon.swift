import Foundation
import KioskCore
import KioskDevices
import KioskProtocol
import KioskStore
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import Synchronization

/// Assembles and runs kioskd: storage, the hall service, devices, the socket server and the
/// workers, under swift-service-lifecycle (SIGTERM/SIGINT → graceful shutdown, exit 0).
public struct Daemon {
    public static let version = "0.1.0"

    public struct Options: Sendable {
        public var configPath: String
        /// `--socket`: overrides `daemon.socket`.
        public var socket: String?
        public var clock: any HallClock
        /// Re-reads the config file (SIGHUP). Throws a readable error for a bad file.
        public var loadConfig: @Sendable () throws -> HallConfig

        public init(configPath: String, socket: String? = nil, clock: any HallClock = SystemClock(),
            loadConfig: @escaping @Sendable () throws -> HallConfig) {
            self.configPath = configPath
            self.socket = socket
            self.clock = clock
            self.loadConfig = loadConfig
        }
    }

    public static func run(config: HallConfig, options: Options, logger: Logger) async throws {
        let started = ContinuousClock.now
        let socketPath = options.socket ?? config.daemon.socket
        try makeDirectory(config.daemon.stateDir, mode: 0o750)
        try makeDirectory((socketPath as NSString).deletingLastPathComponent, mode: 0o755)
        // Before anything else touches the state: a second daemon on it refuses here.
        let lock = try StateDirLock.acquire(stateDir: config.daemon.stateDir)
        defer { withExtendedLifetime(lock) {} }

        let store = try openStore(config)
        let bus = EventBus(timeZone: config.daemon.timeZone)
        store.setEventSink { bus.publish($0) }
        let storageWatch = StorageWatch(store: store, bus: bus, logger: logger, timeZone: config.daemon.timeZone,
            hallName: config.hall.name, terminal: config.daemon.terminal)
        storageWatch.start()
        let persons = try PersonKeys.load(stateDir: config.daemon.stateDir)
        // Model profiles: installed, local, and (for a checkout) the repo's Devices/profiles.
        let configDir = (options.configPath as NSString).deletingLastPathComponent
        let voice = config.voice.map { VoiceDevice(settings: $0, clock: options.clock) }
        let devices = try DeviceHub(config: config, bus: store, clock: options.clock, persons: persons, logger: logger,
            profileDirectories: ["/usr/share/kioskd/profiles", "/etc/kioskd/profiles",
                (configDir as NSString).appendingPathComponent("../Devices/profiles")],
            extraDevices: voice.map { [$0] } ?? [])
        let hall = HallService(config: config, store: store, clock: options.clock, persons: persons,
            printing: devices.ticketPrinting, logger: logger)
        do {
            try await hall.rollOverIfNeeded()
        } catch where store.health.state == .fault {
            // Start anyway, so the fault is seen in daemon.status; the rollover worker retries.
            logger.error("day rollover postponed: \(error)")
        }

        let eventLoops = MultiThreadedEventLoopGroup(numberOfThreads: System.coreCount)
        // The HTTP listener's own loop: screens' streams are written there, so however many
        // browsers watch, their work is one thread's and never queues ahead of a kiosk's take.
        // (Only with [http]: a loop holds three descriptors, which the connection limit counts on.)
        let httpLoop: MultiThreadedEventLoopGroup? = config.http == nil ? nil : MultiThreadedEventLoopGroup(numberOfThreads: 1)
        // …and it yields to them when the CPU is short: a screen may be a few ms late, a take not.
        // (On Linux the nice value is per thread, and `who` 0 is the calling thread.)
        httpLoop?.next().execute { _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 5) }
        let screenStreams = ScreenStreams()
        let lastReload = Mutex<(at: Date, ok: Bool, error: String?)?>(nil)
        let serverBox = Mutex<SocketServer?>(nil)
        let status: @Sendable () async -> any Encodable & Sendable = {
            await DaemonStatus.make(hall: hall, store: store, bus: bus, screens: screenStreams, devices: devices, configPath: options.configPath,
                socket: socketPath, uptime: ContinuousClock.now - started,
                connections: serverBox.withLock { $0?.connectionCount ?? 0 },
                maxConnections: serverBox.withLock { $0?.limits.max ?? 0 }, lastReload: lastReload.withLock { $0 })
        }
        let certificates = try CertificateService(
            config: config, store: store, clock: options.clock, persons: persons, registry: devices.registry, logger: logger)
        // Every daemon on a hall database must hash and sign with the hall's keys.
        let keyAgreement = HallKeyAgreement(stateDir: config.daemon.stateDir, persons: persons,
            signingKey: SigningPublicKeyFingerprint(value: certificates.signer.publicKey.fingerprint))
        do {
            try await keyAgreement.agree(with: store)
        } catch is StoreError {
            logger.warning("keys not yet checked against the hall database (storage unavailable); checking when it is back")
        }
        let dispatcher = Dispatcher(hall: hall, status: status, devices: devices, certificates: certificates,
            screens: ScreenDirectory(hall: hall, streams: screenStreams), voice: VoiceDesk(device: voice),
            logger: logger)
        let listen: SocketServer.Listen = Systemd.inheritedSocket().map { .inherited($0) }
            ?? .path(socketPath, group: config.daemon.socketGroup)
        let server = SocketServer(listen: listen, dispatcher: dispatcher, bus: bus, store: store, group: eventLoops,
            logger: logger) {
            let ms = (ContinuousClock.now - started).components
            logger.info("ready in \(ms.seconds * 1000 + ms.attoseconds / 1_000_000_000_000_000) ms")
            Systemd.notify("READY=1\nSTATUS=\(storageWatch.statusLine)")
        }
        serverBox.withLock { $0 = server }

        let workers = HallWorkers(
            hall: hall, logger: logger, watchdog: Systemd.watchdogInterval(),
            probe: {
                try await eventLoops.next().submit {}.get()
                // A faulted SQLite file may heal by a restart: stop pinging. A hall database
                // that is away will not, and a restart would only lose the devices' state.
                if store.restartMayHeal {
                    try storageWatch.requireHealthy()
                    _ = try await store.read { try $0.lastEventSeq() }
                }
            },
            maintain: {
                try await store.maintain()
                do {
                    try await keyAgreement.agree(with: store)
                } catch let error as KioskError {
                    // A terminal with another hall's key must not issue a single ticket.
                    logger.critical("\(error.message); stopping")
                    exit(78)
                } catch {}
            },
            verifyStorage: { await store.verify() },
            reload: {
                let new: HallConfig
                do {
                    new = try options.loadConfig()
                } catch {
                    lastReload.withLock { $0 = (Date(), false, String(describing: error)) }
                    logger.error("reload refused, keeping the running configuration: \(error)")
                    try? await hall.reloadRefused(String(describing: error))
                    return
                }
                do {
                    let restart = try await hall.reload(new)
                    lastReload.withLock { $0 = (Date(), true, nil) }
                    logger.info("configuration reloaded from \(options.configPath)")
                    if !restart.isEmpty {
                        logger.warning("changes to [\(restart.joined(separator: "], ["))] take effect only after a restart")
                    }
                } catch {
                    logger.error("reload applied but not recorded: \(error)")
                }
            })

        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
            .init(service: server),
            .init(service: workers),
            .init(service: devices),
            .init(service: certificates.pipeline),
        ]
        if store.isShared {
            services.append(.init(service: TerminalReport(store: store, registry: devices.registry, config: config,
                started: Date(), logger: logger)))
        }
        if let voice { services.append(.init(service: HallVoice(device: voice, hall: hall, store: store, bus: bus, logger: logger))) }
        let displays = devices.registry.devices.compactMap { $0 as? any WindowDisplay }
        if !displays.isEmpty { services.append(.init(service: WindowStrips(displays: displays, hall: hall, store: store, bus: bus, logger: logger))) }
        let keys = devices.registry.devices.compactMap { $0 as? any WindowKeys }
        if !keys.isEmpty { services.append(.init(service: WindowKeyDesk(keys: keys, hall: hall, logger: logger))) }
        if let http = config.http, let httpLoop {
            let assets = ScreenAssets.load(configDirectory: configDir)
            if assets.files.isEmpty { logger.error("screen page files not found (looked in \(assets.origin)); screens answer 503") }
            let screens = ScreenRoutes(hall: hall, store: store, bus: bus, assets: assets, streams: screenStreams, voice: voice,
                executor: EventLoopTaskExecutor(loop: httpLoop.next()), logger: logger)
            services.append(.init(service: HTTPListener.make(settings: http, screens: screens, health: {
                do {
                    try storageWatch.requireHealthy()
                    try await eventLoops.next().submit {}.get()
                    return .ok
                } catch {
                    return .unwell(String(describing: error))
                }
            }, eventLoops: httpLoop, logger: logger)))
            logger.info("HTTP listener on \(http.listen)")
        }
        let group = ServiceGroup(configuration: .init(
            services: services,
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger))
        do {
            try await group.run()
        } catch {
            try? await eventLoops.shutdownGracefully()
            try? await httpLoop?.shutdownGracefully()
            throw error
        }
        Systemd.notify("STOPPING=1")
        try await eventLoops.shutdownGracefully()
        try await httpLoop?.shutdownGracefully()
        logger.info("kioskd stopped")
    }

    static func openStore(_ config: HallConfig) throws -> any Store {
        switch config.storage.backend {
        case .sqlite:
            return try SQLiteStore(path: config.storage.path ?? config.daemon.stateDir + "/kioskd.sqlite")
        case .postgres:
            return try PostgresStore(url: config.storage.url ?? "")
        }
    }

    static func makeDirectory(_ path: String, mode: mode_t) throws {
        guard !path.isEmpty, !FileManager.default.fileExists(atPath: path) else { return }
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true,
            attributes: [.posixPermissions: mode])
    }
}
