import Synchronization

/// The one observer of a reader's card placements, called outside any lock.
final class PresentationSignal: Sendable {
    private let observer = Mutex<(@Sendable (IDCard.CardType) -> Void)?>(nil)

    func observe(_ body: @escaping @Sendable (IDCard.CardType) -> Void) {
        observer.withLock { $0 = body }
    }

    func send(_ type: IDCard.CardType) {
        observer.withLock { $0 }?(type)
    }
}
