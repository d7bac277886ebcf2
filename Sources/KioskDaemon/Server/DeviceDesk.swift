import KioskCore
import KioskProtocol

/// What the socket methods need from the devices: the daemon's device layer conforms to it.
protocol DeviceDesk: Sendable {
    func list() async throws -> JSONValue
    func status(id: String) async throws -> JSONValue
    func test(id: String) async throws -> JSONValue
    func readCard(device: String?, timeoutSeconds: Double, caller: Caller, revealFull: Bool) async throws -> JSONValue
    func simCard(_ params: SimCardParams) async throws -> JSONValue
    func simPrinter(_ params: SimPrinterParams) async throws -> JSONValue
    func simKeypad(_ params: SimKeypadParams) async throws -> JSONValue
    func simEvaluator(_ params: SimEvaluatorParams) async throws -> JSONValue
    /// The holder behind a card token issued to this caller by `idcard.read`.
    func holder(forToken token: String, caller: Caller) throws -> (key: String, masked: String, age: Int?)
}
