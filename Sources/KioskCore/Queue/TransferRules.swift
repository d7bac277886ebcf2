import Foundation

/// 转办: where a window may hand its ticket on. A transfer must never leave a citizen waiting
/// for a call that cannot come without the counter knowing: a window that calls nobody today is
/// refused, and a queue no open window serves right now is accepted with a warning that the
/// counter reads out ("you will be called when a window opens").
public enum TransferRules {
    /// A transfer to one window: an open window calls the ticket next; a paused one comes back
    /// (warning); a closed one may stay closed all day, so it is refused.
    public static func checkTarget(_ window: Window, state: WindowState?) throws -> [String] {
        switch state?.status ?? .closed {
        case .open:
            return []
        case .paused:
            return ["window \(window.id) is paused: it calls the ticket when it resumes"]
        case .closed:
            throw KioskError(
                .invalidState, "window \(window.id) is closed and would never call the ticket: open it first, or transfer to a category",
                details: ["state": WindowState.Status.closed.rawValue, "window": window.id])
        }
    }

    /// A transfer into another category's queue. Refused only when no window serves the category
    /// at all (nobody could ever call it); outside its hours or with no open window it is
    /// accepted, with a warning for each.
    public static func checkTarget(
        _ category: Category, windows: [Window], states: [String: WindowState], minuteOfDay: Int
    ) throws -> [String] {
        let serving = windows.filter { $0.serves.contains(category.id) }
        guard !serving.isEmpty else {
            throw KioskError(
                .invalidState, "no window serves \(category.name) (\(category.id)): nobody could call the ticket",
                details: ["category": category.id])
        }
        var warnings: [String] = []
        if !category.hours.isOpen(atMinute: minuteOfDay) {
            warnings.append("\(category.name) (\(category.id)) is outside its hours (\(category.hours))")
        }
        if !serving.contains(where: { states[$0.id]?.status == .open }) {
            let paused = serving.filter { states[$0.id]?.status == .paused }.map(\.id)
            warnings.append("no window serving \(category.id) is open"
                + (paused.isEmpty ? "" : " (paused: \(paused.joined(separator: ", ")))")
                + ": the ticket is called when one opens")
        }
        return warnings
    }
}
