import Foundation

/// The whole configuration of one kioskd, as read from its TOML file (`--config PATH`).
///
/// Plain values only: parsing and error reporting live in `KioskConfig`; these types are what the
/// rest of the daemon works with. Relative paths are already resolved against the file's folder.
public struct HallConfig: Sendable, Equatable {
    public var daemon: DaemonSettings
    public var hall: HallInfo
    public var storage: StorageSettings
    public var queue: QueueSettings
    public var categories: [Category]
    public var windows: [Window]
    public var access: AccessTable
    public var devices: [DeviceConfig]
    /// `[certificates]` and `[[departments]]`; defaults when the file has neither.
    public var certificates = CertificatesConfig()
    /// `[http]`; nil = no HTTP listener.
    public var http: HTTPSettings?
    /// `[[screens]]`, served by the HTTP listener.
    public var screens: [ScreenConfig] = []
    /// `[voice]`; nil when the file has none (no announcements).
    public var voice: VoiceSettings?

    public init(
        daemon: DaemonSettings, hall: HallInfo, storage: StorageSettings = StorageSettings(),
        queue: QueueSettings = QueueSettings(), categories: [Category], windows: [Window],
        access: AccessTable = AccessTable(), devices: [DeviceConfig] = []
    ) {
        self.daemon = daemon
        self.hall = hall
        self.storage = storage
        self.queue = queue
        self.categories = categories
        self.windows = windows
        self.access = access
        self.devices = devices
    }

    public func category(_ id: String) -> Category? { categories.first { $0.id == id } }
    public func window(_ id: String) -> Window? { windows.first { $0.id == id } }
    public func screen(_ id: String) -> ScreenConfig? { screens.first { $0.id == id } }

    /// The hall's calendar: which hall-day an instant belongs to.
    public var calendar: HallCalendar {
        HallCalendar(timeZone: daemon.timeZone, dayStartsAtMinutes: daemon.dayStartsAtMinutes)
    }
}

/// `[daemon]`: where the daemon listens and keeps its state, and the hall's local time.
public struct DaemonSettings: Sendable, Equatable {
    public var socket: String
    /// Group that owns the socket (mode 0660); nil keeps the daemon's own group.
    public var socketGroup: String?
    public var stateDir: String
    public var timeZone: TimeZone
    /// Minutes after local midnight at which a new hall-day (and new ticket numbers) begins.
    public var dayStartsAtMinutes: Int
    /// swift-log level name: trace, debug, info, notice, warning, error, critical.
    public var logLevel: String
    /// Events queued for one subscriber before it is cut off as too slow.
    public var subscriberBuffer: Int = 4096
    /// Bytes queued for one subscriber before it is cut off as too slow (whichever bound is hit first).
    public var subscriberBufferBytes: Int = 256 * 1024
    /// Connections served at once (an `admin` peer may go a few beyond); nil derives it from
    /// the open-file limit (`RLIMIT_NOFILE`) minus a reserve.
    public var maxConnections: Int?
    /// A connection holding an unfinished line longer than this is answered and closed.
    public var idleLineSeconds: Int = 30
    /// Memory all connections together may hold in unfinished lines (beyond a small allowance each).
    public var lineMemoryMiB: Int = 64
    /// How long a card token from `idcard.read` stays valid (for the same connection).
    public var cardTokenSeconds: Int = 120
    /// This machine's name in the hall (终端名, `T01`): which terminal's devices are which when
    /// several daemons share one database. Default: the host name, up to its first dot.
    public var terminal: String = DaemonSettings.hostTerminalName
    /// With a shared database: another terminal that has not reported for this long (it reports
    /// every `TerminalReport.interval`) is shown as stale, its devices' states as last known.
    public var terminalStaleSeconds: Int = 60

    /// The host name without its domain ("kiosk-03" of "kiosk-03.hall.local"), or "kioskd".
    public static var hostTerminalName: String {
        let host = ProcessInfo.processInfo.hostName.split(separator: ".").first.map(String.init) ?? ""
        return host.isEmpty || host == "localhost" ? "kioskd" : host
    }

    public init(
        socket: String = "/run/kioskd/kioskd.sock", socketGroup: String? = nil,
        stateDir: String = "/var/lib/kioskd", timeZone: TimeZone = TimeZone(identifier: "Asia/Shanghai")!,
        dayStartsAtMinutes: Int = 0, logLevel: String = "info"
    ) {
        self.socket = socket
        self.socketGroup = socketGroup
        self.stateDir = stateDir
        self.timeZone = timeZone
        self.dayStartsAtMinutes = dayStartsAtMinutes
        self.logLevel = logLevel
    }
}

/// `[hall]`: the service hall this daemon belongs to (政务服务大厅).
public struct HallInfo: Sendable, Equatable {
    public var code: String
    public var name: String
    public init(code: String, name: String) {
        self.code = code
        self.name = name
    }
}

/// `[storage]`: SQLite in the state dir by default, PostgreSQL when halls share a database.
public struct StorageSettings: Sendable, Equatable {
    public enum Backend: String, Sendable, Equatable { case sqlite, postgres }
    public var backend: Backend
    /// SQLite file (default `<state_dir>/kioskd.sqlite`) or a `postgres://` URL.
    public var path: String?
    public var url: String?
    public init(backend: Backend = .sqlite, path: String? = nil, url: String? = nil) {
        self.backend = backend
        self.path = path
        self.url = url
    }
}

/// `[queue]`: the knobs of the queue rules. Defaults are the issue's.
public struct QueueSettings: Sendable, Equatable {
    /// Age (from the ID card) at which a ticket is put in the green channel automatically.
    public var greenChannelAge: Int = 60
    /// Most priority tickets called in a row while a normal ticket waits.
    public var priorityBurst: Int = 3
    public var maxRecalls: Int = 3
    /// How many times a no-show may be put back in the queue.
    public var requeueLimit: Int = 1
    /// A category whose oldest wait or estimate passes this raises `queue.alert`.
    public var alertWaitSeconds: Int = 1800
    /// Service time assumed for a category before any case of the day has finished.
    public var defaultServiceSeconds: Int = 600
    /// An evaluator (评价器) rates the case its window finished at most this long ago.
    public var evaluationWindowSeconds: Int = 300
    public init() {}
}

/// A service line (业务类别) with its own letter prefix, daily numbering, limit (号源) and hours.
public struct Category: Sendable, Equatable, Identifiable {
    public var id: String
    public var name: String
    public var prefix: String
    /// Tickets that may be issued per hall-day; nil is unlimited.
    public var dailyLimit: Int?
    public var hours: OpeningHours
    /// 先预审、后排队: only a counter at a pre-review window may issue this category's tickets.
    public var requiresPrereview: Bool

    public init(
        id: String, name: String, prefix: String, dailyLimit: Int? = nil,
        hours: OpeningHours = .allDay, requiresPrereview: Bool = false
    ) {
        self.id = id
        self.name = name
        self.prefix = prefix
        self.dailyLimit = dailyLimit
        self.hours = hours
        self.requiresPrereview = requiresPrereview
    }
}

/// A counter window (窗口) and the categories it serves, in precedence order.
public struct Window: Sendable, Equatable, Identifiable {
    public var id: String
    public var name: String
    public var serves: [String]
    /// A pre-review desk (预审窗口): its counter may issue tickets of `requires_prereview` categories.
    public var prereview: Bool
    /// How announcements name the window (`voice_name`, "三号窗口"); nil says `name`.
    public var voiceName: String?

    public init(id: String, name: String, serves: [String], prereview: Bool = false, voiceName: String? = nil) {
        self.id = id
        self.name = name
        self.serves = serves
        self.prereview = prereview
        self.voiceName = voiceName
    }

    /// What the voice says for this window: its `voice_name`, else its name.
    public var spokenName: String { voiceName ?? name }
}

/// `[access]`: which local users and groups get which role on the socket.
public struct AccessTable: Sendable, Equatable {
    public struct Rule: Sendable, Equatable {
        public var users: [String]
        public var groups: [String]
        public init(users: [String] = [], groups: [String] = []) {
            self.users = users
            self.groups = groups
        }
    }
    public var rules: [Role: Rule]
    public init(rules: [Role: Rule] = [:]) { self.rules = rules }
}

/// One `[[devices]]` entry.
public struct DeviceConfig: Sendable, Equatable, Identifiable {
    public enum Kind: String, Sendable, Equatable, CaseIterable {
        case idcardReader = "idcard-reader"
        case receiptPrinter = "receipt-printer"
        case certificatePrinter = "certificate-printer"
        case windowDisplay = "window-display"
        /// 呼叫器: the call / recall / pause keys on a window's desk.
        case callerKeypad = "caller-keypad"
        case voice
        case evaluator

        /// Window devices hang on RS-485 buses: several entries may share one `path`, each
        /// with its own `address`.
        public var isWindowDevice: Bool { [.windowDisplay, .callerKeypad, .evaluator].contains(self) }
    }
    public enum Transport: String, Sendable, Equatable, CaseIterable {
        case serial, usb, file, tcp, cups, simulated
    }
    public var id: String
    public var kind: Kind
    public var transport: Transport
    public var path: String?
    public var match: String?
    public var baud: Int?
    public var host: String?
    public var port: Int?
    public var queue: String?
    /// Paper width in dots for printers (384 = 58 mm, 576 = 80 mm).
    public var paperWidthDots: Int?
    /// Where a simulated printer writes its readable rendering (default: state dir).
    public var output: String?
    /// A receipt printer's ticket layout (`layout = "tickets/….toml"`); nil prints
    /// `TicketTemplate.standard`.
    public var ticketLayout: TicketTemplate?
    /// A window device's protocol (`Devices/profiles/<profile>.toml`: "led-a5", "keypad-68").
    public var profile: String?
    /// A window device's address on its bus.
    public var address: Int?
    /// The window a window device belongs to (窗口).
    public var window: String?

    public init(
        id: String, kind: Kind, transport: Transport, path: String? = nil, match: String? = nil,
        baud: Int? = nil, host: String? = nil, port: Int? = nil, queue: String? = nil,
        paperWidthDots: Int? = nil, output: String? = nil, ticketLayout: TicketTemplate? = nil
    ) {
        self.id = id
        self.kind = kind
        self.transport = transport
        self.path = path
        self.match = match
        self.baud = baud
        self.host = host
        self.port = port
        self.queue = queue
        self.paperWidthDots = paperWidthDots
        self.output = output
        self.ticketLayout = ticketLayout
    }
}
