import Testing

@testable import KioskCore

@Suite("Event topics: exact names and prefix patterns")
struct EventTopicTests {
    @Test func anExactPatternMatchesOnlyItself() {
        #expect(EventTopic.matches("ticket.called", "ticket.called"))
        #expect(!EventTopic.matches("ticket.called", "ticket.recalled"))
        #expect(!EventTopic.matches("ticket.called", "ticket.called.extra"))
        #expect(!EventTopic.matches("ticket", "ticket.called"))
    }

    @Test func aStarPatternMatchesAPrefix() {
        #expect(EventTopic.matches("ticket.*", EventTopic.ticketCalled))
        #expect(EventTopic.matches("ticket.*", EventTopic.ticketNoShow))
        #expect(EventTopic.matches("window.*", EventTopic.windowOpened))
        #expect(!EventTopic.matches("ticket.*", EventTopic.windowOpened))
        #expect(!EventTopic.matches("ticket.*", "tickets.called"))
        #expect(!EventTopic.matches("window.*", "queue.alert"))
    }

    @Test func aLoneStarMatchesEverything() {
        for topic in [EventTopic.ticketIssued, EventTopic.queueAlert, EventTopic.dayRolledOver, EventTopic.deviceStatus] {
            #expect(EventTopic.matches("*", topic))
        }
    }

    @Test func anyOfSeveralPatterns() {
        let patterns = ["window.*", "queue.alert"]
        #expect(EventTopic.matches(any: patterns, "queue.alert"))
        #expect(EventTopic.matches(any: patterns, "window.closed"))
        #expect(!EventTopic.matches(any: patterns, "ticket.issued"))
        #expect(!EventTopic.matches(any: [], "ticket.issued"))
    }

    @Test func topicNamesAreTheContractOnes() {
        #expect(EventTopic.ticketIssued == "ticket.issued")
        #expect(EventTopic.ticketCalled == "ticket.called")
        #expect(EventTopic.ticketRecalled == "ticket.recalled")
        #expect(EventTopic.ticketStarted == "ticket.started")
        #expect(EventTopic.ticketFinished == "ticket.finished")
        #expect(EventTopic.ticketNoShow == "ticket.no_show")
        #expect(EventTopic.ticketRequeued == "ticket.requeued")
        #expect(EventTopic.ticketTransferred == "ticket.transferred")
        #expect(EventTopic.ticketCancelled == "ticket.cancelled")
        #expect(EventTopic.queueAlert == "queue.alert")
        #expect(EventTopic.evaluationSubmitted == "evaluation.submitted")
        #expect(EventTopic.dayRolledOver == "day.rolled_over")
        #expect(EventTopic.windowOpened.hasPrefix("window."))
        #expect(EventTopic.deviceStatus.hasPrefix("device."))
    }
}
