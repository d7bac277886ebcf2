import KioskCore

/// The reads behind one waiting ticket's view (排队视图): where it stands in its lane
/// (`laneCounts`, `laneRun`) and how long it should wait (`busyWindows`, `windowStates`,
/// `serviceTimes`). Written once here, so that fetching them ahead (`prefetchView`) asks for
/// exactly the statements the reads then make.
enum ViewReads {
    static func laneGroupCounts(day: String, lane: String) -> SQLStatement {
        SQLStatement("SELECT kind, waiting FROM lane_groups WHERE day = ? AND lane = ?", [day, lane])
    }

    /// Departures from `group` at positions 1 ... `position`: a Fenwick prefix sum. The group by
    /// its key, not its row id, so the read can be known before the group's row is.
    /// (The casts give PostgreSQL the parameters' types, which it cannot infer here.)
    static func departures(_ group: LaneGroup, through position: Int64) -> SQLStatement {
        SQLStatement("""
            WITH RECURSIVE path(i) AS (
                SELECT CAST(?1 AS BIGINT) WHERE CAST(?1 AS BIGINT) > 0 UNION ALL SELECT i - (i & -i) FROM path WHERE i - (i & -i) > 0)
            SELECT COALESCE(SUM(departed), 0) FROM path JOIN lane_departures
                ON lane_group = (SELECT id FROM lane_groups WHERE day = ?2 AND lane = ?3 AND kind = ?4) AND node = i
            """, [position, group.day, group.lane, group.kind.rawValue])
    }

    static func laneRun(day: String, lane: String) -> SQLStatement {
        SQLStatement("SELECT run FROM lane_runs WHERE day = ? AND lane = ?", [day, lane])
    }

    static func busyWindows(_ dialect: SQLDialect) -> SQLStatement {
        SQLStatement("""
            SELECT DISTINCT "window" FROM tickets \(dialect.indexedBy("tickets_current"))
            WHERE state IN ('called', 'serving') AND "window" IS NOT NULL
            """)
    }

    static var windowStates: SQLStatement { SQLStatement("SELECT * FROM windows") }

    static func serviceTimes(day: String, category: String) -> SQLStatement {
        SQLStatement("SELECT seconds, cases FROM service_totals WHERE day = ? AND category = ?", [day, category])
    }
}

extension SQLAccess {
    /// Fetches a waiting ticket's view reads together where each statement is a round trip
    /// (PostgreSQL: one instead of six); the reads then come from what was fetched.
    func prefetchView(of t: Ticket) throws {
        guard session.prefetches, t.state == .waiting, let seat = try laneSeat(id: t.id), let position = seat.position else { return }
        try session.prefetch([
            ViewReads.laneGroupCounts(day: seat.group.day, lane: seat.group.lane),
            ViewReads.departures(seat.group, through: position - 1),
            ViewReads.laneRun(day: seat.group.day, lane: seat.group.lane),
            ViewReads.busyWindows(session.dialect),
            ViewReads.windowStates,
            ViewReads.serviceTimes(day: t.day.rawValue, category: t.category),
        ])
    }
}
