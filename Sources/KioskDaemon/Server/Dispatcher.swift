import Foundation
import KioskCore
import KioskProtocol
import KioskStore
import Logging

/// Routes one decoded request to its handler after the role check, and turns every failure
/// into the documented JSON-RPC error. Nothing here touches sockets.
struct Dispatcher: Sendable {
    let hall: HallService
    let status: @Sendable () async -> any Encodable & Sendable
    let devices: DeviceDesk?
    let certificates: CertificateService?
    let screens: ScreenDirectory
    let voice: VoiceDesk
    let logger: Logger

    init(hall: HallService, status: @escaping @Sendable () async -> any Encodable & Sendable, devices: DeviceDesk?,
        certificates: CertificateService? = nil, screens: ScreenDirectory? = nil, voice: VoiceDesk? = nil, logger: Logger) {
        self.hall = hall
        self.status = status
        self.devices = devices
        self.certificates = certificates
        // Without them (tests): no screens listed, "no [voice] is configured".
        self.screens = screens ?? ScreenDirectory(hall: hall, streams: ScreenStreams())
        self.voice = voice ?? VoiceDesk(device: nil)
        self.logger = logger
    }

    func handle(_ request: RPCRequest, session: Session) async -> Result<any Encodable & Sendable, RPCError> {
        guard let method = Method(rawValue: request.method) else { return .failure(.methodNotFound(request.method)) }
        guard MethodTable.allows(session.role, method) else {
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
        guard let entry = MethodTable.entry(method) else { throw RPCError.methodNotFound(method.rawValue) }
        return try await entry.run(self, params, session)
    }

    /// `session.hello`: names the client (for the log) and may lower the connection's role.
    func hello(_ hello: HelloParams, session: Session) throws -> JSONValue {
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
        return .object([
            "role": session.role.map { .string($0.rawValue) } ?? .null, "session": .int(Int64(session.id)),
            "protocol": .string("kioskd/1"), "hall": .string(hall.config.hall.code),
        ])
    }

    /// The holder behind a card token given to `queue.take`.
    func takeHolder(token: String, caller: Caller) throws -> (key: String, masked: String, age: Int?) {
        guard let devices else { throw KioskError(.invalidCardToken, "no ID card reader on this kioskd") }
        return try devices.holder(forToken: token, caller: caller)
    }

    func room() throws -> CertificateService {
        guard let certificates else { throw KioskError(.invalidState, "certificate printing is not set up on this kioskd") }
        return certificates
    }

    func desk() throws -> DeviceDesk {
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
