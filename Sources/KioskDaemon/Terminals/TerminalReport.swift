import Foundation
import KioskCore
import KioskDevices
import KioskProtocol
import KioskStore
import Logging
import ServiceLifecycle

/// This daemon's report to a shared hall database (终端上报): its terminal row (alive at
/// `seenAt`) and its devices' `device.list` entries, rewritten every `interval` — which also
/// brings the rows up to date after the database was away — and a device's entry at once when
/// its health changes (`DeviceHub`). Only run when other daemons share the database.
final class TerminalReport: Service, Sendable {
    static let interval: Duration = .seconds(10)

    let store: any Store
    let registry: DeviceRegistry
    let terminal: String
    let timeZone: TimeZone
    let started: Date
    let logger: Logger

    init(store: any Store, registry: DeviceRegistry, config: HallConfig, started: Date, logger: Logger) {
        self.store = store
        self.registry = registry
        self.terminal = config.daemon.terminal
        self.timeZone = config.daemon.timeZone
        self.started = started
        self.logger = logger
    }

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await self.report()
                try? await Task.sleep(for: Self.interval)
            }
        }
    }

    /// The terminal and all its devices, in one transaction; devices no longer configured here
    /// are forgotten. A database that is away is reported by the storage watch, not here.
    func report() async {
        let now = Date()
        let me = TerminalRecord(name: terminal, seenAt: now, startedAt: started, version: Daemon.version)
        let devices = registry.devices.compactMap { Self.record($0, terminal: terminal, timeZone: timeZone, at: now) }
        do {
            try await store.write { w in
                try w.save(me)
                for d in devices { try w.save(d) }
                try w.removeDevices(terminal: me.name, keeping: devices.map(\.id))
            }
        } catch {
            logger.debug("terminal report not stored: \(error)")
        }
    }

    /// A device's `device.list` entry as stored for the other terminals.
    static func record(_ device: any Device, terminal: String, timeZone: TimeZone, at: Date) -> TerminalDeviceRecord? {
        guard let entry = try? JSONCoding.string(JSONValue(encoding: DeviceInfo(device), timeZone: timeZone)) else { return nil }
        return TerminalDeviceRecord(terminal: terminal, id: device.id, entry: entry, updatedAt: at)
    }
}
