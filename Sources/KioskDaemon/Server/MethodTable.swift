import KioskCore
import KioskProtocol

/// Every method of the socket protocol in one place: who may call it (contract: a method outside
/// the role answers `forbidden`; `admin` may call everything), its params type and what runs.
/// Adding a method is one row here and its name in `Method`; a test checks that every name has
/// a row.
struct MethodEntry: Sendable {
    typealias Handler = @Sendable (Dispatcher, JSONValue?, Session) async throws -> any Encodable & Sendable
    let roles: Set<Role>
    let run: Handler
}

enum MethodTable {
    static let everyone: Set<Role> = Set(Role.allCases)
    private static let sellers: Set<Role> = [.kiosk, .counter, .admin]
    private static let counters: Set<Role> = [.counter, .admin]
    private static let technicians: Set<Role> = [.technician, .admin]
    private static let operators: Set<Role> = [.operator, .admin]
    private static let certificateReaders: Set<Role> = [.approval, .operator, .technician, .admin]

    /// A row whose params decode to `P` (absent params read as `{}`; errors name the key).
    private static func row<P: Decodable>(
        _ roles: Set<Role>, _ params: P.Type,
        _ body: @escaping @Sendable (Dispatcher, P, Session) async throws -> any Encodable & Sendable
    ) -> MethodEntry {
        MethodEntry(roles: roles) { d, raw, s in try await body(d, try Dispatcher.decodeParams(P.self, from: raw), s) }
    }

    /// A row without params.
    private static func row(
        _ roles: Set<Role>, _ body: @escaping @Sendable (Dispatcher, Session) async throws -> any Encodable & Sendable
    ) -> MethodEntry {
        MethodEntry(roles: roles) { d, _, s in try await body(d, s) }
    }

    static let entries: [Method: MethodEntry] = [
        .sessionHello: row(everyone, HelloParams.self) { d, p, s in try d.hello(p, session: s) },
        .daemonStatus: row(everyone) { d, _ in await d.status() },
        // Handled by the connection, which owns the stream; the row holds its roles.
        .eventsSubscribe: row(everyone) { _, _ in
            throw RPCError(code: RPCError.internalError, message: "events.subscribe is handled by the connection")
        },

        // Tickets
        .queueCategories: row(everyone) { d, _ in PreEncodedJSON(data: try await d.hall.categoriesJSON()) },
        .queueTake: row(sellers, TakeParams.self) { d, p, s in
            let holder = try p.cardToken.map { token in try d.takeHolder(token: token, caller: s.caller) }
            return try await d.hall.take(p, caller: s.caller, cardHolder: holder)
        },
        .queueTicket: row(everyone, TicketLookupParams.self) { d, p, _ in
            if let id = p.id { return PreEncodedJSON(data: try await d.hall.ticketJSON(id: id)) }
            return try await d.hall.ticket(id: p.id, number: p.number, date: p.date)
        },
        .queueWaiting: row(everyone, WaitingParams.self) { d, p, _ in try await d.hall.waiting(category: p.category, window: p.window) },
        .queueRequeue: row(counters, TicketParams.self) { d, p, _ in try await d.hall.requeue(ticket: p.ticket) },
        .queueCancel: row(counters, TicketParams.self) { d, p, _ in try await d.hall.cancel(ticket: p.ticket, reason: p.reason) },
        .queuePrintTicket: row(sellers, PrintTicketParams.self) { d, p, _ in try await d.hall.reprint(ticket: p.ticket, printer: p.printer) },
        .appointmentBook: row(sellers, AppointmentBookParams.self) { d, p, _ in try await d.hall.book(p) },

        // Counter windows
        .queueCall: row(counters, WindowTicketParams.self) { d, p, _ in
            try await d.hall.call(window: p.window, ticket: p.ticket).map { $0 as any Encodable & Sendable } ?? JSONValue.null
        },
        .queueRecall: row(counters, WindowTicketParams.self) { d, p, _ in try await d.hall.step(.recall, window: p.window, ticket: p.ticket) },
        .queueStart: row(counters, WindowTicketParams.self) { d, p, _ in try await d.hall.step(.start, window: p.window, ticket: p.ticket) },
        .queueFinish: row(counters, WindowTicketParams.self) { d, p, _ in try await d.hall.step(.finish, window: p.window, ticket: p.ticket) },
        .queueNoShow: row(counters, WindowTicketParams.self) { d, p, _ in try await d.hall.step(.noShow, window: p.window, ticket: p.ticket) },
        .queueTransfer: row(counters, TransferParams.self) { d, p, _ in try await d.hall.transfer(p) },
        .windowList: row(everyone) { d, _ in try await d.hall.windows() },
        .windowOpen: row(counters, WindowParams.self) { d, p, _ in
            guard let staff = p.staff, !staff.isEmpty else { throw KioskError.invalidParams("params.staff is required") }
            return try await d.hall.setWindow(p.window, .open(staff: staff))
        },
        .windowPause: row(counters, WindowParams.self) { d, p, _ in try await d.hall.setWindow(p.window, .pause) },
        .windowClose: row(counters, WindowParams.self) { d, p, _ in try await d.hall.setWindow(p.window, .close) },
        .evaluationSubmit: row(counters, EvaluationParams.self) { d, p, _ in try await d.hall.evaluate(p) },
        .statsDay: row(everyone, StatsParams.self) { d, p, _ in try await d.hall.stats(date: p.date) },

        // Devices
        .deviceList: row(everyone) { d, _ in try await d.desk().list() },
        .deviceStatus: row(everyone, DeviceParams.self) { d, p, _ in try await d.desk().status(id: p.id) },
        .deviceTest: row(technicians, DeviceParams.self) { d, p, _ in try await d.desk().test(id: p.id) },
        .idcardRead: row([.kiosk, .technician, .admin], IDCardReadParams.self) { d, p, s in
            try await d.desk().readCard(device: p.device, timeoutSeconds: p.timeoutSeconds ?? 30, caller: s.caller,
                revealFull: s.role == .admin)
        },
        .simCard: row(technicians, SimCardParams.self) { d, p, _ in try await d.desk().simCard(p) },
        .simPrinter: row(technicians, SimPrinterParams.self) { d, p, _ in try await d.desk().simPrinter(p) },
        .simKeypad: row(technicians, SimKeypadParams.self) { d, p, _ in try await d.desk().simKeypad(p) },
        .simEvaluator: row(technicians, SimEvaluatorParams.self) { d, p, _ in try await d.desk().simEvaluator(p) },

        // Screens and voice
        .screenList: row(everyone) { d, _ in d.screens.list() },
        .voiceSay: row(technicians, VoiceSayParams.self) { d, p, _ in try await d.voice.say(p.text) },
        .voiceTest: row(technicians) { d, _ in try await d.desk().test(id: try d.voice.deviceId()) },

        // Certificates
        .certSubmit: row([.approval, .admin], CertSubmitParams.self) { d, p, s in try await d.room().submit(p, caller: s.caller) },
        .certGet: row(certificateReaders, CertLookupParams.self) { d, p, _ in try await d.room().get(p) },
        .certList: row(certificateReaders, CertListParams.self) { d, p, _ in try await d.room().list(p) },
        .certRelease: row(operators, CertReleaseParams.self) { d, p, _ in try await d.room().release(p) },
        .certShip: row(operators, CertShipParams.self) { d, p, _ in try await d.room().ship(p) },
        .certVoid: row(operators, CertVoidParams.self) { d, p, _ in try await d.room().void(p) },
        .certReprint: row(operators, CertReprintParams.self) { d, p, _ in try await d.room().reprint(p) },
        .certPending: row([.kiosk, .admin], CertPendingParams.self) { d, p, s in
            try await d.room().pending(holderKey: try d.desk().holder(forToken: p.cardToken, caller: s.caller).key)
        },
        .certPickup: row([.kiosk, .admin], CertPickupParams.self) { d, p, s in
            let proof: CertificateService.PickupProof
            if let token = p.cardToken {
                let holder = try d.desk().holder(forToken: token, caller: s.caller)
                proof = .card(key: holder.key, masked: holder.masked)
            } else if let code = p.pickupCode {
                proof = .code(code)
            } else {
                throw KioskError.invalidParams("give params.cardToken (from idcard.read) or params.pickupCode")
            }
            return try await d.room().pickup(serial: p.serial, proof: proof, printer: p.printer, caller: s.caller)
        },
        .certVerify: row(everyone, CertVerifyParams.self) { d, p, _ in try await d.room().verify(p.payload) },
        .certPubkey: row(everyone) { d, _ in try d.room().publicKey() },
        .auditVerify: row([.operator, .technician, .admin], AuditVerifyParams.self) { d, p, _ in
            try await d.room().auditVerify(anchors: p.anchors ?? [])
        },
        .auditTail: row([.operator, .technician, .admin], AuditTailParams.self) { d, p, _ in try await d.room().auditTail(p.n) },
    ]

    /// The row of `method`; every `Method` has one (MethodTableTests).
    static func entry(_ method: Method) -> MethodEntry? { entries[method] }

    static func allows(_ role: Role?, _ method: Method) -> Bool {
        guard let role else { return method == .sessionHello }
        return role == .admin || (entries[method]?.roles.contains(role) ?? false)
    }
}
