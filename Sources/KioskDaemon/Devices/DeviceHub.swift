import Foundation
import KioskCore
import KioskProtocol
import KioskStore
import Logging
import ServiceLifecycle

/// The daemon's side of the devices (placeholder until the registry lands).
final class DeviceHub: Service, DeviceDesk, Sendable {
    init(config: HallConfig, bus store: any Store, clock: any HallClock, persons: PersonKeys, logger: Logger) throws {}

    var ticketPrinting: TicketPrinting? { nil }
    func summary() -> [String: String] { [:] }
    func run() async throws { try? await gracefulShutdown() }
    func list() async throws -> JSONValue { .array([]) }
    func status(id: String) async throws -> JSONValue { throw KioskError(.notFound, "no device \(id)") }
    func test(id: String) async throws -> JSONValue { throw KioskError(.notFound, "no device \(id)") }
    func readCard(device: String?, timeoutSeconds: Double, caller: Caller, revealFull: Bool) async throws -> JSONValue {
        throw KioskError(.deviceUnavailable, "no ID card reader")
    }
    func simCard(_ params: SimCardParams) async throws -> JSONValue { throw KioskError(.deviceUnavailable, "no reader") }
    func holder(forToken token: String, caller: Caller) throws -> (key: String, masked: String, age: Int?) {
        throw KioskError(.invalidCardToken, "unknown card token")
    }
}
