import ArgumentParser
import Foundation
import KioskCertificates
import KioskConfig
import KioskCore
import KioskDaemon
import Logging

/// `kioskd`: the queue-and-call daemon of a service hall's self-service terminals.
@main
struct KioskdCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kioskd",
        abstract: "Queue-and-call daemon for government service hall terminals.",
        discussion: """
            Serves newline-delimited JSON-RPC on a Unix socket (see docs/protocol.md).
            SIGHUP reloads categories, windows and access; SIGTERM shuts down gracefully.
            """,
        version: Daemon.version)

    @Option(name: .long, help: "The TOML configuration file.")
    var config: String = "/etc/kioskd/kioskd.toml"

    @Option(name: .long, help: "Socket path; overrides daemon.socket in the config.")
    var socket: String?

    @Flag(name: .long, help: "Check the configuration, print a summary and exit (non-zero on error).")
    var checkConfig = false

    func run() async throws {
        let path = config
        let hallConfig: HallConfig
        do {
            hallConfig = try ConfigLoader.load(path: path)
            _ = try CertificateSetup.templates(for: hallConfig)
        } catch {
            FileHandle.standardError.write(Data("kioskd: configuration error: \(error)\n".utf8))
            throw ExitCode(78)  // EX_CONFIG: systemd does not restart-loop on it (RestartPreventExitStatus)
        }
        if checkConfig {
            print("\(path): ok — hall \(hallConfig.hall.code) \(hallConfig.hall.name), \(hallConfig.categories.count) categories, \(hallConfig.windows.count) windows, \(hallConfig.devices.count) devices")
            return
        }
        let level = Logger.Level(rawValue: hallConfig.daemon.logLevel) ?? .info
        let zone = hallConfig.daemon.timeZone
        LoggingSystem.bootstrap { label in JournalLogHandler(label: label, level: level, timeZone: zone) }
        let logger = Logger(label: "kioskd")
        logger.info("kioskd \(Daemon.version) starting for \(hallConfig.hall.code) with \(path)")
        do {
            try await Daemon.run(
                config: hallConfig,
                options: Daemon.Options(configPath: path, socket: socket, loadConfig: { try ConfigLoader.load(path: path) }),
                logger: logger)
        } catch {
            logger.critical("kioskd cannot run: \(error)")
            throw ExitCode(1)
        }
    }
}

