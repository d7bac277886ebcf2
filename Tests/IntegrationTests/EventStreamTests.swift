import Foundation
import KioskClient
import KioskProtocol
import Testing

/// `events.subscribe`: replay from `since`, then live; topic patterns; seq across restarts.
@Suite(.serialized) struct EventStreamTests {
    @Test func subscribeReplaysStoredEventsThenStreamsLiveOnes() throws {
        let daemon = try DaemonHarness()
        try daemon.start()
        let c = try daemon.client()
        try c.call("queue.take", ["category": "A"])
        try c.call("window.open", ["window": "1", "staff": "王芳"])
        let display = try daemon.client(role: "display")
        let ack = try display.call("events.subscribe", ["topics": ["*"], "since": 0])
        #expect(ack["since"] == .int(0))
        let replayed = try (0..<3).map { _ in try #require(try display.nextEvent(timeout: 5)) }
        #expect(replayed.map(\.topic) == ["day.rolled_over", "ticket.issued", "window.opened"])
        #expect(replayed.map(\.seq) == [1, 2, 3])
        #expect(replayed[1].data["ticket"]?["number"] == .string("A001"))
        // Live, in order, each once.
        try c.call("queue.call", ["window": "1"])
        let live = try #require(try display.nextEvent(timeout: 5))
        #expect(live.topic == "ticket.called")
        #expect(live.seq == 4)
        #expect(live.data["window"] == .string("1"))
        #expect(live.data["ticket"]?["number"] == .string("A001"))
        #expect(live.at.contains("+08:00") || live.at.contains("+0800"))
        #expect(try display.nextEvent(timeout: 0.3) == nil)
    }

    @Test func topicPatternsFilterByPrefix() throws {
        let daemon = try DaemonHarness()
        try daemon.start()
        let c = try daemon.client()
        let windows = try daemon.client(role: "display")
        try windows.call("events.subscribe", ["topics": ["window.*"]])
        try c.call("queue.take", ["category": "A"])
        try c.call("window.open", ["window": "2", "staff": "李强"])
        let e = try #require(try windows.nextEvent(timeout: 5))
        #expect(e.topic == "window.opened")
        #expect(try windows.nextEvent(timeout: 0.3) == nil)
    }

    @Test func aDisplayThatReconnectsMissesNothingEvenAcrossARestart() throws {
        let daemon = try DaemonHarness()
        try daemon.start()
        var display = try daemon.client(role: "display")
        try display.call("events.subscribe", ["topics": ["ticket.*"]])
        try daemon.client().call("queue.take", ["category": "C"])
        let seen = try #require(try display.nextEvent(timeout: 5))
        // The display goes away; tickets are issued meanwhile; the daemon restarts.
        try daemon.client().call("queue.take", ["category": "C"])
        #expect(daemon.stop() == 0)
        try daemon.start()
        try daemon.client().call("queue.take", ["category": "C"])
        display = try daemon.client(role: "display")
        try display.call("events.subscribe", ["topics": ["ticket.*"], "since": .int(seen.seq)])
        let missed = try (0..<2).map { _ in try #require(try display.nextEvent(timeout: 5)) }
        #expect(missed.map { $0.data["ticket"]?["number"]?.stringValue } == ["C002", "C003"])
        #expect(missed[0].seq > seen.seq)
        #expect(missed[1].seq > missed[0].seq)
        #expect(try display.nextEvent(timeout: 0.3) == nil)
    }

    @Test func aSubscriberThatStopsReadingIsCutOffAndOthersGoOn() throws {
        let daemon = try DaemonHarness(extraConfig: "", daemonExtra: "subscriber_buffer = 16")
        try daemon.start()
        let slow = try daemon.client(role: "display")
        try slow.call("events.subscribe", ["topics": ["*"]])
        let fast = try daemon.client(role: "display")
        try fast.call("events.subscribe", ["topics": ["ticket.issued"]])
        let c = try daemon.client()
        // The slow one never reads; enough events to fill its socket buffers and its queue.
        var received = 0
        for _ in 0..<600 {
            try c.call("queue.take", ["category": "C"])
            while (try fast.nextEvent(timeout: 0)) != nil { received += 1 }
        }
        while (try fast.nextEvent(timeout: 0.5)) != nil { received += 1 }
        #expect(received == 600)
        let status = try c.call("daemon.status")
        #expect(status["slowSubscribersCut"] == .int(1))
        #expect(status["subscribers"] == .int(1))
        // The slow connection was closed: after what was buffered, it ends.
        #expect(throws: KioskClient.ClientError.self) { while true { _ = try slow.readLine() } }
    }

    @Test func aSinceBeyondTheLogStartsAtTheHeadInsteadOfWaiting() throws {
        let daemon = try DaemonHarness()
        try daemon.start()
        let display = try daemon.client(role: "display")
        let ack = try display.call("events.subscribe", ["topics": ["ticket.*"], "since": 999_999])
        #expect(ack["since"] == ack["head"])
        try daemon.client().call("queue.take", ["category": "A"])
        #expect(try display.nextEvent(timeout: 5)?.topic == "ticket.issued")
    }
}
