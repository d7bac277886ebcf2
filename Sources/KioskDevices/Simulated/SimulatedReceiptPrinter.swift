import Foundation
import KioskCore

/// A receipt printer that exists only in software: the demo's ticket printer and the tests'.
///
/// It goes through everything a real ESC/POS printer driver does — lays the slip out, encodes
/// the bytes — then keeps the bytes (`sentBytes()`) and appends a readable rendering of each job
/// to a file instead of paper. Its paper and connection can be changed (`setPaper`,
/// `setConnected`) to rehearse what the hall sees when a roll runs out (缺纸) or a cable is
/// pulled: the job fails with a typed error and the health changes, exactly once per change.
public final class SimulatedReceiptPrinter: ReceiptPrinter {
    struct State: Sendable {
        var connected = true
        var paper: PaperLevel = .ok
        /// Set when the rendering could not be written: the simulated "paper jam".
        var writeError: String?
        var sent: [UInt8] = []
        var jobs: [[UInt8]] = []
    }

    public let id: String
    public let kind = DeviceConfig.Kind.receiptPrinter
    public let transport = DeviceConfig.Transport.simulated
    public let endpoint = "simulated"
    public let paperWidthDots: Int
    /// The file each job's rendering is appended to; nil keeps bytes only.
    public let outputPath: String?

    private let box: DeviceStateBox<State>
    private let clock: any HallClock
    private let timeZone: TimeZone
    private let layout: TicketLayout
    private let log: RenderingLog?

    /// A printer `paperWidthDots` wide (384 when nil) writing its renderings to `outputPath`.
    public init(
        id: String, paperWidthDots: Int? = nil, outputPath: String? = nil, template: TicketTemplate? = nil,
        clock: any HallClock = SystemClock(), timeZone: TimeZone = TimeZone(identifier: "Asia/Shanghai")!
    ) {
        self.id = id
        layout = TicketLayout(paperWidthDots: paperWidthDots, template: template)
        self.paperWidthDots = layout.paperWidthDots
        self.outputPath = outputPath
        log = outputPath.map(RenderingLog.init(path:))
        self.clock = clock
        self.timeZone = timeZone
        box = DeviceStateBox(State(), health: .ready(since: clock.now()), clock: clock)
    }

    /// The printer a `[[devices]]` entry describes: `output`, or `<stateDir>/devices/<id>.txt`,
    /// printing the entry's ticket `layout`.
    public convenience init(
        config: DeviceConfig, stateDir: String, clock: any HallClock = SystemClock(),
        timeZone: TimeZone = TimeZone(identifier: "Asia/Shanghai")!
    ) {
        let output = config.output ?? (stateDir as NSString).appendingPathComponent("devices/\(config.id).txt")
        self.init(
            id: config.id, paperWidthDots: config.paperWidthDots, outputPath: output, template: config.ticketLayout,
            clock: clock, timeZone: timeZone)
    }

    public var health: DeviceHealth { box.health }

    public func observeHealth(_ observer: @escaping @Sendable (DeviceHealth) -> Void) {
        box.observe(observer)
    }

    // MARK: Simulation controls

    /// Puts a full, nearly empty or empty roll in: near end degrades, out faults.
    public func setPaper(_ level: PaperLevel) {
        box.mutate(assess: Self.assess) { s, _ in s.paper = level }
    }

    /// Plugs the printer in or pulls its cable: unplugged is `absent`.
    public func setConnected(_ connected: Bool) {
        box.mutate(assess: Self.assess) { s, _ in s.connected = connected }
    }

    /// Every byte the printer received, all jobs in order.
    public func sentBytes() -> [UInt8] { box.state.sent }

    /// The bytes of each successful job, in order.
    public func jobs() -> [[UInt8]] { box.state.jobs }

    // MARK: ReceiptPrinter

    public func printTicket(_ slip: TicketSlip) async throws(DeviceError) {
        let commands: [ESCPOSCommand]
        do { commands = try layout.commands(for: slip) } catch { throw .invalidJob(id: id, message: error.description) }
        try send(commands, title: slip.number)
    }

    public func printTestSlip(_ slip: TestSlip) async throws(DeviceError) {
        let commands: [ESCPOSCommand]
        do { commands = try layout.commands(for: slip) } catch { throw .invalidJob(id: id, message: error.description) }
        try send(commands, title: "test slip")
    }

    public func status() async -> PrinterStatus {
        box.read { state, health in
            PrinterStatus(
                connected: state.connected, paper: state.connected ? state.paper : nil,
                coverOpen: state.connected ? false : nil, health: health)
        }
    }

    // MARK: Internals

    /// The health the simulated sensors imply; the worst condition wins.
    static func assess(_ s: State) -> (DeviceHealth.State, String) {
        if !s.connected { return (.absent, "disconnected") }
        if s.paper == .out { return (.fault, "paper out") }
        if let e = s.writeError { return (.fault, "cannot write the rendering: \(e)") }
        if s.paper == .nearEnd { return (.degraded, "paper near end") }
        return (.ok, "ready")
    }

    /// Sends one job: refuses it when the printer could not print, else keeps the bytes and
    /// writes the rendering. A job that throws has printed nothing.
    private func send(_ commands: [ESCPOSCommand], title: String) throws(DeviceError) {
        let bytes = ESCPOSEncoder().encode(commands)
        let renderer = ESCPOSRenderer(paperWidthDots: paperWidthDots)
        let now = clock.now()
        let (id, log, timeZone) = (self.id, self.log, self.timeZone)
        try box.mutate(assess: Self.assess) { (s, note) throws(DeviceError) in
            guard s.connected else {
                note.record("disconnected")
                throw .unavailable(id: id, reason: "disconnected")
            }
            guard s.paper != .out else {
                note.record("paper out")
                throw .fault(id: id, message: "paper out")
            }
            if let log {
                let header = "=== \(id) job \(s.jobs.count + 1): \(title) at \(ISO8601.string(now, timeZone: timeZone)) ==="
                let text = ([header] + renderer.render(bytes)).joined(separator: "\n") + "\n\n"
                do {
                    try log.append(text)
                    s.writeError = nil
                } catch {
                    let message = "\(log.path): \(error.localizedDescription)"
                    s.writeError = message
                    note.record(message)
                    throw .fault(id: id, message: "cannot write the rendering to \(message)")
                }
            }
            s.sent += bytes
            s.jobs.append(bytes)
        }
    }
}
