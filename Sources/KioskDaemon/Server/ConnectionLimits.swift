import Foundation

/// How many connections kioskd serves at once: `[daemon] max_connections`, or what the open-file
/// limit (`RLIMIT_NOFILE`) leaves after a reserve. Connections past the limit are answered
/// `too_many_connections` and closed, so descriptors never run out (EMFILE) under a flood.
struct ConnectionLimits: Sendable, Equatable {
    /// Descriptors kept for the database and its WAL, devices, CUPS, udev, the journal.
    static let descriptorReserve = 64
    /// Connections an `admin` peer (root, the daemon's own uid) may open beyond the limit, so the
    /// technician's `kioskctl doctor` still gets in during a flood.
    static let adminReserve = 16
    /// The default never exceeds this, however high the open-file limit.
    static let defaultCeiling = 4096

    let max: Int
    /// Set when `max_connections` asked for more than the open-file limit allows.
    let warning: String?

    static func resolve(configured: Int?, openFiles: Int) -> ConnectionLimits {
        let fits = Swift.max(1, openFiles - descriptorReserve - adminReserve)
        guard let configured else { return ConnectionLimits(max: Swift.min(fits, defaultCeiling), warning: nil) }
        guard configured > fits else { return ConnectionLimits(max: configured, warning: nil) }
        return ConnectionLimits(max: fits, warning: """
            max_connections = \(configured) needs more descriptors than the open-file limit \(openFiles) leaves \
            (\(descriptorReserve + adminReserve) are kept in reserve); serving at most \(fits): raise LimitNOFILE
            """)
    }

    /// The soft `RLIMIT_NOFILE` of this process.
    static func openFileLimit() -> Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 1024 }
        return Int(clamping: limit.rlim_cur)  // RLIM_INFINITY is the largest value: clamps to Int.max
    }
}
