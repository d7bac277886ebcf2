import Hummingbird
import KioskCore
import KioskStore

/// The listener's one mapping from what services throw to HTTP answers (the socket's is
/// `Dispatcher.rpcError`): a `KioskError` by its reason, a store failure as 503.
struct KioskErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let e as KioskError {
            throw HTTPError(Self.status(e.reason), message: e.message)
        } catch let e as StoreError {
            throw HTTPError(.serviceUnavailable, message: "storage unavailable: \(e.message)")
        }
    }

    static func status(_ reason: KioskError.Reason) -> HTTPResponse.Status {
        switch reason {
        case .notFound: .notFound
        case .invalidParams: .badRequest
        case .forbidden: .forbidden
        case .storageUnavailable, .shuttingDown, .deviceUnavailable, .overloaded: .serviceUnavailable
        case .tooManyConnections: .tooManyRequests
        default: .conflict
        }
    }
}

/// Read-only by contract: GET and HEAD, anything else 405 with `Allow`.
struct ReadOnlyMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.method == .get || request.method == .head else {
            throw HTTPError(.methodNotAllowed, headers: [.allow: "GET, HEAD"],
                message: "kioskd's HTTP listener is read-only: GET and HEAD only")
        }
        return try await next(request, context)
    }
}
