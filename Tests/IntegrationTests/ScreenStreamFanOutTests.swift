import Foundation
import KioskClient
import KioskProtocol
import Testing

/// Many browsers on one screen share that screen's live events: each stream still gets every
/// event its screen shows exactly once and in order, however its replay and the live events
/// interleave (a stream cut off for not reading: `ScreenFanOutTests`, in process).
@Suite struct ScreenStreamFanOutTests {
    typealias H = HTTPListenerTests

    /// The ids of a stream's messages once it has the ticket numbered `number` issued.
    static func ids(_ stream: RawHTTP, through number: String) -> [Int] {
        let text = stream.read(until: { H.messages($0).contains { $0.event == "ticket.issued" && $0.data.contains("\"\(number)\"") } },
            timeout: 30)
        return H.messages(text).map(\.id)
    }

    /// What a stream got wrong, short enough to read in a CI log.
    static func difference(_ got: [Int], _ expected: [Int]) -> String {
        let missing = Set(expected).subtracting(got).sorted(), extra = Set(got).subtracting(expected).sorted()
        let repeated = Dictionary(grouping: got, by: { $0 }).filter { $0.value.count > 1 }.keys.sorted()
        let firstOff = zip(got, expected).enumerated().first { $0.element.0 != $0.element.1 }?.offset
        return "\(got.count) events, expected \(expected.count); missing \(missing.prefix(20)), extra \(extra.prefix(20)), "
            + "repeated \(repeated.prefix(20)), first out of order at \(firstOff.map(String.init) ?? "none"); "
            + "got around there \(firstOff.map { Array(got[max(0, $0 - 3)..<min(got.count, $0 + 4)]) } ?? [])"
    }

    @Test func streamsJoiningWhileTicketsAreTakenEachGetEveryEventOnceInOrder() throws {
        let (d, port) = try H.daemon()
        defer { _ = d.stop() }
        let kiosk = try d.client(role: "kiosk")
        for _ in 0..<20 { try kiosk.call("queue.take", ["category": "A"]) }
        // Takes go on in the background while streams open, so some join while events are being
        // handed out and replay across the moment they joined.
        let takes = 200
        let taker = Thread {
            guard let k = try? d.client(role: "kiosk") else { return }
            for _ in 0..<takes { _ = try? k.call("queue.take", ["category": "A"]) }
        }
        taker.start()
        var streams: [RawHTTP] = []
        for i in 0..<16 {
            streams.append(try H.openStream(port: port, i % 2 == 0 ? "/screens/hall/events?since=0" : "/screens/hall/events?since=10"))
            usleep(20_000)
        }
        let last = String(format: "A%03d", 20 + takes)
        let reference = Self.ids(try H.openStream(port: port, "/screens/hall/events?since=0"), through: last)
        #expect(reference.count >= 20 + takes, "the reference replay has \(reference.count) events")
        for (i, stream) in streams.enumerated() {
            let got = Self.ids(stream, through: last)
            let expected = reference.filter { $0 > (i % 2 == 0 ? 0 : 10) }
            #expect(got == expected, "stream \(i): \(Self.difference(got, expected))")
        }
        let status = try d.client().call("daemon.status")
        #expect(status["screenStreams"] == .int(17))
        #expect(status["slowSubscribersCut"] == .int(0))
        // One bus subscription serves the screen, however many streams show it.
        #expect((status["subscribers"]?.intValue ?? 99) <= 2)
    }
}
