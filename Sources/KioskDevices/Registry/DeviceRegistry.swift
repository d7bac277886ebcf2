import Foundation
import KioskCore

/// Every device of this machine, built once from the `[[devices]]` entries.
///
/// Owns the drivers, answers lookups (`device.list`, "the ticket printer", "the card reader"),
/// runs online tests, and turns every health change into a `DeviceEvent` on `events`, so the
/// daemon emits `device.status` without polling. Simulated transports get the simulated
/// drivers; others are registered `absent` until their real drivers land.
public final class DeviceRegistry: Sendable {
    /// All devices, in configuration order.
    public let devices: [any Device]
    /// Health changes of every device, in order per device. One consumer (the daemon's event
    /// bus); the newest 256 are kept if it falls behind. Initial states are not replayed: read
    /// `devices` first, then follow this.
    public let events: AsyncStream<DeviceEvent>
    /// Entries refused because an earlier entry names the same device (id → reason); they are
    /// registered in `fault` without a driver. See `DeviceConflicts`.
    public let conflicts: [String: String]

    /// The RS-485 buses of window devices, by path: one per port, shared by its entries.
    public let buses: [String: RS485Bus]

    private let continuation: AsyncStream<DeviceEvent>.Continuation
    private let clock: any HallClock
    private let timeZone: TimeZone
    private let hallName: String?

    /// Builds the drivers. Throws `invalidConfig` when two entries share an id.
    ///
    /// - Parameters:
    ///   - stateDir: the daemon's state dir; a simulated printer without `output` writes to
    ///     `<stateDir>/devices/<id>.txt`.
    ///   - hallName: printed on test slips.
    ///   - timeZone: the hall's time zone, for the local times printed.
    ///   - profiles: known device models (`Devices/profiles/*.toml`), matched by VID:PID.
    ///   - nodes: the devices udev lists now, to find two entries naming one device.
    ///   - extra: devices configured outside `[[devices]]` (the `[voice]` device), listed and
    ///     watched like the rest.
    public init(
        configs: [DeviceConfig], stateDir: String, hallName: String? = nil,
        timeZone: TimeZone = TimeZone(identifier: "Asia/Shanghai")!, clock: any HallClock = SystemClock(),
        profiles: [DeviceProfile] = [], windowProfiles: [String: WindowDeviceProfile] = [:], nodes: [DeviceNode] = [],
        extra: [any Device] = [], busLog: @escaping @Sendable (String) -> Void = { _ in }
    ) throws(DeviceError) {
        var seen = Set<String>()
        for config in configs where !seen.insert(config.id).inserted {
            throw .invalidConfig(id: config.id, message: "two [[devices]] entries have the id \(config.id)")
        }
        (events, continuation) = AsyncStream.makeStream(of: DeviceEvent.self, bufferingPolicy: .bufferingNewest(256))
        self.clock = clock
        self.timeZone = timeZone
        self.hallName = hallName
        let conflicts = DeviceConflicts.find(configs: configs, nodes: nodes)
        self.conflicts = conflicts
        var buses: [String: RS485Bus] = [:]
        for config in configs where config.kind.isWindowDevice && config.transport == .serial && conflicts[config.id] == nil {
            guard let path = config.path, buses[path] == nil else { continue }
            buses[path] = RS485Bus(path: path, baud: config.baud ?? 9600, log: busLog)
        }
        self.buses = buses
        devices = configs.map { config in
            if let reason = conflicts[config.id] {
                return DriverlessDevice(config: config, state: .fault, reason: reason, clock: clock)
            }
            if config.kind.isWindowDevice {
                return WindowDeviceFactory.make(config, profiles: windowProfiles, buses: buses, clock: clock)
            }
            return Self.makeDevice(config, stateDir: stateDir, clock: clock, timeZone: timeZone, profiles: profiles)
        } + extra.filter { device in !configs.contains { $0.id == device.id } }
        for bus in buses.values { bus.start() }
        for device in devices {
            let (id, continuation) = (device.id, continuation)
            device.observeHealth { health in continuation.yield(.statusChanged(id: id, health: health)) }
            if let reader = device as? any IDCardReader {
                reader.observePresentations { type in continuation.yield(.cardPresented(id: id, cardType: type)) }
            }
        }
    }

    deinit { continuation.finish() }

    /// Ends `events` (daemon shutdown) and stops the buses.
    public func shutdown() {
        continuation.finish()
        for bus in buses.values { bus.stop() }
    }

    /// The driver for one entry: simulated where asked, `DriverlessDevice` where none exists.
    static func makeDevice(
        _ config: DeviceConfig, stateDir: String, clock: any HallClock, timeZone: TimeZone, profiles: [DeviceProfile] = []
    ) -> any Device {
        guard config.transport == .simulated else {
            if let driver = DriverFactory.make(config, profiles: profiles, clock: clock) { return driver }
            return DriverlessDevice(
                config: config, reason: "no driver for a \(config.kind.rawValue) on transport \(config.transport.rawValue) yet",
                clock: clock)
        }
        switch config.kind {
        case .receiptPrinter:
            return SimulatedReceiptPrinter(config: config, stateDir: stateDir, clock: clock, timeZone: timeZone)
        case .idcardReader:
            return SimulatedIDCardReader(id: config.id, clock: clock)
        case .certificatePrinter:
            return SimulatedCertificatePrinter(config: config, stateDir: stateDir, clock: clock)
        case .windowDisplay, .callerKeypad, .voice, .evaluator:
            return DriverlessDevice(
                config: config, reason: "no simulated driver for kind \(config.kind.rawValue) yet", clock: clock)
        }
    }

    // MARK: Lookups

    /// The device with this id.
    public func device(_ id: String) -> (any Device)? { devices.first { $0.id == id } }

    /// `device.list`.
    public func list() -> [DeviceInfo] { devices.map(DeviceInfo.init) }

    /// The first receipt printer that has a driver (the ticket printer of a terminal).
    public var receiptPrinter: (any ReceiptPrinter)? {
        devices.lazy.compactMap { $0 as? any ReceiptPrinter }.first
    }

    /// The first ID card reader that has a driver.
    public var idCardReader: (any IDCardReader)? {
        devices.lazy.compactMap { $0 as? any IDCardReader }.first
    }

    /// The receipt printer `id`: `notFound`, `wrongKind`, or `unavailable` when it has no driver.
    public func receiptPrinter(_ id: String) throws(DeviceError) -> any ReceiptPrinter {
        try typed(id, .receiptPrinter)
    }

    /// The certificate printer `id`: `notFound`, `wrongKind`, or `unavailable` when it has no driver.
    public func certificatePrinter(_ id: String) throws(DeviceError) -> any CertificatePrinting {
        try typed(id, .certificatePrinter)
    }

    /// The ID card reader `id`: `notFound`, `wrongKind`, or `unavailable` when it has no driver.
    public func idCardReader(_ id: String) throws(DeviceError) -> any IDCardReader {
        try typed(id, .idcardReader)
    }

    private func typed<T>(_ id: String, _ kind: DeviceConfig.Kind) throws(DeviceError) -> T {
        guard let device = device(id) else { throw .notFound(id: id) }
        guard device.kind == kind else { throw .wrongKind(id: id, expected: kind, actual: device.kind) }
        guard let typed = device as? T else { throw .unavailable(id: id, reason: device.health.reason) }
        return typed
    }

    // MARK: Online test

    /// Runs the device's self-test: a printer prints a test slip showing its status, a reader
    /// reports its status. Throws only `notFound`; a failing device is a failed result.
    public func test(_ id: String) async throws(DeviceError) -> DeviceTestResult {
        guard let device = device(id) else { throw .notFound(id: id) }
        let passed: Bool
        let message: String
        switch device {
        case let printer as any ReceiptPrinter:
            let status = await printer.status()
            let slip = TestSlip(
                deviceID: id, endpoint: printer.endpoint, hallName: hallName, printedAt: clock.now(),
                timeZone: timeZone, status: status.health.description)
            do {
                try await printer.printTestSlip(slip)
                passed = true
                message = "printed a test slip; \(status.health)"
            } catch {
                passed = false
                message = error.description
            }
        case let reader as any IDCardReader:
            let status = await reader.status()
            passed = status.health.state.isUsable
            var text = "\(status.health); " + (status.cardPresent ? "a card is on the reader" : "no card on the reader")
            // A real reader also names its security module (SAM): what a vendor asks for first.
            if let sam = reader as? SAMIDCardReader, passed {
                do { text += "; SAM ID " + (try await sam.samID()) } catch { text += "; SAM ID unreadable: \(error)" }
            }
            message = text
        case let voice as VoiceDevice:
            return await voice.test()
        case let display as any WindowDisplay:
            // The profile's test text on the strip; the display's answer is the result.
            let look = display.profile.test
            let text = look.text.replacingOccurrences(of: "{window}", with: display.window).replacingOccurrences(of: "{number}", with: "")
            do {
                try await display.show(WindowDisplayContent(text: text, mode: look.mode, colour: look.colour))
                passed = true
                message = "showed \"\(text)\" on \(display.endpoint); it answered"
            } catch {
                passed = false
                message = error.description
            }
        case let keys as any WindowKeys:
            do {
                try await keys.display("测试 \(keys.id)")
                passed = keys.health.state.isUsable
                message = "sent \"测试 \(keys.id)\" to its display; \(keys.health)"
            } catch {
                passed = false
                message = error.description
            }
        case let printer as any CertificatePrinting:
            // No test page: certificate printers hold numbered security paper. Their state is
            // asked afresh (queue, paper, reachability).
            let health = await printer.refreshHealth()
            passed = health.state.isUsable
            message = health.description
        default:
            passed = false
            message = device.health.description
        }
        return DeviceTestResult(
            id: id, kind: device.kind, passed: passed, message: message, health: device.health, at: clock.now())
    }
}
