/// A ticket printer (取号小票打印机): a 58 or 80 mm thermal printer that prints queue tickets.
///
/// The interface is the slip, not bytes, so that a driver decides how to speak to its printer
/// (ESC/POS over USB or serial today, perhaps something else tomorrow) while the daemon only
/// says what to print. ESC/POS drivers lay slips out with `TicketLayout`.
public protocol ReceiptPrinter: Device {
    /// 384 (58 mm, 32 columns) or 576 (80 mm, 48 columns).
    var paperWidthDots: Int { get }
    /// Prints one ticket and cuts. Throws `unavailable` when the printer is not there, `fault`
    /// when it cannot print (paper out), and updates `health` accordingly.
    func printTicket(_ slip: TicketSlip) async throws(DeviceError)
    /// Prints a slip that shows the printer works and what state it is in (online test, 在线测试).
    func printTestSlip(_ slip: TestSlip) async throws(DeviceError)
    /// Asks the printer for its status (a real driver sends `DLE EOT` and waits for the answer),
    /// refreshing `health` on the way.
    func status() async -> PrinterStatus
}
