import Foundation
import KioskCore
import KioskProtocol
import Logging
import Testing

@testable import KioskDaemon

/// The method table, its roles and the dispatcher, in process: no socket, no binary.
@Suite struct MethodTableTests {
    @Test func everyMethodHasARow() {
        let missing = Method.allCases.filter { MethodTable.entry($0) == nil }
        #expect(missing.isEmpty, "no row for \(missing.map(\.rawValue))")
    }

    @Test func rolesAreTheContracts() {
        // A kiosk issues and reads cards but does not call; a display only reads.
        #expect(MethodTable.allows(.kiosk, .queueTake) && MethodTable.allows(.kiosk, .idcardRead))
        #expect(!MethodTable.allows(.kiosk, .queueCall) && !MethodTable.allows(.kiosk, .certRelease))
        #expect(MethodTable.allows(.display, .eventsSubscribe) && MethodTable.allows(.display, .screenList))
        #expect(!MethodTable.allows(.display, .queueTake) && !MethodTable.allows(.display, .voiceSay))
        #expect(MethodTable.allows(.counter, .queueCall) && MethodTable.allows(.counter, .evaluationSubmit))
        #expect(MethodTable.allows(.technician, .deviceTest) && MethodTable.allows(.technician, .voiceSay))
        #expect(!MethodTable.allows(.technician, .queueCall))
        #expect(MethodTable.allows(.approval, .certSubmit) && !MethodTable.allows(.operator, .certSubmit))
        // Without a role only the hello; admin everything.
        #expect(Method.allCases.filter { MethodTable.allows(nil, $0) } == [.sessionHello])
        #expect(Method.allCases.allSatisfy { MethodTable.allows(.admin, $0) })
    }

    func dispatcher(_ f: HallFixture) -> Dispatcher {
        Dispatcher(hall: f.hall, status: { JSONValue.object(["ok": .bool(true)]) }, devices: nil, logger: Logger(label: "test"))
    }

    func call(_ d: Dispatcher, _ method: String, _ params: JSONValue? = nil, role: Role?) async -> Result<any Encodable & Sendable, RPCError> {
        await d.handle(RPCRequest(id: .number(1), method: method, params: params), session: Session(id: 1, peer: nil, role: role))
    }

    @Test func aRequestRunsItsRowAfterTheRoleCheck() async throws {
        let f = try HallFixture()
        let d = dispatcher(f)
        guard case .success(let ticket as TicketView) = await call(d, "queue.take", ["category": "C"], role: .kiosk) else {
            Issue.record("queue.take did not answer a ticket")
            return
        }
        #expect(ticket.number == "C001")
        guard case .failure(let forbidden) = await call(d, "queue.take", ["category": "C"], role: .display) else {
            Issue.record("a display took a ticket")
            return
        }
        #expect(forbidden.code == 1001 && forbidden.reason == "forbidden")
        #expect(try await f.store.read { try $0.ticketCount() } == 1, "a refused request changed nothing")
    }

    @Test func badParamsAnUnknownMethodAndAMissingServiceAreClearErrors() async throws {
        let f = try HallFixture()
        let d = dispatcher(f)
        guard case .failure(let bad) = await call(d, "queue.take", ["category": 3], role: .kiosk) else {
            Issue.record("accepted a number as a category")
            return
        }
        #expect(bad.code == RPCError.invalidParams && bad.message.contains("params.category"))
        guard case .failure(let unknown) = await call(d, "queue.teleport", role: .admin) else {
            Issue.record("an unknown method answered")
            return
        }
        #expect(unknown.code == RPCError.methodNotFound)
        guard case .failure(let noVoice) = await call(d, "voice.say", ["text": "测试"], role: .technician) else {
            Issue.record("voice.say answered without a voice")
            return
        }
        #expect(noVoice.reason == "device_unavailable")
        guard case .failure(let lowered) = await call(d, "session.hello", ["role": "admin"], role: .kiosk) else {
            Issue.record("a kiosk became admin")
            return
        }
        #expect(lowered.reason == "forbidden")
    }
}
