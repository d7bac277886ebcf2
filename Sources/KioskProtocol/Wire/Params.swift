/// Request params, one type per method family. Unknown keys are ignored so params may grow.

public struct HelloParams: Codable, Sendable {
    public var role: String?
    /// Free text naming the client ("hall-screen-2"), for logs.
    public var client: String?
    public init(role: String? = nil, client: String? = nil) {
        self.role = role
        self.client = client
    }
}

public struct TakeParams: Codable, Sendable {
    public var category: String?
    public var idNumber: String?
    public var cardToken: String?
    /// "green" to ask for the green channel (绿色通道); "normal" otherwise.
    public var priority: String?
    public var appointmentCode: String?
    public var print: Bool?
    /// Receipt printer to use; the first one configured when absent.
    public var printer: String?
    /// The window of the counter issuing (pre-review desks).
    public var window: String?
    public init(category: String? = nil, idNumber: String? = nil, cardToken: String? = nil, priority: String? = nil,
        appointmentCode: String? = nil, print: Bool? = nil, printer: String? = nil, window: String? = nil) {
        self.category = category
        self.idNumber = idNumber
        self.cardToken = cardToken
        self.priority = priority
        self.appointmentCode = appointmentCode
        self.print = print
        self.printer = printer
        self.window = window
    }
}

public struct TicketLookupParams: Codable, Sendable {
    public var id: Int64?
    public var number: String?
    /// Hall-day of `number` ("2026-11-21"); today when absent.
    public var date: String?
    public init(id: Int64? = nil, number: String? = nil, date: String? = nil) {
        self.id = id
        self.number = number
        self.date = date
    }
}

/// `queue.call`, `queue.recall`, `queue.start`, `queue.finish`, `queue.noShow`: a window and,
/// optionally, the ticket (which must be the window's for all but `queue.call`).
public struct WindowTicketParams: Codable, Sendable {
    public var window: String
    public var ticket: Int64?
    public init(window: String, ticket: Int64? = nil) {
        self.window = window
        self.ticket = ticket
    }
}

public struct TicketParams: Codable, Sendable {
    public var ticket: Int64
    public var reason: String?
    public init(ticket: Int64, reason: String? = nil) {
        self.ticket = ticket
        self.reason = reason
    }
}

/// `queue.printTicket`: reprint a waiting ticket's slip, on `printer` or the first one.
public struct PrintTicketParams: Codable, Sendable {
    public var ticket: Int64
    public var printer: String?
    public init(ticket: Int64, printer: String? = nil) {
        self.ticket = ticket
        self.printer = printer
    }
}

public struct TransferParams: Codable, Sendable {
    public var window: String
    public var ticket: Int64?
    public var toCategory: String?
    public var toWindow: String?
    /// "front" or "back" (default).
    public var position: String?
    public init(window: String, ticket: Int64? = nil, toCategory: String? = nil, toWindow: String? = nil, position: String? = nil) {
        self.window = window
        self.ticket = ticket
        self.toCategory = toCategory
        self.toWindow = toWindow
        self.position = position
    }
}

public struct WindowParams: Codable, Sendable {
    public var window: String
    public var staff: String?
    public init(window: String, staff: String? = nil) {
        self.window = window
        self.staff = staff
    }
}

public struct WaitingParams: Codable, Sendable {
    public var category: String?
    public var window: String?
    public init(category: String? = nil, window: String? = nil) {
        self.category = category
        self.window = window
    }
}

public struct EvaluationParams: Codable, Sendable {
    public var ticket: Int64
    public var score: Int
    public var caseNumber: String?
    public var comment: String?
    public init(ticket: Int64, score: Int, caseNumber: String? = nil, comment: String? = nil) {
        self.ticket = ticket
        self.score = score
        self.caseNumber = caseNumber
        self.comment = comment
    }
}

public struct StatsParams: Codable, Sendable {
    public var date: String?
    public init(date: String? = nil) { self.date = date }
}

public struct SubscribeParams: Codable, Sendable {
    /// Patterns; `ticket.*` matches a prefix. All topics when absent.
    public var topics: [String]?
    /// Replay stored events after this seq first.
    public var since: Int64?
    public init(topics: [String]? = nil, since: Int64? = nil) {
        self.topics = topics
        self.since = since
    }
}

public struct DeviceParams: Codable, Sendable {
    public var id: String
    public init(id: String) { self.id = id }
}

/// `voice.say`: a technician's test of the voice device with any text (at most 200 characters).
public struct VoiceSayParams: Codable, Sendable, BoundedParams {
    public var text: String
    public init(text: String) { self.text = text }
    public func checkLimits() throws {
        guard !text.allSatisfy(\.isWhitespace), text.count <= 200 else {
            throw RPCError.invalidParams("text must be 1 to 200 characters")
        }
    }
}

public struct AppointmentBookParams: Codable, Sendable {
    public var category: String
    public var code: String
    public var slotStart: String
    public var slotEnd: String
    public var idNumber: String?
    public init(category: String, code: String, slotStart: String, slotEnd: String, idNumber: String? = nil) {
        self.category = category
        self.code = code
        self.slotStart = slotStart
        self.slotEnd = slotEnd
        self.idNumber = idNumber
    }
}

public struct IDCardReadParams: Codable, Sendable {
    public var device: String?
    public var timeoutSeconds: Double?
    public init(device: String? = nil, timeoutSeconds: Double? = nil) {
        self.device = device
        self.timeoutSeconds = timeoutSeconds
    }
}

/// `sim.card`: put a card on a simulated reader (or take it off with `remove: true`).
public struct SimCardParams: Codable, Sendable {
    public var device: String?
    public var remove: Bool?
    public var name: String?
    public var idNumber: String?
    public var sex: String?
    public var nation: String?
    public var address: String?
    public init(device: String? = nil, remove: Bool? = nil, name: String? = nil, idNumber: String? = nil,
        sex: String? = nil, nation: String? = nil, address: String? = nil) {
        self.device = device
        self.remove = remove
        self.name = name
        self.idNumber = idNumber
        self.sex = sex
        self.nation = nation
        self.address = address
    }
}

/// `sim.printer`: change a simulated printer's paper or connection (demo, kiosk-shell testing).
public struct SimPrinterParams: Codable, Sendable {
    public var device: String?
    /// "ok", "near_end" or "out".
    public var paper: String?
    public var connected: Bool?
    public init(device: String? = nil, paper: String? = nil, connected: Bool? = nil) {
        self.device = device
        self.paper = paper
        self.connected = connected
    }
}

/// `sim.keypad`: press a key of a window's simulated caller keypad.
public struct SimKeypadParams: Codable, Sendable {
    public var window: String
    /// call, recall, start, finish, no_show, pause, resume.
    public var key: String
    public var device: String?
    public init(window: String, key: String, device: String? = nil) {
        self.window = window
        self.key = key
        self.device = device
    }
}

/// `sim.evaluator`: rate on a window's simulated evaluator (1 非常不满意 … 5 非常满意).
public struct SimEvaluatorParams: Codable, Sendable {
    public var window: String
    public var score: Int
    public var device: String?
    public init(window: String, score: Int, device: String? = nil) {
        self.window = window
        self.score = score
        self.device = device
    }
}
