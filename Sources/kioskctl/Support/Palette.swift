/// Colours of states at a terminal (SGR escapes), so a fault stands out in a list of devices:
/// green working, yellow needs attention, red not working, grey not there or not in use.
enum Palette {
    enum Colour: String, Sendable {
        case green = "32", yellow = "33", red = "31", grey = "90"
    }

    /// The colour of a state word: device health, window status, certificate or ticket state,
    /// a check's verdict. The first word counts ("fault: paper out" is a fault).
    static func colour(ofState text: String) -> Colour? {
        let word = text.prefix { $0.isLetter || $0 == "_" || $0 == "-" }.lowercased()
        switch word {
        case "ok", "open", "passed", "valid", "done", "printed", "ready", "picked_up", "shipped", "serving": return .green
        case "degraded", "paused", "held", "near_end", "called", "waiting", "printing", "warn", "warning": return .yellow
        case "fault", "failed", "fail", "invalid", "error", "no_show", "no-show": return .red
        case "absent", "closed", "voided", "cancelled", "skipped": return .grey
        default: return nil
        }
    }

    /// `text` in `colour` when the terminal takes colour; unchanged otherwise.
    static func paint(_ text: String, _ colour: Colour?, on terminal: Terminal = Terminal.current) -> String {
        guard let colour, terminal.colour, !text.isEmpty else { return text }
        return "\u{1B}[\(colour.rawValue)m\(text)\u{1B}[0m"
    }
}
