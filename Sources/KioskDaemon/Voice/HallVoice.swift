import Foundation
import KioskCore
import KioskDevices
import KioskProtocol
import KioskStore
import Logging
import ServiceLifecycle

/// The hall's voice (叫号语音): every `ticket.called` and `ticket.recalled`, in call order, handed
/// to the `[voice]` device, which plays them one at a time; what it did is recorded as
/// `voice.started`, `voice.finished` and `voice.dropped`. It follows the hall through an
/// `EventFeed` from the moment it starts: calls made while kioskd was down are not announced
/// late. The device never holds up a call: `announce` returns at once, whatever its health.
final class HallVoice: Service {
    let device: VoiceDevice
    let hall: HallService
    let store: any Store
    let bus: EventBus
    let logger: Logger

    init(device: VoiceDevice, hall: HallService, store: any Store, bus: EventBus, logger: Logger) {
        self.device = device
        self.hall = hall
        self.store = store
        self.bus = bus
        self.logger = logger
    }

    static let topics = ScreenEvent.callTopics

    func run() async throws {
        device.startWatching()
        defer { device.stopWatching() }
        // Recorded one after another, in the order the device reports them.
        let (notes, sink) = AsyncStream<VoiceNotification>.makeStream()
        device.observe { sink.yield($0) }
        let store = self.store, logger = self.logger, clock = hall.clock
        let recorder = Task {
            for await note in notes {
                do {
                    try await store.write { w in try HallService.emit(w, note.topic, VoiceEventData(note), at: clock.now()) }
                } catch {
                    logger.failure(.warning, "\(note.topic) for \(note.number) not recorded", error)
                }
            }
        }
        await cancelWhenGracefulShutdown { [self] in await follow() }
        sink.finish()
        await recorder.value
    }

    /// Hands each call to the device, from now on; after a cut-off or a store fault, from the last
    /// call handed over.
    private func follow() async {
        var since: Int64?
        while !Task.isCancelled {
            var feed: EventFeed?
            do {
                let opened = try await EventFeed.open(bus: bus, store: store, patterns: Self.topics, since: since,
                    capacity: 4096, byteCapacity: 4 << 20)
                feed = opened
                try await withTaskCancellationHandler {
                    for try await item in opened {
                        since = item.event.seq
                        if let request = Self.request(for: item.event, config: hall.config) { device.announce(request) }
                    }
                } onCancel: {
                    Task { await opened.stop() }
                }
            } catch {
                if Task.isCancelled { break }
                logger.failure(.warning, "voice: following the calls failed, resuming", error)
                try? await Task.sleep(for: .seconds(1))
            }
            await feed?.stop()
        }
    }

    /// The announcement of a call event: its ticket and window, the window as the voice says it.
    static func request(for event: StoredEvent, config: HallConfig) -> VoiceRequest? {
        guard topics.contains(event.topic),
            case .object(let data)? = try? JSONCoding.decoder.decode(JSONValue.self, from: Data(event.json.utf8)),
            let ticket = data["ticket"]?.objectValue, case .int(let id)? = ticket["id"],
            let number = ticket["number"]?.stringValue, let window = data["window"]?.stringValue
        else { return nil }
        let name = config.window(window)?.spokenName ?? data["windowName"]?.stringValue ?? window
        return VoiceRequest(ticketId: id, number: number, windowId: window, windowName: name, seq: event.seq, calledAt: event.at)
    }
}

/// `voice.started` / `voice.finished` / `voice.dropped`: `{ticket: {id, number}, window, text,
/// repeat, device, reason?}` (contract).
struct VoiceEventData: Encodable {
    struct TicketRef: Encodable {
        let id: Int64
        let number: String
    }

    let ticket: TicketRef
    let window: String
    let text: String
    let `repeat`: Int
    let device: String
    let reason: String?
    let seq: Int64

    init(_ n: VoiceNotification) {
        ticket = TicketRef(id: n.ticketId, number: n.number)
        window = n.window
        text = n.text
        self.repeat = n.repeatCount
        device = n.device
        reason = n.reason
        seq = n.seq
    }
}
