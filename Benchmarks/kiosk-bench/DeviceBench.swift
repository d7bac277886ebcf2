import Foundation
import KioskClient
import KioskProtocol
import KioskTestSupport

/// Device latencies through the real daemon and drivers, with the devices played on ptys by
/// this process (same clock on both sides): the SAM reader and the ESC/POS printer of the tests.
extension Bench {
    /// `idcard.read`: from the last byte of the reader's 读卡 answer leaving the pty to the
    /// JSON-RPC answer arriving at the kiosk. Target: ≤ 20 ms.
    func idcardRead() throws {
        let reader = try PtySAMReader()
        defer { reader.stop() }
        let d = try Daemon.start(devices: """
            [[devices]]
            id = "sam0"
            kind = "idcard-reader"
            transport = "serial"
            path = "\(reader.path)"
            """)
        let c = try KioskClient(socketPath: d.socket)
        var samples: [Double] = []
        for i in 0..<(40 + 5) {
            // A read waiting when the card comes, as at a kiosk that asked first.
            DispatchQueue.global().asyncAfter(deadline: .now() + 0.05) { reader.place(text: CardTextFixture.resident()) }
            _ = try c.call("idcard.read", ["device": "sam0", "timeoutSeconds": 5])
            let answered = ContinuousClock.now
            guard let sent = reader.lastAnswerSent else { continue }
            if i >= 5 { samples.append(Double((answered - sent).components.attoseconds) / 1e15 + Double((answered - sent).components.seconds) * 1000) }
            reader.lift()
        }
        let p = Percentiles(samples)
        say(String(format: "idcard.read, card's last byte → answer at the kiosk (%d): p50 %.2f ms, p99 %.2f ms", samples.count, p.p50, p.p99))
    }

    /// `queue.take {print: true}` on a serial ESC/POS printer: the time from the request leaving
    /// the kiosk to the ticket's last byte (the cut) at the printer. The commit comes after the
    /// request, so this bounds "commit → last byte" from above; a plain take's round trip is
    /// shown beside it. Target: last byte within 20 ms of the commit.
    func printAfterCommit() throws {
        let printer = try FakePtyPrinter()
        let d = try Daemon.start(devices: """
            [[devices]]
            id = "pty0"
            kind = "receipt-printer"
            transport = "serial"
            path = "\(printer.slavePath)"
            """)
        let c = try KioskClient(socketPath: d.socket)
        func time(_ body: () throws -> Void) rethrows -> Double {
            let t0 = DispatchTime.now()
            try body()
            return ms(since: t0)
        }
        for _ in 0..<20 { try c.call("queue.take", ["category": "C", "print": true, "printer": "pty0"]) }  // warm up
        var plain: [Double] = []
        for _ in 0..<200 { plain.append(try time { try c.call("queue.take", ["category": "C"]) }) }
        var toLastByte: [Double] = []
        for _ in 0..<200 {
            let cuts = printer.cutsAt.count
            let t0 = ContinuousClock.now
            let r = try c.call("queue.take", ["category": "C", "print": true, "printer": "pty0"])
            guard r["printed"] == .bool(true) else { throw CocoaError(.fileWriteUnknown) }
            // The cut may be read off the pty just after the answer: wait for it.
            let end = ContinuousClock.now + .seconds(2)
            while printer.cutsAt.count == cuts, ContinuousClock.now < end { usleep(100) }
            guard let cut = printer.cutsAt.dropFirst(cuts).first else { continue }
            let span = cut - t0
            toLastByte.append(Double(span.components.seconds) * 1000 + Double(span.components.attoseconds) / 1e15)
        }
        let take = Percentiles(plain), printed = Percentiles(toLastByte)
        say(String(format: "queue.take without print (%d): p50 %.2f ms, p99 %.2f ms", plain.count, take.p50, take.p99))
        say(String(format: "queue.take print: request → ticket's last byte at the printer (%d): p50 %.2f ms, p99 %.2f ms", toLastByte.count, printed.p50, printed.p99))
        // The commit happens after the request is sent, so request → last byte bounds commit → last byte from above.
        say(String(format: "so commit → last byte ≤ p50 %.2f ms, p99 %.2f ms (printing adds ~%.2f ms at p50)", printed.p50, printed.p99, printed.p50 - take.p50))
    }
}
