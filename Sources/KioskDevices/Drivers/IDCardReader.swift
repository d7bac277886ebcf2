/// A second-generation ID card reader (二代身份证阅读器), reached through a SAM module over serial
/// or USB on real hardware.
public protocol IDCardReader: Device {
    /// Waits until a card is placed on the reader and returns what it holds.
    ///
    /// Each placement is read once: a card left on the reader is not returned again until it
    /// is lifted and presented again (as the SAM "find card" command behaves). Throws `timeout`
    /// when no card comes within `timeout`, `cancelled` when the calling task is cancelled, and
    /// `unavailable` when the reader is not there.
    func readCard(timeout: Duration) async throws(DeviceError) -> IDCard
    /// Asks the reader for its status, refreshing `health` on the way.
    func status() async -> ReaderStatus
    /// Registers the one observer of card placements (the registry, for `idcard.presented`).
    /// Called once per placement the reader notices — by a waiting `readCard` or by its own
    /// watch — with the card's type only.
    func observePresentations(_ observer: @escaping @Sendable (IDCard.CardType) -> Void)
}
