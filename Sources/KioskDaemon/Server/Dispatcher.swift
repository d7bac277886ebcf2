import Foundation
import KioskCore
import KioskProtocol
import KioskStore
import Logging

/// Routes one decoded request to its handler after the role check, and turns every failure
/// into the documented JSON-RPC error. Nothing here touches sockets.
struct Dispatcher: Sendable {
    let hall: HallService
    let status: @Sendable () async -> JSONValue
    let devices: DeviceDesk?
    let certificates: CertificateService?
    let screens: ScreenDirectory?
    let voice: VoiceDesk?
    let logger: Logger

    init(hall: HallService, status: @escaping @Sendable () async -> JSONValue, devices: DeviceDesk?,
        certificates: CertificateService? = nil, screens: ScreenDirectory? = nil, voice: VoiceDesk? = nil, logger: Logger) {
        self.hall = hall
        self.status = status
        self.devices = devices
        self.certificates = certificates
        self.screens = screens
        self.voice = voice
        self.logger = logger
    }

    func handle(_ request: RPCRequest, session: Session) async -> Result<any Encodable & Sendable, RPCError> {
        guard let method = Method(rawValue: request.method) else { return .failure(.methodNotFound(request.method)) }
        guard MethodPolicy.allows(session.role, method) else {
            let role = session.role?.rawValue ?? "none"
            return .failure(Self.rpcError(KioskError(.forbidden, "role \(role) may not call \(method.rawValue)",
                details: ["role": role])))
        }
        do {
            return .success(try await route(method, params: request.params, session: session))
        } catch {
            let rpc = Self.rpcError(error)
            if rpc.code == RPCError.internalError {
                logger.failure(.error, "\(method.rawValue) failed", error)
            }
            return .failure(rpc)
        }
    }

    private func route(_ method: Method, params: JSONValue?, session: Session) async throws -> any Encodable & Sendable {
        func p<T: Decodable>(_ type: T.Type) throws -> T { try Self.decodeParams(type, from: params) }
        let caller = session.caller
        switch method {
        case .sessionHello:
            let hello = try p(HelloParams.self)
            var role: Role?
            if let r = hello.role {
                guard let parsed = Role(rawValue: r) else {
                    throw KioskError.invalidParams("unknown role \(r); roles: \(Role.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                role = parsed
            }
            if let client = hello.client {
                // Client-supplied text: printable characters only, so it cannot forge log lines.
                let name = String(client.filter { !$0.isNewline && !($0.asciiValue.map { $0 < 0x20 || $0 == 0x7F } ?? false) })
                logger.info("connection \(session.id) is \(name)")
            }
            guard session.lower(to: role, client: hello.client) else {
                throw KioskError(.forbidden, "a \(session.role?.rawValue ?? "no-role") connection cannot become \(role!.rawValue)")
            }
            return JSONValue.object([
                "role": session.role.map { .string($0.rawValue) } ?? .null, "session": .int(Int64(session.id)),
                "protocol": .string("kioskd/1"), "hall": .string(hall.config.hall.code),
            ])
        case .daemonStatus:
            return await status()
        case .queueCategories:
            return PreEncodedJSON(data: try await hall.categoriesJSON())
        case .queueTake:
            let take = try p(TakeParams.self)
            let holder = try take.cardToken.map { token in
                guard let devices else { throw KioskError(.invalidCardToken, "no ID card reader on this kioskd") }
                return try devices.holder(forToken: token, caller: caller)
            }
            return try await hall.take(take, caller: caller, cardHolder: holder)
        case .queueTicket:
            let q = try p(TicketLookupParams.self)
            if let id = q.id { return PreEncodedJSON(data: try await hall.ticketJSON(id: id)) }
            return try await hall.ticket(id: q.id, number: q.number, date: q.date)
        case .queueWaiting:
            let q = try p(WaitingParams.self)
            return try await hall.waiting(category: q.category, window: q.window)
        case .queueCall:
            let q = try p(WindowTicketParams.self)
            return try await hall.call(window: q.window, ticket: q.ticket).map { $0 as any Encodable & Sendable } ?? JSONValue.null
        case .queueRecall, .queueStart, .queueFinish, .queueNoShow:
            let q = try p(WindowTicketParams.self)
            let step: HallService.WindowStep = switch method {
            case .queueRecall: .recall
            case .queueStart: .start
            case .queueFinish: .finish
            default: .noShow
            }
            return try await hall.step(step, window: q.window, ticket: q.ticket)
        case .queueRequeue:
            return try await hall.requeue(ticket: try p(TicketParams.self).ticket)
        case .queueCancel:
            let q = try p(TicketParams.self)
            return try await hall.cancel(ticket: q.ticket, reason: q.reason)
        case .queueTransfer:
            return try await hall.transfer(try p(TransferParams.self))
        case .queuePrintTicket:
            let q = try p(PrintTicketParams.self)
            return try await hall.reprint(ticket: q.ticket, printer: q.printer)
        case .appointmentBook:
            return try await hall.book(try p(AppointmentBookParams.self))
        case .windowList:
            return try await hall.windows()
        case .windowOpen:
            let q = try p(WindowParams.self)
            guard let staff = q.staff, !staff.isEmpty else { throw KioskError.invalidParams("params.staff is required") }
            return try await hall.setWindow(q.window, .open(staff: staff))
        case .windowPause:
            return try await hall.setWindow(try p(WindowParams.self).window, .pause)
        case .windowClose:
            return try await hall.setWindow(try p(WindowParams.self).window, .close)
        case .evaluationSubmit:
            return try await hall.evaluate(try p(EvaluationParams.self))
        case .statsDay:
            return try await hall.stats(date: try p(StatsParams.self).date)
        case .eventsSubscribe:
            // Handled by the connection, which owns the stream; never routed here.
            throw RPCError(code: RPCError.internalError, message: "events.subscribe is handled by the connection")
        case .deviceList:
            return try await desk().list()
        case .deviceStatus:
            return try await desk().status(id: try p(DeviceParams.self).id)
        case .deviceTest:
            return try await desk().test(id: try p(DeviceParams.self).id)
        case .idcardRead:
            let q = try p(IDCardReadParams.self)
            return try await desk().readCard(device: q.device, timeoutSeconds: q.timeoutSeconds ?? 30, caller: caller,
                revealFull: session.role == .admin)
        case .simCard:
            return try await desk().simCard(try p(SimCardParams.self))
        case .simPrinter:
            return try await desk().simPrinter(try p(SimPrinterParams.self))
        case .certSubmit:
            return try await room().submit(try p(CertSubmitParams.self), caller: caller)
        case .certGet:
            return try await room().get(try p(CertLookupParams.self))
        case .certList:
            return try await room().list(try p(CertListParams.self))
        case .certRelease:
            return try await room().release(try p(CertReleaseParams.self))
        case .certShip:
            return try await room().ship(try p(CertShipParams.self))
        case .certVoid:
            return try await room().void(try p(CertVoidParams.self))
        case .certReprint:
            return try await room().reprint(try p(CertReprintParams.self))
        case .certPending:
            let q = try p(CertPendingParams.self)
            return try await room().pending(holderKey: try desk().holder(forToken: q.cardToken, caller: caller).key)
        case .certPickup:
            let q = try p(CertPickupParams.self)
            let proof: CertificateService.PickupProof
            if let token = q.cardToken {
                let holder = try desk().holder(forToken: token, caller: caller)
                proof = .card(key: holder.key, masked: holder.masked)
            } else if let code = q.pickupCode {
                proof = .code(code)
            } else {
                throw KioskError.invalidParams("give params.cardToken (from idcard.read) or params.pickupCode")
            }
            return try await room().pickup(serial: q.serial, proof: proof, printer: q.printer, caller: caller)
        case .certVerify:
            return try await room().verify(try p(CertVerifyParams.self).payload)
        case .certPubkey:
            return try room().publicKey()
        case .auditVerify:
            return try await room().auditVerify(anchors: try p(AuditVerifyParams.self).anchors ?? [])
        case .auditTail:
            return try await room().auditTail(try p(AuditTailParams.self).n)
        case .screenList:
            return screens?.list() ?? JSONValue.object(["listen": .null, "screens": .array([])])
        case .voiceSay:
            return try await voiceDesk().say(try p(VoiceSayParams.self).text)
        case .voiceTest:
            return try await desk().test(id: try voiceDesk().deviceId())
        }
    }

    private func room() throws -> CertificateService {
        guard let certificates else { throw KioskError(.invalidState, "certificate printing is not set up on this kioskd") }
        return certificates
    }

    private func voiceDesk() throws -> VoiceDesk {
        guard let voice else { throw KioskError(.deviceUnavailable, "no [voice] is configured on this kioskd") }
        return voice
    }

    private func desk() throws -> DeviceDesk {
        guard let devices else { throw KioskError(.deviceUnavailable, "no devices are configured") }
        return devices
    }

    /// The request's `params`, typed from the tree the line was parsed into (one JSON pass);
    /// absent or null params read as `{}`. Missing or mistyped params → -32602 with the path of
    /// the offending key; a value outside a documented limit → -32602 naming the limit.
    static func decodeParams<T: Decodable>(_ type: T.Type, from params: JSONValue?) throws -> T {
        let value = try mapDecodingErrors {
            let value: JSONValue = switch params {
            case nil, .null?: .object([:])
            case let p?: p
            }
            return try JSONValueDecoder.decode(T.self, from: value)
        }
        if let bounded = value as? any BoundedParams { try bounded.checkLimits() }
        return value
    }

    static func mapDecodingErrors<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let DecodingError.keyNotFound(key, ctx) {
            throw RPCError.invalidParams("params.\(path(ctx.codingPath + [key])) is required")
        } catch let DecodingError.typeMismatch(expected, ctx) {
            throw RPCError.invalidParams("params.\(path(ctx.codingPath)) must be \(describe(expected))")
        } catch let DecodingError.valueNotFound(expected, ctx) {
            throw RPCError.invalidParams("params.\(path(ctx.codingPath)) must be \(describe(expected)), not null")
        } catch let DecodingError.dataCorrupted(ctx) {
            throw RPCError.invalidParams("params.\(path(ctx.codingPath)): \(ctx.debugDescription)")
        }
    }

    private static func path(_ keys: [any CodingKey]) -> String {
        keys.drop(while: { $0.stringValue == "params" }).map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is Int64.Type: "an integer"
        case is Bool.Type: "true or false"
        case is Double.Type: "a number"
        case is [String].Type: "an array of strings"
        case is [String: Any].Type: "an object"
        case is [Any].Type: "an array"
        default: "\(type)"
        }
    }

    /// Every error a handler can throw, as its wire form.
    static func rpcError(_ error: any Error) -> RPCError {
        switch error {
        case let e as RPCError: return e
        case let e as KioskError: return RPCError(code: e.reason.code, message: e.message, reason: e.reason.rawValue, details: e.details)
        case let e as StoreError:
            return RPCError(code: KioskError.Reason.storageUnavailable.code, message: "storage unavailable: \(e.message)",
                reason: KioskError.Reason.storageUnavailable.rawValue)
        default:
            return RPCError(code: RPCError.internalError, message: "internal error: \(String(describing: error))", reason: "internal")
        }
    }
}
