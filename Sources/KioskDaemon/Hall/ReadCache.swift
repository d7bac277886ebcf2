import Foundation
import KioskProtocol
import Synchronization

/// Encoded answers of hot read methods (`queue.categories`, `queue.ticket`), valid until the
/// store's next commit. Not a second queue: every entry is computed from the database and thrown
/// away by the next commit, so a reader never sees a state the database did not hold. Hall
/// screens and kiosks poll these many times a second; between changes they cost a lookup.
final class ReadCache: Sendable {
    struct Key: Hashable, Sendable {
        var generation: UInt64
        /// What else the answer depends on (the hall-day and minute: opening hours, "today").
        var context: String
    }

    private struct State {
        var key: Key?
        var entries: [String: Data] = [:]
    }

    private let state = Mutex(State())
    /// Entries kept per generation; a flood of distinct lookups cannot grow it without bound.
    let capacity: Int

    init(capacity: Int = 4096) { self.capacity = capacity }

    /// The cached answer for `item` at `key`, or computes, stores and returns it. A nil generation
    /// (a store that cannot see every commit) bypasses the cache.
    func value(_ item: String, generation: UInt64?, context: String, compute: () async throws -> Data) async throws -> Data {
        guard let generation else { return try await compute() }
        let key = Key(generation: generation, context: context)
        if let hit = state.withLock({ $0.key == key ? $0.entries[item] : nil }) { return hit }
        let data = try await compute()
        state.withLock { s in
            if s.key != key {
                // Keep only the newest generation; an older computation never replaces it.
                guard s.key.map({ $0.generation <= generation }) ?? true else { return }
                s.key = key
                s.entries = [:]
            }
            if s.entries.count < capacity { s.entries[item] = data }
        }
        return data
    }
}

/// A result already encoded as JSON, spliced into the response as it is.
struct PreEncodedJSON: Encodable, Sendable {
    let data: Data
    func encode(to encoder: Encoder) throws {
        // Only used when the connection writes the response itself (see Connection.encode).
        var c = encoder.singleValueContainer()
        try c.encode(try JSONCoding.decoder.decode(JSONValue.self, from: data))
    }
}
