import Foundation
import KioskCore
import KioskDevices
import KioskProtocol
import KioskStore
import Logging
import ServiceLifecycle

/// The daemon's side of the devices: socket methods (`device.*`, `idcard.read`, `sim.card`),
/// ticket printing, card tokens, and `device.status` events written to the durable log.
final class DeviceHub: Service, DeviceDesk, Sendable {
    let registry: DeviceRegistry
    let store: any Store
    let tokens: CardTokens
    let persons: PersonKeys
    let clock: any HallClock
    let config: HallConfig
    let logger: Logger

    init(config: HallConfig, bus store: any Store, clock: any HallClock, persons: PersonKeys, logger: Logger,
        profileDirectories: [String] = [], extraDevices: [any Device] = []) throws {
        var profiles: [DeviceProfile] = []
        var windowProfiles: [String: WindowDeviceProfile] = [:]
        for dir in profileDirectories where FileManager.default.fileExists(atPath: dir) {
            do {
                profiles += try ProfileLoader.load(directory: dir)
                // A later folder (the local one over the installed one) replaces a profile of the same name.
                windowProfiles.merge(try WindowDeviceProfile.load(directory: dir)) { _, later in later }
            } catch {
                logger.error("device profiles in \(dir) not loaded: \(error)")
            }
        }
        do {
            registry = try DeviceRegistry(configs: config.devices, stateDir: config.daemon.stateDir,
                hallName: config.hall.name, timeZone: config.daemon.timeZone, clock: clock, profiles: profiles,
                windowProfiles: windowProfiles, nodes: Self.hasLocalDevices(config) ? UdevMonitor.scan() : [],
                extra: extraDevices, busLog: { [logger] line in logger.debug("rs485 \(line)") })
        } catch {
            throw error.kioskError
        }
        self.store = store
        self.tokens = CardTokens(lifetime: TimeInterval(config.daemon.cardTokenSeconds), clock: clock)
        self.persons = persons
        self.clock = clock
        self.config = config
        self.logger = logger
    }

    var ticketPrinting: TicketPrinting? { ReceiptPrinting(registry: registry) }

    /// Whether any device hangs off this machine (serial, USB, file, network), so udev is worth
    /// asking; simulated devices and CUPS queues never show up there.
    static func hasLocalDevices(_ config: HallConfig) -> Bool {
        config.devices.contains { $0.transport != .simulated && $0.transport != .cups }
    }

    /// Follows health changes (`device.status`) and, when real devices are configured, udev
    /// hotplug (`device.added`, `device.removed`), recording each in the event log.
    func run() async throws {
        // Two entries for one device: the second is refused, said once in the log and the events.
        for (id, reason) in registry.conflicts.sorted(by: { $0.key < $1.key }) {
            guard let device = registry.device(id) else { continue }
            logger.error("device \(id) \(reason)")
            await record(EventTopic.deviceStatus,
                DeviceStatusEvent(device: id, kind: device.kind.rawValue, health: device.health, timeZone: config.daemon.timeZone),
                at: device.health.since, device: id)
        }
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await self.followHealth() }
                if Self.hasLocalDevices(self.config) {
                    group.addTask { await self.followHotplug() }
                }
                await group.waitForAll()
            }
        }
        registry.shutdown()
    }

    /// Health changes become `device.status`, card placements `idcard.presented` (the card's
    /// type only: who it belongs to is for `idcard.read`).
    private func followHealth() async {
        for await event in registry.events {
            switch event {
            case .statusChanged(let id, let health):
                let kind = registry.device(id)?.kind.rawValue ?? "unknown"
                logger.notice("device \(id) is \(health.state.rawValue): \(health.reason)")
                await record(event.topic, DeviceStatusEvent(device: id, kind: kind, health: health, timeZone: config.daemon.timeZone),
                    at: health.since, device: id)
            case .cardPresented(let id, let type):
                await record(event.topic, ["device": id, "cardType": type.rawValue], at: clock.now(), device: id)
            }
        }
    }

    /// An unplugged device is closed (absent) and announced; when it comes back it is reopened
    /// at once — no waiting for the next job or poll.
    private func followHotplug() async {
        let monitor: UdevMonitor
        do {
            monitor = try UdevMonitor()
        } catch {
            logger.warning("udev hotplug unavailable (\(error)); devices reconnect on use and by polling")
            return
        }
        defer { monitor.stop() }
        let matcher = DeviceMatcher(configs: config.devices.filter { $0.transport != .simulated })
        var scanning = true
        for await event in monitor.events {
            switch event {
            case .initialScanComplete:
                scanning = false
            case .added(let node):
                let matched = matcher.configs(for: node).filter { registry.conflicts[$0.id] == nil }
                if let bus = Self.bus(of: matched, in: registry) {
                    // An RS-485 adapter is back: its bus opens again, and with it every device on it.
                    bus.reopen()
                    for c in matched where !scanning {
                        await record(EventTopic.deviceAdded, HotplugRecord(device: c.id, node: node), at: clock.now(), device: c.id)
                    }
                    continue
                }
                if matched.count > 1 {
                    // Plugged in after start, so not caught then: drive it through the first entry only.
                    logger.error("\(node) is named by several [[devices]] entries (\(matched.map(\.id).joined(separator: ", "))); only \(matched[0].id) drives it")
                }
                for c in matched.prefix(1) {
                    await reopen(c.id)
                    if !scanning { await record(EventTopic.deviceAdded, HotplugRecord(device: c.id, node: node), at: clock.now(), device: c.id) }
                }
            case .removed(let node):
                let matched = matcher.configs(for: node)
                if let bus = Self.bus(of: matched, in: registry) { bus.closePort(reason: "unplugged (\(node))") }
                for c in matched {
                    await close(c.id)
                    await record(EventTopic.deviceRemoved, HotplugRecord(device: c.id, node: node), at: clock.now(), device: c.id)
                }
            }
        }
    }

    /// The bus the matched entries share, when they are window devices on one.
    static func bus(of configs: [DeviceConfig], in registry: DeviceRegistry) -> RS485Bus? {
        guard let first = configs.first, first.kind.isWindowDevice, let path = first.path,
            configs.allSatisfy({ $0.kind.isWindowDevice && $0.path == path }) else { return nil }
        return registry.buses[path]
    }

    private func reopen(_ id: String) async {
        switch registry.device(id) {
        case let printer as ESCPOSPrinter:
            await printer.connect()
            printer.startStatusPolling(every: .seconds(5))
        case let reader as any IDCardReader:
            _ = await reader.status()
        default:
            break
        }
    }

    private func close(_ id: String) async {
        switch registry.device(id) {
        case let printer as ESCPOSPrinter:
            printer.close()
        case let reader as any IDCardReader:
            _ = await reader.status()  // finds the port gone: absent
        default:
            break
        }
    }

    /// Appends to the event log, in order (awaited, so events of one device never swap).
    private func record<P: Encodable & Sendable>(_ topic: String, _ payload: P, at: Date, device id: String) async {
        // With a shared database the other terminals see the change in their device lists at once.
        let row = store.isShared
            ? registry.device(id).flatMap { TerminalReport.record($0, terminal: config.daemon.terminal, timeZone: config.daemon.timeZone, at: Date()) }
            : nil
        do {
            try await store.write { w in
                try HallService.emit(w, topic, payload, at: at)
                if let row { try w.save(row) }
            }
        } catch {
            logger.failure(.error, "cannot record \(topic) for \(id)", error)
        }
    }

    func summary() -> [String: String] {
        Dictionary(registry.devices.map { ($0.id, $0.health.state.rawValue) }, uniquingKeysWith: { a, _ in a })
    }

    func list() async throws -> JSONValue {
        let own = try JSONValue(encoding: registry.list(), timeZone: config.daemon.timeZone)
        return await HallDevices.list(own: own, terminal: config.daemon.terminal, store: store,
            staleAfter: TimeInterval(config.daemon.terminalStaleSeconds), now: Date(), timeZone: config.daemon.timeZone)
    }

    func status(id: String) async throws -> JSONValue {
        guard let device = registry.device(id) else { throw KioskError(.notFound, "no device \(id)") }
        let tz = config.daemon.timeZone
        var info = try JSONValue(encoding: DeviceInfo(device), timeZone: tz).objectValue ?? [:]
        switch device {
        case let p as any ReceiptPrinter: info["printer"] = try JSONValue(encoding: await p.status(), timeZone: tz)
        case let r as any IDCardReader: info["reader"] = try JSONValue(encoding: await r.status(), timeZone: tz)
        default: break
        }
        // `state` at the top level (contract for technicians' scripts).
        info["state"] = .string(device.health.state.rawValue)
        info["lastError"] = device.health.lastError.map(JSONValue.string) ?? .null
        return .object(info)
    }

    func test(id: String) async throws -> JSONValue {
        do {
            let result = try await registry.test(id)
            return [
                "id": .string(result.id), "kind": .string(result.kind.rawValue), "passed": .bool(result.passed),
                "message": .string(result.message), "state": .string(result.health.state.rawValue),
                "health": try JSONValue(encoding: result.health, timeZone: config.daemon.timeZone),
                "at": .string(ISO8601.string(result.at, timeZone: config.daemon.timeZone)),
            ]
        } catch {
            throw error.kioskError
        }
    }

    func readCard(device: String?, timeoutSeconds: Double, caller: Caller, revealFull: Bool) async throws -> JSONValue {
        let reader = try self.reader(device)
        let card: IDCard
        do {
            card = try await reader.readCard(timeout: .milliseconds(Int64(timeoutSeconds * 1000)))
        } catch {
            throw error.kioskError
        }
        let now = clock.now()
        let (token, expires) = tokens.issue(for: card.idNumber, personKey: persons.key(for: card.idNumber), connection: caller.connection)
        let today = config.calendar.day(for: now)
        let tz = config.daemon.timeZone
        var result: [String: JSONValue] = [
            "device": .string(reader.id), "cardType": .string(card.cardType.rawValue), "name": .string(card.name),
            "sex": .string(card.sex.chinese), "nation": .string(card.nation), "birthDate": .string(card.birthDate.yyyymmdd),
            "age": .int(Int64(card.idNumber.age(on: today))), "authority": .string(card.authority),
            "validFrom": .string(card.validFrom.yyyymmdd), "validTo": card.validTo.map { .string($0.yyyymmdd) } ?? .string("长期"),
            "expired": .bool(!(CardDate(today).map(card.isValid(on:)) ?? true)),
            "idNumber": .string(revealFull ? card.idNumber.digits : card.idNumber.masked),
            "cardToken": .string(token), "cardTokenExpiresAt": .string(ISO8601.string(expires, timeZone: tz)),
        ]
        if revealFull { result["address"] = .string(card.address) }
        return .object(result)
    }

    func simCard(_ p: SimCardParams) async throws -> JSONValue {
        let reader = try self.reader(p.device)
        guard let sim = reader as? SimulatedIDCardReader else {
            throw KioskError(.invalidState, "device \(reader.id) is a real reader; only simulated readers take sim cards")
        }
        if p.remove == true {
            sim.remove()
            return ["device": .string(sim.id), "card": .null]
        }
        guard let name = p.name, !name.isEmpty, let number = p.idNumber else {
            throw KioskError.invalidParams("params.name and params.idNumber are required (or remove: true)")
        }
        let id = try IDNumber(validating: number)
        let b = id.birthDate
        let sex: IDCard.Sex
        switch p.sex {
        case nil where id.isForeignPermanent2017:
            throw KioskError.invalidParams("params.sex is required with a 15-character permanent residence number")
        case nil: sex = Int(String(Array(id.digits)[16]))! % 2 == 1 ? .male : .female  // GB 11643: odd = male
        case "male", "男": sex = .male
        case "female", "女": sex = .female
        case let other?: throw KioskError.invalidParams("sex must be male or female, got \(other)")
        }
        let card = IDCard(
            name: name, sex: sex, nation: p.nation ?? "汉", birthDate: CardDate(year: b.year!, month: b.month!, day: b.day!)!,
            address: p.address ?? "重庆市九龙坡区", idNumber: id, authority: "重庆市公安局九龙坡区分局",
            validFrom: CardDate(year: 2020, month: 1, day: 1)!, validTo: nil,
            cardType: id.isForeignPermanent2017 ? .foreignPermanent : .resident)
        do {
            try sim.present(card: card)
        } catch {
            throw error.kioskError
        }
        // Masked, like every card a result shows; `card` is the same in one line for a person.
        return [
            "device": .string(sim.id), "cardType": .string(card.cardType.rawValue), "name": .string(card.maskedName),
            "idNumber": .string(card.idNumber.masked),
            "card": .string("\(card.cardType.rawValue) \(card.maskedName) \(card.idNumber.masked)"),
        ]
    }

    func simPrinter(_ p: SimPrinterParams) async throws -> JSONValue {
        let printer = try ReceiptPrinting(registry: registry).printer(p.device)
        guard let sim = printer as? SimulatedReceiptPrinter else {
            throw KioskError(.invalidState, "device \(printer.id) is a real printer; only simulated printers take sim commands")
        }
        if let paper = p.paper {
            guard let level = PaperLevel(rawValue: paper) else {
                throw KioskError.invalidParams("paper must be one of \(PaperLevel.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            sim.setPaper(level)
        }
        if let connected = p.connected { sim.setConnected(connected) }
        return try await status(id: sim.id)
    }

    func holder(forToken token: String, caller: Caller) throws -> (key: String, masked: String, age: Int?) {
        let h = try tokens.redeem(token, connection: caller.connection)
        return (h.personKey, h.masked, h.idNumber.age(on: config.calendar.day(for: clock.now())))
    }

    private func reader(_ id: String?) throws -> any IDCardReader {
        do {
            if let id { return try registry.idCardReader(id) }
            guard let first = registry.idCardReader else { throw KioskError(.deviceUnavailable, "no ID card reader is configured") }
            return first
        } catch let e as DeviceError {
            throw e.kioskError
        }
    }
}

/// `device.added` / `device.removed`: which configured device, and the node udev reported.
struct HotplugRecord: Encodable, Sendable {
    var device: String
    var devnode: String?
    var usb: String?
    var serial: String?

    init(device: String, node: DeviceNode) {
        self.device = device
        devnode = node.devnode
        usb = node.usbID
        serial = node.serial
    }
}

struct DeviceStatusEvent: Encodable, Sendable {
    var device: String
    var kind: String
    var state: String
    var reason: String
    var lastError: String?
    var since: String

    init(device: String, kind: String, health: DeviceHealth, timeZone: TimeZone) {
        self.device = device
        self.kind = kind
        state = health.state.rawValue
        reason = health.reason
        lastError = health.lastError
        since = ISO8601.string(health.since, timeZone: timeZone)
    }
}

extension Error {
    /// Device errors as the protocol's refusals; anything else unchanged.
    var kioskError: any Error {
        (self as? DeviceError)?.kioskError ?? self
    }
}
