import Synchronization

/// The one observer of a reader's card placements, called outside any lock.
final class PresentationSignal: Sendable {
    /// In a struct: a bare closure read out of a `Mutex` (an inout access) is written back wrapped
    /// in two more reabstraction thunks each time, so every card placed would deepen the next call.
    private struct Observer: Sendable {
        let call: @Sendable (IDCard.CardType) -> Void
    }

    private let observer = Mutex<Observer?>(nil)

    func observe(_ body: @escaping @Sendable (IDCard.CardType) -> Void) {
        observer.withLock { $0 = Observer(call: body) }
    }

    func send(_ type: IDCard.CardType) {
        observer.withLock { $0 }?.call(type)
    }
}
