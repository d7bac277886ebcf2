import Testing

@testable import KioskCore

/// The certificate state graph, written here as the list of legal moves per print mode and
/// delivery (independently of `CertificateLifecycle.swift`); every other pair must be refused.
@Suite("Certificates: the state machine")
struct CertificateLifecycleTests {
    typealias S = CertificateState

    struct Route: Sendable, CustomTestStringConvertible {
        var printMode: PrintMode
        var delivery: CertificateDelivery.Mode
        var testDescription: String { "\(printMode.rawValue)/\(delivery.rawValue)" }
        var lifecycle: CertificateLifecycle { CertificateLifecycle(printMode: printMode, delivery: delivery) }
    }

    static let routes = [
        Route(printMode: .now, delivery: .pickup), Route(printMode: .now, delivery: .mail),
        Route(printMode: .onPickup, delivery: .pickup),
    ]

    /// The specification: legal moves, besides `→ voided` from every state but voided.
    static func legalMoves(_ route: Route) -> Set<[S]> {
        var moves: Set<[S]> = [
            [.received, .rendered], [.received, .failed],
            [.printing, .printed], [.printing, .held], [.printing, .failed],
            [.held, .printing], [.held, .failed],
            [.failed, .rendered],
        ]
        switch route.printMode {
        case .now:
            moves.formUnion([
                [.rendered, .printing], [.rendered, .held], [.failed, .printing], [.printed, .ready],
            ])
            moves.insert(route.delivery == .mail ? [.ready, .shipped] : [.ready, .pickedUp])
        case .onPickup:
            moves.formUnion([
                [.rendered, .ready], [.ready, .printing], [.printed, .pickedUp], [.failed, .ready], [.held, .ready],
            ])
        }
        for state in S.allCases where state != .voided { moves.insert([state, .voided]) }
        return moves
    }

    @Test(arguments: routes)
    func exactlyTheSpecifiedMovesAreLegal(route: Route) {
        let legal = Self.legalMoves(route)
        for from in S.allCases {
            for to in S.allCases {
                #expect(
                    route.lifecycle.canMove(from: from, to: to) == legal.contains([from, to]),
                    "\(from.rawValue) → \(to.rawValue)")
            }
        }
    }

    @Test(arguments: routes)
    func illegalMovesThrowInvalidStateWithTheCurrentState(route: Route) {
        let legal = Self.legalMoves(route)
        for from in S.allCases {
            for to in S.allCases where !legal.contains([from, to]) {
                let error = expectRefusal(.invalidState) {
                    try route.lifecycle.checkMove("500107-01-20261121-0007", from: from, to: to)
                }
                #expect(error?.details["state"] == from.rawValue)
                #expect(error?.details["serial"] == "500107-01-20261121-0007")
            }
            for to in S.allCases where legal.contains([from, to]) {
                #expect(throws: Never.self) { try route.lifecycle.checkMove("X", from: from, to: to) }
            }
        }
    }

    /// Walks `path` and expects every step to be legal.
    func walk(_ route: Route, _ path: [S]) {
        for (from, to) in zip(path, path.dropFirst()) {
            #expect(route.lifecycle.canMove(from: from, to: to), "\(route.testDescription): \(from.rawValue) → \(to.rawValue)")
        }
    }

    @Test func printedNowAndCollected() {
        walk(Route(printMode: .now, delivery: .pickup), [.received, .rendered, .printing, .printed, .ready, .pickedUp])
    }

    @Test func printedNowAndMailed() {
        walk(Route(printMode: .now, delivery: .mail), [.received, .rendered, .printing, .printed, .ready, .shipped])
    }

    @Test func printedAtPickupIsReleasedBeforeItIsPrinted() {
        let route = Route(printMode: .onPickup, delivery: .pickup)
        walk(route, [.received, .rendered, .ready, .printing, .printed, .pickedUp])
        // Never printed before the holder is there.
        #expect(!route.lifecycle.canMove(from: .rendered, to: .printing))
        #expect(!route.lifecycle.canMove(from: .ready, to: .pickedUp))
    }

    @Test func paperOutHoldsAndResumesTheSameJob() {
        walk(Route(printMode: .now, delivery: .pickup), [.rendered, .printing, .held, .printing, .printed])
    }

    @Test func aFailedPrintIsRetriedNowButReArmedForPickup() {
        walk(Route(printMode: .now, delivery: .pickup), [.printing, .failed, .printing, .printed])
        let onPickup = Route(printMode: .onPickup, delivery: .pickup)
        walk(onPickup, [.ready, .printing, .failed, .ready, .printing, .printed, .pickedUp])
        #expect(!onPickup.lifecycle.canMove(from: .failed, to: .printing))
    }

    @Test func aMailedCertificateIsNeverHandedOverAndAPickupOneNeverShipped() {
        let mail = Route(printMode: .now, delivery: .mail).lifecycle
        let pickup = Route(printMode: .now, delivery: .pickup).lifecycle
        #expect(!mail.canMove(from: .ready, to: .pickedUp))
        #expect(!pickup.canMove(from: .ready, to: .shipped))
        let error = expectRefusal(.invalidState) { try pickup.checkMove("S", from: .ready, to: .shipped) }
        #expect(error?.message.contains("pickup") == true)
    }

    @Test(arguments: routes)
    func onlyVoidedIsTerminalAndCollectedCertificatesCanOnlyBeRevoked(route: Route) {
        #expect(route.lifecycle.successors(of: .voided).isEmpty)
        for state in [S.pickedUp, .shipped] { #expect(route.lifecycle.successors(of: state) == [.voided]) }
        #expect(S.allCases.filter(\.isTerminal) == [.voided])
        #expect(Set(S.allCases.filter(\.isCollected)) == [.pickedUp, .shipped])
        #expect(Set(S.allCases.filter(\.isInPipeline)) == [.received, .rendered, .printing, .printed, .ready, .held, .failed])
    }

    @Test func wireNamesAreTheContractOnes() {
        #expect(S.allCases.map(\.rawValue) == [
            "received", "rendered", "printing", "printed", "ready", "picked_up", "shipped", "held", "failed", "voided",
        ])
        #expect(PrintMode.onPickup.rawValue == "on_pickup")
        #expect(CertificateDelivery.Mode.allCases.map(\.rawValue) == ["pickup", "mail"])
    }

    @Test func everyStateHasItsOwnCertificateTopic() {
        for state in S.allCases {
            #expect(state.eventTopic == "certificate." + state.rawValue)
            #expect(EventTopic.matches("certificate.*", state.eventTopic))
            #expect(!EventTopic.matches("ticket.*", state.eventTopic))
        }
        #expect(Set(S.allCases.map(\.eventTopic)).count == S.allCases.count)
        #expect(EventTopic.certificatePickupRefused == "certificate.pickup_refused")
        #expect(!S.allCases.map(\.eventTopic).contains(EventTopic.certificatePickupRefused))
    }
}
