import Foundation
import KioskCore
import KioskProtocol
import KioskStore

/// `GET /screens/{id}/state`: what a hall screen shows when it (re)loads — today's recent calls
/// newest first, the waiting count of each of its categories, its windows — read in one snapshot
/// together with `seq`, the last event it reflects, so the page streams on from exactly there.
enum ScreenState {
    static func make(screen: ScreenConfig, config: HallConfig, store: any Store, now: Date) async throws -> JSONValue {
        let calendar = config.calendar, day = calendar.day(for: now), dayStart = calendar.start(of: day)
        let categories = config.categories.filter { screen.categories?.contains($0.id) ?? true }
        let windows = config.windows.filter { screen.windows?.contains($0.id) ?? true }
        let names = Dictionary(config.windows.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        let zone = config.daemon.timeZone
        return try await store.read { r in
            let seq = try r.lastEventSeq()
            var calls: [JSONValue] = []
            var upTo = seq
            // Walk back through today's calls until the screen has its own `calls` of them.
            while calls.count < screen.calls {
                let batch = try r.events(upTo: upTo, since: dayStart, topics: ScreenEvent.callTopics, limit: 200)
                for e in batch where calls.count < screen.calls {
                    guard let view = ScreenEvent.view(e, for: screen, timeZone: zone)?.objectValue, let ticket = view["ticket"]?.objectValue,
                        let window = view["window"]?.stringValue
                    else { continue }
                    calls.append(.object([
                        "seq": .int(e.seq),
                        "ticket": .object(ticket.filter { ["id", "number", "category", "categoryName", "priority"].contains($0.key) }),
                        "window": .object(["id": .string(window), "name": view["windowName"] ?? .string(names[window] ?? window)]),
                        "at": .string(ISO8601.string(e.at, timeZone: zone)),
                        "recall": .bool(e.topic == "ticket.recalled"),
                    ]))
                }
                guard batch.count == 200, let last = batch.last else { break }
                upTo = last.seq - 1
            }
            var waiting: [String: JSONValue] = [:]
            for c in categories { waiting[c.id] = .int(Int64(try r.waitingSummary(day: day, category: c.id).count)) }
            let states = try r.windowStates()
            return .object([
                "hall": .object(["code": .string(config.hall.code), "name": .string(config.hall.name)]),
                "screen": .object([
                    "id": .string(screen.id), "name": .string(screen.name), "calls": .int(Int64(screen.calls)),
                    "voice": .bool(screen.voice), "notice": screen.notice.map(JSONValue.string) ?? .null,
                ]),
                "seq": .int(seq),
                "at": .string(ISO8601.string(now, timeZone: zone)),
                "day": .string(day.rawValue),
                "calls": .array(calls),
                "waiting": .object(waiting),
                "categories": .array(categories.map { .object(["id": .string($0.id), "name": .string($0.name)]) }),
                "windows": .array(windows.map { w in
                    .object([
                        "id": .string(w.id), "name": .string(w.name),
                        "state": .string((states[w.id]?.status ?? .closed).rawValue),
                    ])
                }),
            ])
        }
    }
}
