import Foundation
import KioskCore
import KioskProtocol
import Testing

@testable import kioskctl

/// `kioskctl watch` describes every topic kioskd emits in a few words. The data are kioskd's own
/// (the examples of docs/protocol.md, as the daemon encodes them).
@Suite("kioskctl watch: every event topic reads as a sentence")
struct EventSummaryTests {
    static let ticket = #"{"category":"C","categoryName":"社保医保","id":2,"number":"C002","priority":"green","state":"called","staff":"王芳","window":"3","recalls":1,"startedAt":"2026-11-22T04:14:44.000+08:00","finishedAt":"2026-11-22T04:20:14.000+08:00","ahead":2,"estimatedWaitSeconds":600}"#
    static let certificate = #""serial":"500107-01-20261122-0001","orderId":"SP-2026-0001","type":"public-health-license","department":"health""#

    /// topic → (data, what watch prints after the topic).
    static let examples: [String: (String, String)] = [
        "ticket.issued": (#"{"ticket":\#(ticket)}"#, "C002 (社保医保) issued, green"),
        "ticket.called": (#"{"ticket":\#(ticket),"window":"3","windowName":"3号窗口"}"#, "C002 → window 3 (王芳)"),
        "ticket.recalled": (#"{"ticket":\#(ticket),"window":"3"}"#, "C002 recalled at window 3 (1st time)"),
        "ticket.started": (#"{"ticket":\#(ticket),"window":"3"}"#, "C002 in service at window 3"),
        "ticket.finished": (#"{"ticket":\#(ticket),"window":"3"}"#, "C002 finished at window 3 after 5m 30s"),
        "ticket.no_show": (#"{"ticket":\#(ticket),"window":"3"}"#, "C002 no-show at window 3"),
        "ticket.requeued": (#"{"ticket":{"number":"C002","category":"C"}}"#, "C002 back in queue C"),
        "ticket.transferred": (#"{"from":{"category":"B","window":"3"},"ticket":{"number":"B001"},"to":{"category":"A"}}"#,
            "B001 window 3 → category A"),
        "ticket.cancelled": (#"{"ticket":{"number":"A004","cancelReason":"day_ended"}}"#, "A004 cancelled (day_ended)"),
        "window.opened": (#"{"name":"3号窗口","serves":["C","B"],"staff":"王芳","status":"open","window":"3"}"#, "window 3 open — 王芳"),
        "window.paused": (#"{"name":"3号窗口","serves":["C","B"],"staff":"王芳","status":"paused","window":"3"}"#, "window 3 paused — 王芳"),
        "window.closed": (#"{"name":"3号窗口","serves":["C","B"],"status":"closed","window":"3"}"#, "window 3 closed"),
        "queue.alert": (#"{"category":"E","estimatedWaitSeconds":600,"name":"出入境","oldestWaitSeconds":6,"state":"raised","thresholdSeconds":60,"waiting":1}"#,
            "E 出入境 waits too long: 1 waiting, oldest 6s, newcomer ≈ 10m"),
        "evaluation.submitted": (#"{"bad":false,"category":"C","label":"非常满意","number":"C002","score":5,"staff":"王芳","ticket":2,"window":"3"}"#,
            "C002 rated 5 非常满意 at window 3"),
        "device.status": (#"{"device":"printer0","kind":"receipt-printer","reason":"paper out","since":"2026-11-22T04:14:58.654+08:00","state":"fault"}"#,
            "printer0 fault: paper out"),
        "device.added": (#"{"device":"printer0","devnode":"/dev/usb/lp0","usb":"0416:5011"}"#, "printer0 plugged in (/dev/usb/lp0, usb 0416:5011)"),
        "device.removed": (#"{"device":"printer0","devnode":"/dev/usb/lp0"}"#, "printer0 unplugged (/dev/usb/lp0)"),
        "idcard.presented": (#"{"cardType":"resident","device":"idreader0"}"#, "card on idreader0 (resident ID card)"),
        "day.rolled_over": (#"{"expired":3,"from":"2026-11-21","to":"2026-11-22"}"#, "new hall-day 2026-11-22, 3 unserved tickets expired"),
        "storage.status": (#"{"error":"the database file /var/lib/kioskd/kioskd.sqlite is read-only","state":"fault"}"#,
            "database FAULT: the database file /var/lib/kioskd/kioskd.sqlite is read-only"),
        "config.reloaded": (#"{"ok":true,"categories":["A"],"restartNeeded":["devices"]}"#, "configuration reloaded; restart kioskd for devices"),
        "certificate.received": (#"{\#(certificate),"state":"received"}"#,
            "500107-01-20261122-0001 received — public-health-license for health order SP-2026-0001"),
        "certificate.rendered": (#"{\#(certificate),"state":"rendered","previous":"received"}"#, "500107-01-20261122-0001 rendered (PDF with seal and QR code)"),
        "certificate.printing": (#"{\#(certificate),"state":"printing","printer":"cert0"}"#, "500107-01-20261122-0001 printing on cert0"),
        "certificate.printed": (#"{\#(certificate),"state":"printed","printer":"cert0"}"#, "500107-01-20261122-0001 printed on cert0"),
        "certificate.ready": (#"{\#(certificate),"state":"ready"}"#, "500107-01-20261122-0001 released, ready for pickup"),
        "certificate.picked_up": (#"{\#(certificate),"state":"picked_up"}"#, "500107-01-20261122-0001 picked up"),
        "certificate.shipped": (#"{\#(certificate),"state":"shipped","reason":"EMS 1234"}"#, "500107-01-20261122-0001 shipped (EMS 1234)"),
        "certificate.held": (#"{\#(certificate),"state":"held","printer":"cert0","reason":"media-empty"}"#, "500107-01-20261122-0001 held on cert0: media-empty"),
        "certificate.failed": (#"{\#(certificate),"state":"failed","reason":"no printer could print it"}"#, "500107-01-20261122-0001 FAILED: no printer could print it"),
        "certificate.voided": (#"{\#(certificate),"state":"voided","reason":"污损"}"#, "500107-01-20261122-0001 voided: 污损"),
        "certificate.pickup_refused": (#"{\#(certificate),"state":"ready","reason":"the card is not the holder's"}"#,
            "500107-01-20261122-0001 pickup refused: the card is not the holder's"),
    ]

    func data(_ json: String) throws -> JSONValue { try JSONCoding.decoder.decode(JSONValue.self, from: Data(json.utf8)) }

    @Test func everyTopicTheDaemonEmitsHasAnExample() {
        #expect(Set(Self.examples.keys) == Set(EventTopic.all))
    }

    @Test(arguments: EventTopic.all)
    func eachTopicIsSummarized(_ topic: String) throws {
        let (json, expected) = try #require(Self.examples[topic])
        #expect(EventSummary.summary(topic: topic, data: try data(json)) == expected)
    }

    @Test func aTopicNotKnownYetStillReadsAsKeysAndValues() throws {
        let d = try data(#"{"state":"fault","error":{"code":"READONLY","file":"/var/lib/kioskd/kioskd.sqlite"}}"#)
        #expect(EventSummary.summary(topic: "backup.finished", data: d)
            == "error.code READONLY, error.file /var/lib/kioskd/kioskd.sqlite, state fault")
    }

    @Test func aLineShowsHallTimeSeqAndTopicAndFitsTheTerminal() throws {
        let e = EventMessage.Params(seq: 31, topic: "certificate.received", at: "2026-11-22T04:37:05.112+08:00",
            data: try data(Self.examples["certificate.received"]!.0))
        let full = EventSummary.line(e, on: Terminal(width: nil, colour: false))
        #expect(full.hasPrefix("04:37:05 +08:00  #31     certificate.received  500107-01-20261122-0001 received — "))
        let fitted = EventSummary.line(e, on: Terminal(width: 80, colour: false))
        #expect(DisplayWidth.of(fitted) == 80)
        #expect(fitted.hasSuffix("…"))
    }
}
