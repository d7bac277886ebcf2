import Crypto
import Foundation
import KioskCore
import KioskProtocol
import KioskStore
import Synchronization
@testable import KioskDaemon

/// A hall service on a real SQLite file in a temp dir, with a manual clock: a whole hall-day
/// runs in milliseconds.
final class HallFixture: @unchecked Sendable {
    let dir: URL
    let store: SQLiteStore
    let clock: ManualClock
    let hall: HallService
    let events = Mutex<[StoredEvent]>([])

    /// 2026-11-23 (a Monday) at `hour:minute` Beijing time.
    static func beijing(_ day: Int, _ hour: Int, _ minute: Int = 0) -> Date {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "Asia/Shanghai")!
        return cal.date(from: DateComponents(year: 2026, month: 11, day: day, hour: hour, minute: minute))!
    }

    static func config(queue: QueueSettings = QueueSettings()) -> HallConfig {
        HallConfig(
            daemon: DaemonSettings(socket: "/dev/null", stateDir: "/dev/null"),
            hall: HallInfo(code: "500107-01", name: "九龙坡区行政服务中心"),
            queue: queue,
            categories: [
                Category(id: "A", name: "企业开办", prefix: "A", dailyLimit: 300, hours: OpeningHours(parsing: "08:30-17:30")!),
                Category(id: "B", name: "不动产登记", prefix: "B", dailyLimit: 5),
                Category(id: "C", name: "社保医保", prefix: "C"),
                Category(id: "D", name: "建设工程审批", prefix: "D", requiresPrereview: true),
            ],
            windows: [
                Window(id: "1", name: "1号窗口", serves: ["A", "B"]),
                Window(id: "2", name: "2号窗口", serves: ["B", "A"]),
                Window(id: "3", name: "3号窗口", serves: ["C"]),
                Window(id: "P1", name: "预审窗口", serves: ["D"], prereview: true),
            ])
    }

    init(start: Date = HallFixture.beijing(23, 9), queue: QueueSettings = QueueSettings()) throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("hall-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        store = try SQLiteStore(path: dir.appendingPathComponent("kioskd.sqlite").path)
        clock = ManualClock(start)
        hall = HallService(config: Self.config(queue: queue), store: store, clock: clock,
            persons: PersonKeys(key: SymmetricKey(size: .bits256)))
        store.setEventSink { [weak self] batch in self?.events.withLock { $0 += batch } }
    }

    deinit { try? FileManager.default.removeItem(at: dir) }

    func topics() -> [String] { events.withLock { $0.map(\.topic) } }
    func events(_ topic: String) -> [StoredEvent] { events.withLock { $0.filter { $0.topic == topic } } }

    @discardableResult
    func take(_ category: String, id: String? = nil, green: Bool = false, role: Role = .kiosk, window: String? = nil) async throws -> TicketView {
        try await hall.take(TakeParams(category: category, idNumber: id, priority: green ? "green" : nil, window: window),
            caller: Caller(role: role))
    }

    func open(_ window: String, staff: String = "王芳") async throws {
        _ = try await hall.setWindow(window, .open(staff: staff))
    }
}

/// The KioskError reason `body` threw, or nil.
func reason(_ body: () async throws -> Any?) async -> String? {
    do {
        _ = try await body()
        return nil
    } catch let e as KioskError {
        return e.reason.rawValue
    } catch let e as RPCError {
        return e.reason ?? "rpc \(e.code)"
    } catch {
        return "\(error)"
    }
}

/// A valid ID number born on `yyyymmdd` (check digit computed by ISO 7064 MOD 11-2).
func idNumber(born yyyymmdd: String, serial: String = "123") -> String {
    let first17 = "500107" + yyyymmdd + serial
    return first17 + String(IDNumber.checkCharacter(for: first17))
}
