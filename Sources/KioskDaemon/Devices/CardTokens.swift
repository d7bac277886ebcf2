import Foundation
import KioskCore
import Synchronization

/// Short-lived tokens that stand for the card on the reader, so a kiosk shell never handles the
/// raw ID number: `idcard.read` issues one, `queue.take {cardToken}` redeems it. A token is bound
/// to the connection that read the card and expires after `lifetime`.
final class CardTokens: Sendable {
    struct Holder: Sendable {
        var personKey: String
        var masked: String
        var idNumber: IDNumber
        var connection: UInt64
        var expires: Date
    }

    private let tokens = Mutex<[String: Holder]>([:])
    let lifetime: TimeInterval
    let clock: any HallClock

    init(lifetime: TimeInterval = 120, clock: any HallClock) {
        self.lifetime = lifetime
        self.clock = clock
    }

    func issue(for id: IDNumber, personKey: String, connection: UInt64) -> (token: String, expires: Date) {
        var bytes = [UInt8](repeating: 0, count: 16)
        for i in bytes.indices { bytes[i] = UInt8.random(in: 0...255) }
        let token = bytes.map { String(format: "%02x", $0) }.joined()
        let now = clock.now(), expires = now.addingTimeInterval(lifetime)
        tokens.withLock { t in
            t = t.filter { $0.value.expires > now }  // forget expired ones as we go
            t[token] = Holder(personKey: personKey, masked: id.masked, idNumber: id, connection: connection, expires: expires)
        }
        return (token, expires)
    }

    func redeem(_ token: String, connection: UInt64) throws -> Holder {
        let now = clock.now()
        guard let holder = tokens.withLock({ $0[token] }), holder.expires > now else {
            throw KioskError(.invalidCardToken, "the card token is unknown or expired: read the card again")
        }
        guard holder.connection == connection else {
            throw KioskError(.invalidCardToken, "the card token belongs to another connection")
        }
        return holder
    }
}
