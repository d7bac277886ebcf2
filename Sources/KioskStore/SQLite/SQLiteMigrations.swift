import GRDB

/// The schema, as named migrations that never change once released: add a new one instead.
enum SQLiteMigrations {
    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1_queue") { db in
            try db.execute(sql: """
                CREATE TABLE tickets (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    day TEXT NOT NULL,
                    category TEXT NOT NULL,
                    issue_category TEXT NOT NULL,
                    sequence INTEGER NOT NULL,
                    number TEXT NOT NULL,
                    state TEXT NOT NULL,
                    priority TEXT NOT NULL,
                    issued_at REAL NOT NULL,
                    order_key INTEGER NOT NULL,
                    front INTEGER NOT NULL DEFAULT 0,
                    assigned_window TEXT,
                    window TEXT,
                    staff TEXT,
                    called_at REAL,
                    first_called_at REAL,
                    started_at REAL,
                    finished_at REAL,
                    recalls INTEGER NOT NULL DEFAULT 0,
                    requeues INTEGER NOT NULL DEFAULT 0,
                    transfers INTEGER NOT NULL DEFAULT 0,
                    person_key TEXT,
                    person_masked TEXT,
                    appointment_code TEXT,
                    cancel_reason TEXT,
                    UNIQUE (day, number)
                );
                CREATE INDEX tickets_waiting ON tickets (day, state, category, assigned_window, front, priority, order_key);
                CREATE INDEX tickets_assigned ON tickets (assigned_window, day, state) WHERE assigned_window IS NOT NULL;
                -- Only tickets at a window right now: stays small however many were served.
                CREATE INDEX tickets_current ON tickets (window) WHERE state IN ('called', 'serving');
                CREATE INDEX tickets_person ON tickets (person_key, category, state) WHERE person_key IS NOT NULL;
                CREATE INDEX tickets_active ON tickets (state, day) WHERE state IN ('waiting', 'called', 'serving');

                -- Issued count per category per hall-day: the source of ticket sequences.
                CREATE TABLE day_counters (
                    day TEXT NOT NULL, category TEXT NOT NULL, issued INTEGER NOT NULL,
                    PRIMARY KEY (day, category)
                ) WITHOUT ROWID;

                -- Finished service time per category and day, kept as each case finishes, for
                -- the wait estimate (summing the day's cases on every request grows with the day).
                CREATE TABLE service_totals (
                    day TEXT NOT NULL, category TEXT NOT NULL, seconds REAL NOT NULL, cases INTEGER NOT NULL,
                    PRIMARY KEY (day, category)
                ) WITHOUT ROWID;

                -- Priority calls in a row per lane, for priority_burst.
                CREATE TABLE lane_runs (
                    day TEXT NOT NULL, lane TEXT NOT NULL, run INTEGER NOT NULL,
                    PRIMARY KEY (day, lane)
                ) WITHOUT ROWID;

                CREATE TABLE windows (
                    id TEXT PRIMARY KEY, status TEXT NOT NULL, staff TEXT, since REAL
                ) WITHOUT ROWID;

                CREATE TABLE evaluations (
                    ticket_id INTEGER PRIMARY KEY REFERENCES tickets(id),
                    day TEXT NOT NULL, number TEXT NOT NULL, category TEXT NOT NULL,
                    window TEXT, staff TEXT, score INTEGER NOT NULL,
                    case_number TEXT, comment TEXT, submitted_at REAL NOT NULL
                );
                CREATE INDEX evaluations_day ON evaluations (day);

                CREATE TABLE appointments (
                    code TEXT PRIMARY KEY, category TEXT NOT NULL,
                    slot_start REAL NOT NULL, slot_end REAL NOT NULL,
                    person_key TEXT, person_masked TEXT, ticket_id INTEGER, created_at REAL NOT NULL
                ) WITHOUT ROWID;

                -- The hall's event log: seq is hall-wide and never reused (AUTOINCREMENT).
                CREATE TABLE events (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    topic TEXT NOT NULL, at REAL NOT NULL, data TEXT NOT NULL
                );

                CREATE TABLE alerts (category TEXT PRIMARY KEY, active INTEGER NOT NULL) WITHOUT ROWID;
                CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
                CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
                """)
        }
        m.registerMigration("v2_certificates") { db in
            try db.execute(sql: """
                -- One row per certificate serial; a reprint is a new row (reprint_of) and voids the old.
                CREATE TABLE certificates (
                    serial TEXT PRIMARY KEY,
                    day TEXT NOT NULL,
                    sequence INTEGER NOT NULL,
                    order_id TEXT NOT NULL,
                    type TEXT NOT NULL,
                    department TEXT NOT NULL,
                    holder_name TEXT NOT NULL,
                    holder_key TEXT NOT NULL,
                    holder_masked TEXT NOT NULL,
                    fields TEXT NOT NULL,
                    accepted_by_id TEXT NOT NULL, accepted_by_name TEXT NOT NULL,
                    approved_by_id TEXT NOT NULL, approved_by_name TEXT NOT NULL,
                    delivery_mode TEXT NOT NULL, delivery_address TEXT,
                    print_mode TEXT NOT NULL,
                    state TEXT NOT NULL,
                    issued_at REAL NOT NULL,
                    order_digest TEXT NOT NULL,
                    qr_payload TEXT,
                    printer TEXT,
                    released_by_id TEXT, released_by_name TEXT,
                    carrier TEXT, tracking_number TEXT,
                    reprint_of TEXT REFERENCES certificates(serial),
                    void_reason TEXT,
                    updated_at REAL NOT NULL,
                    UNIQUE (day, sequence)
                ) WITHOUT ROWID;
                -- An order has one original certificate; reprints share its order_id.
                CREATE UNIQUE INDEX certificates_order ON certificates (order_id) WHERE reprint_of IS NULL;
                CREATE INDEX certificates_order_all ON certificates (order_id);
                CREATE INDEX certificates_state ON certificates (state, day);
                CREATE INDEX certificates_holder ON certificates (holder_key, state);

                CREATE TABLE certificate_history (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    serial TEXT NOT NULL REFERENCES certificates(serial),
                    at REAL NOT NULL, state TEXT NOT NULL, actor TEXT NOT NULL, note TEXT
                );
                CREATE INDEX certificate_history_serial ON certificate_history (serial, id);

                -- Recorded before a job is handed to a printer; the job is named after it.
                CREATE TABLE print_attempts (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    serial TEXT NOT NULL REFERENCES certificates(serial),
                    number INTEGER NOT NULL,
                    printer TEXT NOT NULL,
                    job_name TEXT NOT NULL UNIQUE,
                    job INTEGER,
                    state TEXT NOT NULL,
                    reason TEXT,
                    created_at REAL NOT NULL, updated_at REAL NOT NULL,
                    UNIQUE (serial, number)
                );
                CREATE INDEX print_attempts_open ON print_attempts (state) WHERE state IN ('pending', 'submitted', 'held');

                -- The SHA-256 hash chain of everything done to certificates (append only).
                CREATE TABLE audit (
                    seq INTEGER PRIMARY KEY,
                    at_ms INTEGER NOT NULL,
                    action TEXT NOT NULL, subject TEXT NOT NULL, actor TEXT NOT NULL, details TEXT NOT NULL,
                    prev_hash TEXT NOT NULL, hash TEXT NOT NULL
                );
                """)
        }
        m.registerMigration("v3_pickup_code_failures") { db in
            try db.execute(sql: """
                ALTER TABLE certificates ADD COLUMN pickup_code_failures INTEGER NOT NULL DEFAULT 0;
                """)
        }
        m.registerMigration("v4_lane_groups") { db in
            try db.execute(sql: """
                -- A waiting ticket's place in its lane group, given as it enters (see LaneGroups.swift).
                ALTER TABLE tickets ADD COLUMN lane_position INTEGER;
                -- Per day, lane and group (front, priority, normal): how many wait, how many entered.
                CREATE TABLE lane_groups (
                    id INTEGER PRIMARY KEY,
                    day TEXT NOT NULL, lane TEXT NOT NULL, kind TEXT NOT NULL,
                    waiting INTEGER NOT NULL, entered INTEGER NOT NULL, last_order_key INTEGER NOT NULL,
                    UNIQUE (day, lane, kind)
                );
                -- Departures by position, as a Fenwick tree: node i counts those in (i - (i & -i), i].
                CREATE TABLE lane_departures (
                    lane_group INTEGER NOT NULL, node INTEGER NOT NULL, departed INTEGER NOT NULL,
                    PRIMARY KEY (lane_group, node)
                ) WITHOUT ROWID;
                -- The oldest waiting ticket of a category (waitingSummary, alerts) without a scan.
                CREATE INDEX tickets_waiting_since ON tickets (day, category, issued_at)
                    WHERE state = 'waiting' AND assigned_window IS NULL;
                """)
            try SQLAccess(SQLiteSession(db: db), log: nil).rebuildAllLaneGroups()
        }
        m.registerMigration("v5_events_by_topic") { db in
            // A screen's recent calls: today's events of a few topics, without walking the whole log.
            try db.execute(sql: "CREATE INDEX events_topic_at ON events (topic, at)")
        }
        m.registerMigration("v6_terminals") { db in
            try db.execute(sql: """
                -- Terminals sharing a database report themselves and their devices (see Terminals.swift);
                -- on SQLite the tables stay empty: one daemon, whose devices are in memory.
                CREATE TABLE terminals (
                    name TEXT PRIMARY KEY, seen_at REAL NOT NULL, started_at REAL NOT NULL, version TEXT NOT NULL
                ) WITHOUT ROWID;
                CREATE TABLE terminal_devices (
                    terminal TEXT NOT NULL, id TEXT NOT NULL, entry TEXT NOT NULL, updated_at REAL NOT NULL,
                    PRIMARY KEY (terminal, id)
                ) WITHOUT ROWID;
                """)
        }
        m.registerMigration("v7_print_terminals_and_leases") { db in
            try db.execute(sql: """
                -- Which terminal's printer has a job: only that daemon can look it up after a crash.
                ALTER TABLE print_attempts ADD COLUMN terminal TEXT;
                -- Hall-wide work one daemon at a time (the certificate pipeline): who, until when.
                CREATE TABLE leases (name TEXT PRIMARY KEY, holder TEXT NOT NULL, expires_at REAL NOT NULL) WITHOUT ROWID;
                """)
        }
        m.registerMigration("v8_terminal_heard_at") { db in
            // When the database heard from a terminal, by its own clock (staleness is judged by it).
            try db.execute(sql: "ALTER TABLE terminals ADD COLUMN heard_at REAL")
        }
        m.registerMigration("v9_ticket_count") { db in
            // The number of tickets stored, for daemon.status, kept as they are inserted (never
            // deleted); counted once here. The counters page is written by every take already.
            try db.execute(sql: """
                INSERT INTO counters (name, value) SELECT 'tickets', COUNT(*) FROM tickets;
                CREATE TRIGGER tickets_counted AFTER INSERT ON tickets BEGIN
                    UPDATE counters SET value = value + 1 WHERE name = 'tickets';
                END;
                """)
        }
        return m
    }
}
