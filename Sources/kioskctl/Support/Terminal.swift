import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Where readable output goes: the width tables are fitted to and whether states are coloured.
/// Fitting and colour are for a person at a terminal; a pipe gets every column and no escapes.
struct Terminal: Sendable, Equatable {
    /// Display columns to fit into; nil: no limit (`--wide`, or a pipe without COLUMNS).
    var width: Int?
    var colour: Bool

    /// Set once by `KioskCommand.run()`, before anything is printed, and only read after.
    nonisolated(unsafe) static var current = Terminal(width: nil, colour: false)

    /// COLUMNS, when set, is the width even for a pipe (scripts and tests ask for one that way);
    /// otherwise a terminal's own width. Colour only on a terminal, never with a non-empty NO_COLOR
    /// (no-color.org) or TERM=dumb.
    static func detect(wide: Bool, isTTY: Bool = isatty(STDOUT_FILENO) == 1,
        environment: [String: String] = ProcessInfo.processInfo.environment) -> Terminal {
        var width: Int?
        if !wide {
            if let columns = environment["COLUMNS"].flatMap({ Int($0) }), columns >= minimumWidth {
                width = columns
            } else if isTTY {
                width = max(minimumWidth, windowColumns() ?? 80)
            }
        }
        let noColour = !(environment["NO_COLOR"] ?? "").isEmpty || environment["TERM"] == "dumb"
        return Terminal(width: width, colour: isTTY && !noColour)
    }

    /// Narrower than this, nothing useful fits: tables are printed in full.
    static let minimumWidth = 20

    private static func windowColumns() -> Int? {
        var size = winsize()
        guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return nil }
        return Int(size.ws_col)
    }
}
