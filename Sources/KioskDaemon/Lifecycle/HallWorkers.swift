import Foundation
import KioskCore
import Logging
import NIOCore
import ServiceLifecycle
import UnixSignals

/// The daemon's own timers: the daily rollover, the wait alerts, the systemd watchdog, and
/// SIGHUP reloads. Each is a loop that ends with graceful shutdown.
final class HallWorkers: Service, Sendable {
    let hall: HallService
    let logger: Logger
    let watchdog: Duration?
    let reload: @Sendable () async -> Void
    let probe: @Sendable () async throws -> Void
    let maintain: @Sendable () async throws -> Void
    let verifyStorage: @Sendable () async -> Void
    let alertInterval: Duration

    init(hall: HallService, logger: Logger, watchdog: Duration?, alertInterval: Duration = .seconds(10),
        probe: @escaping @Sendable () async throws -> Void, maintain: @escaping @Sendable () async throws -> Void,
        verifyStorage: @escaping @Sendable () async -> Void = {}, reload: @escaping @Sendable () async -> Void) {
        self.maintain = maintain
        self.verifyStorage = verifyStorage
        self.hall = hall
        self.logger = logger
        self.watchdog = watchdog
        self.alertInterval = alertInterval
        self.probe = probe
        self.reload = reload
    }

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await self.rolloverLoop() }
                group.addTask { await self.alertLoop() }
                group.addTask { await self.reloadLoop() }
                group.addTask { await self.maintenanceLoop() }
                if let watchdog = self.watchdog { group.addTask { await self.watchdogLoop(every: watchdog / 2) } }
                await group.waitForAll()
            }
        }
    }

    /// Sleeps until the next hall-day (re-checking each minute, in case the clock was set) and
    /// rolls over.
    private func rolloverLoop() async {
        while !Task.isCancelled {
            let wait = min(hall.secondsUntilNextDay() + 0.2, 60)
            try? await Task.sleep(for: .milliseconds(Int(wait * 1000)))
            if Task.isCancelled { return }
            do { try await hall.rollOverIfNeeded() } catch { logger.failure(.error, "day rollover failed, retrying", error) }
        }
    }

    private func alertLoop() async {
        while !Task.isCancelled {
            do { try await hall.checkAlerts() } catch { logger.failure(.error, "alert check failed", error) }
            try? await Task.sleep(for: alertInterval)
        }
    }

    /// `WATCHDOG=1` only when the event loop and the store both answer and the store is not
    /// faulted: a hung daemon, or one whose database stays unusable, stops pinging and systemd
    /// restarts it.
    private func watchdogLoop(every interval: Duration) async {
        while !Task.isCancelled {
            do {
                try await probe()
                Systemd.notify("WATCHDOG=1")
            } catch {
                logger.failure(.error, "health probe failed, not pinging the watchdog", error)
            }
            try? await Task.sleep(for: interval)
        }
    }

    /// The integrity check first — it takes seconds on a large database, so it runs after READY
    /// rather than before — then housekeeping (and, while the store is faulted, reopening it)
    /// every second.
    private func maintenanceLoop() async {
        await verifyStorage()
        while !Task.isCancelled {
            try? await Task.sleep(for: .seconds(1))
            do { try await maintain() } catch { logger.failure(.warning, "storage maintenance failed", error) }
        }
    }

    private func reloadLoop() async {
        for await _ in await UnixSignalsSequence(trapping: .sighup) {
            if Task.isCancelled { return }
            await reload()
        }
    }
}
