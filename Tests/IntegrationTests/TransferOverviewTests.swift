import Foundation
import KioskProtocol
import Testing

/// A transferred ticket seen from the technician's side (kioskctl against a real kioskd): it is
/// refused where no window would call it, and wherever it is taken it is in `waiting` and `status`.
@Suite("transfers in the overviews", .serialized)
struct TransferOverviewTests {
    @Test func aTransferredTicketIsAlwaysCountedAndListedUnderItsWindow() throws {
        try KioskctlHall.with { hall in
            #expect(try hall.ctl("take", "A").status == 0)
            #expect(try hall.ctl("window", "open", "1", "--staff", "王芳").status == 0)
            #expect(try hall.ctl("window", "open", "2", "--staff", "李强").status == 0)
            #expect(try hall.ctl("call", "1").stdout.contains("A001"))

            // P1 was never opened: the transfer is refused and A001 stays at window 1.
            let refused = try hall.ctl("transfer", "1", "--to-window", "P1")
            #expect(refused.status == 2, "\(refused)")
            #expect(refused.stderr.contains("window P1 is closed"), "\(refused)")
            #expect(try hall.ctl("windows").stdout.contains("A001 called"))

            let moved = try hall.ctl("transfer", "1", "--to-window", "2")
            #expect(moved.status == 0, "\(moved)")
            let waiting = try hall.ctl("waiting")
            #expect(waiting.stdout.contains("A001"), "\(waiting)")
            #expect(waiting.stdout.contains("1 waiting"), "\(waiting)")
            let status = try hall.ctl("status")
            #expect(status.stdout.contains(" 1 (A 0, B 0, C 0, D 0; 1 for window 2)"), "\(status)")
            let json = try JSONCoding.decoder.decode(JSONValue.self, from: Data(try hall.ctl("status", "--json").stdout.utf8))
            #expect(json["waitingForWindows"]?["2"] == .int(1))
            #expect(json["waitingForWindows"]?["1"] == .int(0))

            // To a category no open window serves: taken, and the counter is told why.
            #expect(try hall.ctl("call", "2").stdout.contains("A001"))
            let toD = try hall.ctl("transfer", "2", "--to-category", "D")
            #expect(toD.status == 0, "\(toD)")
            #expect(toD.stdout.contains("note: no window serving D is open: the ticket is called when one opens"), "\(toD)")
            #expect(try hall.ctl("status").stdout.contains(" 1 (A 0, B 0, C 0, D 1)"))
            #expect(try hall.ctl("waiting").stdout.contains("A001"))
        }
    }
}
