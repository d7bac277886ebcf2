import KioskCore
import KioskProtocol

/// `screen.list`: each configured screen, where a browser opens it, and how many of its event
/// streams are open right now (a screen at 0 is dark or cannot reach kioskd).
struct ScreenDirectory: Sendable {
    let hall: HallService
    let streams: ScreenStreams

    func list() -> JSONValue {
        let config = hall.config, counts = streams.counts
        let base = config.http.map { http in
            // A listener on every address is reached through the machine's own name.
            let host = ["0.0.0.0", "::"].contains(http.host) ? "HOST" : (http.host.contains(":") ? "[\(http.host)]" : http.host)
            return "http://\(host):\(http.port)"
        }
        return .object([
            "listen": config.http.map { .string($0.listen) } ?? .null,
            "screens": .array(config.screens.map { s in
                .object([
                    "id": .string(s.id), "name": .string(s.name),
                    "url": base.map { .string("\($0)/screens/\(s.id)") } ?? .null,
                    "clients": .int(Int64(counts[s.id] ?? 0)),
                    "categories": s.categories.map { .array($0.map(JSONValue.string)) } ?? .null,
                    "windows": s.windows.map { .array($0.map(JSONValue.string)) } ?? .null,
                    "calls": .int(Int64(s.calls)), "voice": .bool(s.voice),
                ])
            }),
        ])
    }
}
