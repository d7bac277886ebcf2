/// Ticket numbers (号码): the category prefix and at least three digits — A001 … A999, A1000.
public enum TicketNumber {
    public static func format(prefix: String, sequence: Int) -> String {
        let digits = String(sequence)
        return prefix + String(repeating: "0", count: max(0, 3 - digits.count)) + digits
    }
}
