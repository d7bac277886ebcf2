import Foundation
import Testing

import KioskConfig
import KioskCore

/// `[daemon]`, `[storage]` and `[queue]`: paths, time, and the defaults when tables are absent.
@Suite struct DaemonSettingsTests {
    @Test func relativePathsResolveAgainstConfigFolder() throws {
        let config = try Fixture.parse(
            """
            [daemon]
            socket = "../run/kioskd.sock"
            state_dir = "state"

            [storage]
            path = "./db/../kioskd.sqlite"

            """ + Fixture.minimal + """

                [[devices]]
                id = "printer0"
                kind = "receipt-printer"
                transport = "simulated"
                output = "out/printer0"
                """)
        #expect(config.daemon.socket == "/etc/run/kioskd.sock")
        #expect(config.daemon.stateDir == "/etc/kioskd/state")
        #expect(config.storage.path == "/etc/kioskd/kioskd.sqlite")
        #expect(config.devices.first?.output == "/etc/kioskd/out/printer0")
    }

    @Test func absolutePathsAreKeptAsWritten() throws {
        let config = try Fixture.parse(
            """
            [daemon]
            socket = "/run/kioskd/kioskd.sock"
            state_dir = "/var/lib/kioskd"

            """ + Fixture.minimal)
        #expect(config.daemon.socket == "/run/kioskd/kioskd.sock")
        #expect(config.daemon.stateDir == "/var/lib/kioskd")
    }

    @Test func defaultsApplyWhenQueueTableMissing() throws {
        let config = try Fixture.parse(Fixture.minimal)
        #expect(config.queue == QueueSettings())
        #expect(config.queue.greenChannelAge == 60)
        #expect(config.queue.priorityBurst == 3)
        #expect(config.queue.maxRecalls == 3)
        #expect(config.queue.requeueLimit == 1)
        #expect(config.queue.alertWaitSeconds == 1800)
        #expect(config.queue.defaultServiceSeconds == 600)
        #expect(config.daemon == DaemonSettings())
        #expect(config.storage == StorageSettings())
        #expect(config.access == AccessTable())
        #expect(config.windows.isEmpty)
        #expect(config.devices.isEmpty)
    }

    @Test func queueKnobsAreRead() throws {
        let config = try Fixture.parse(
            Fixture.minimal + """
                [queue]
                priority_burst = 2
                max_recalls = 0
                alert_wait_seconds = 900
                """)
        #expect(config.queue.priorityBurst == 2)
        #expect(config.queue.maxRecalls == 0)
        #expect(config.queue.alertWaitSeconds == 900)
        #expect(config.queue.requeueLimit == 1)
    }

    @Test func priorityBurstOfZeroIsRefused() {
        let error = Fixture.refusal(Fixture.minimal + "[queue]\npriority_burst = 0\n")
        #expect(error?.line == 10)
        #expect(error?.key == "queue.priority_burst")
        #expect(error?.message == "must be a positive integer")
    }

    @Test func negativeRequeueLimitIsRefused() {
        let error = Fixture.refusal(Fixture.minimal + "[queue]\nrequeue_limit = -1\n")
        #expect(error?.line == 10)
        #expect(error?.key == "queue.requeue_limit")
        #expect(error?.message == "must be an integer of at least 0")
    }

    @Test func timezoneAndDayStartAreRead() throws {
        let config = try Fixture.parse(
            """
            [daemon]
            timezone = "Asia/Urumqi"
            day_starts_at = "04:30"
            log_level = "debug"
            socket_group = "kiosk"
            subscriber_buffer = 1024

            """ + Fixture.minimal)
        #expect(config.daemon.timeZone.identifier == "Asia/Urumqi")
        #expect(config.daemon.dayStartsAtMinutes == 270)
        #expect(config.daemon.logLevel == "debug")
        #expect(config.daemon.socketGroup == "kiosk")
        #expect(config.daemon.subscriberBuffer == 1024)
    }

    @Test func badTimezoneRefused() {
        let error = Fixture.refusal(
            """
            [daemon]
            state_dir = "/var/lib/kioskd"
            timezone = "Asia/Chongqing-City"
            """)
        #expect(error?.line == 3)
        #expect(error?.key == "daemon.timezone")
        #expect(error?.message.hasPrefix("unknown time zone \"Asia/Chongqing-City\"") == true)
    }

    @Test(arguments: ["24:00", "8:30", "08:60", "noon"])
    func badDayStartRefused(text: String) {
        let error = Fixture.refusal("[daemon]\nday_starts_at = \"\(text)\"\n")
        #expect(error?.line == 2)
        #expect(error?.key == "daemon.day_starts_at")
    }

    @Test func unknownLogLevelRefused() {
        let error = Fixture.refusal("[daemon]\nlog_level = \"verbose\"\n")
        #expect(error?.line == 2)
        #expect(error?.key == "daemon.log_level")
        #expect(error?.message == "must be one of trace, debug, info, notice, warning, error, critical, not \"verbose\"")
    }

    @Test func socketPathTooLongForUnixSocketsRefused() {
        let long = "/run/" + String(repeating: "k", count: 120) + ".sock"
        let error = Fixture.refusal("[daemon]\nsocket = \"\(long)\"\n")
        #expect(error?.line == 2)
        #expect(error?.key == "daemon.socket")
    }

    @Test func postgresNeedsAURL() {
        let error = Fixture.refusal(
            """
            [storage]
            backend = "postgres"
            """)
        #expect(error?.line == 1)
        #expect(error?.key == "storage.url")
        #expect(error?.message == "is required when backend = \"postgres\"")
    }

    @Test func postgresURLIsKept() throws {
        let config = try Fixture.parse(
            """
            [storage]
            backend = "postgres"
            url = "postgres://kioskd@db/kioskd"

            """ + Fixture.minimal)
        #expect(config.storage == StorageSettings(backend: .postgres, url: "postgres://kioskd@db/kioskd"))
    }

    @Test func urlWithSQLiteBackendIsRefused() {
        let error = Fixture.refusal("[storage]\nurl = \"postgres://db/kioskd\"\n")
        #expect(error?.line == 2)
        #expect(error?.key == "storage.url")
    }

    @Test func unknownBackendListsTheChoices() {
        let error = Fixture.refusal("[storage]\nbackend = \"mysql\"\n")
        #expect(error?.line == 2)
        #expect(error?.key == "storage.backend")
        #expect(error?.message == "must be one of \"sqlite\", \"postgres\", not \"mysql\"")
    }

    @Test func connectionBoundsHaveDefaultsAndCanBeSet() throws {
        let defaults = try Fixture.parse(Fixture.minimal).daemon
        #expect(defaults.maxConnections == nil)
        #expect(defaults.idleLineSeconds == 30)
        #expect(defaults.lineMemoryMiB == 64)
        #expect(defaults.subscriberBufferBytes == 256 * 1024)
        let set = try Fixture.parse("""
            [daemon]
            max_connections = 200
            idle_line_seconds = 5
            line_memory_mib = 8
            subscriber_buffer_bytes = 65536

            """ + Fixture.minimal).daemon
        #expect(set.maxConnections == 200)
        #expect(set.idleLineSeconds == 5)
        #expect(set.lineMemoryMiB == 8)
        #expect(set.subscriberBufferBytes == 65536)
    }

    @Test(arguments: ["max_connections = 0", "idle_line_seconds = 0", "line_memory_mib = 0", "subscriber_buffer_bytes = 100"])
    func connectionBoundsBelowTheirMinimumAreRefused(_ line: String) {
        let key = String(line.prefix { $0 != " " })
        let refusal = Fixture.refusal("[daemon]\n\(line)\n\n" + Fixture.minimal)
        #expect(refusal?.description.contains(key) == true, "\(String(describing: refusal))")
    }

    /// `[daemon] terminal` names this machine in the hall: the host name (without its domain)
    /// unless given; a name that could not be a key is refused at its line.
    @Test func theTerminalIsTheHostNameUnlessNamed() throws {
        let host = ProcessInfo.processInfo.hostName.split(separator: ".").first.map(String.init) ?? ""
        #expect(try Fixture.parse(Fixture.minimal).daemon.terminal == (host.isEmpty || host == "localhost" ? "kioskd" : host))
        #expect(try Fixture.parse("[daemon]\nterminal = \"T01\"\n" + Fixture.minimal).daemon.terminal == "T01")
        for (bad, says) in [("", "must not be empty"), ("一号机", "1 to 64 letters, digits"), ("T 01", "1 to 64 letters, digits"),
            (String(repeating: "x", count: 65), "1 to 64 letters, digits")] {
            let error = Fixture.refusal("[daemon]\nterminal = \"\(bad)\"\n" + Fixture.minimal)
            #expect(error?.line == 2 && error?.key == "daemon.terminal", "\(bad)")
            #expect(error?.message.contains(says) == true, "\(String(describing: error))")
        }
    }
}
