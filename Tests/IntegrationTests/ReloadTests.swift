import Foundation
import KioskClient
import KioskProtocol
import Testing

/// SIGHUP reloads categories, windows and access without dropping connections; a bad file is
/// refused and the running configuration stays.
@Suite(.serialized) struct ReloadTests {
    @Test func sighupReloadsAndABadReloadIsRefused() throws {
        let daemon = try DaemonHarness()
        try daemon.start()
        let c = try daemon.client()
        let watcher = try daemon.client(role: "display")
        try watcher.call("events.subscribe", ["topics": ["config.*"]])
        #expect(try c.call("queue.categories").arrayValue?.count == 4)
        let original = try String(contentsOfFile: daemon.configPath, encoding: .utf8)
        try daemon.rewriteConfig(original + """

            [[categories]]
            id = "E"
            name = "出入境"
            prefix = "E"
            hours = "00:00-24:00"
            """)
        daemon.signal(SIGHUP)
        try waitUntil { try c.call("queue.categories").arrayValue?.count == 5 }
        #expect(try c.call("queue.take", ["category": "E"])["number"] == .string("E001"))
        let reloaded = try #require(try watcher.nextEvent(timeout: 5))
        #expect(reloaded.topic == "config.reloaded")
        #expect(reloaded.data["ok"] == .bool(true))
        #expect(reloaded.data["categories"]?.arrayValue?.contains("E") == true)

        try daemon.rewriteConfig(original + "\n[[categories]]\nid = \"F\"\nname = 1\n")
        daemon.signal(SIGHUP)
        try waitUntil { try c.call("daemon.status")["lastReload"]?["ok"] == .bool(false) }
        let status = try c.call("daemon.status")
        #expect(status["lastReload"]?["error"]?.stringValue?.contains("kioskd.toml") == true)
        let refused = try #require(try watcher.nextEvent(timeout: 5))
        #expect(refused.data["ok"] == .bool(false))
        #expect(refused.data["error"]?.stringValue?.contains("kioskd.toml") == true)
        // Still the five categories of the last good file, on the same connection.
        #expect(try c.call("queue.categories").arrayValue?.count == 5)
    }

    @Test func aConfigErrorStopsTheDaemonFromStartingAndNamesFileLineAndKey() throws {
        let daemon = try DaemonHarness()
        let original = try String(contentsOfFile: daemon.configPath, encoding: .utf8)
        try daemon.rewriteConfig(original.replacingOccurrences(of: "daily_limit = 300", with: "daily_limit = \"many\""))
        #expect(throws: HarnessError.self) { try daemon.start(timeout: 20) }
        daemon.process?.waitUntilExit()
        #expect(daemon.process?.terminationStatus == 78)
        let log = daemon.log()
        #expect(log.contains("kioskd.toml:"), "log: \(log)")
        #expect(log.contains("daily_limit"))
    }

    func waitUntil(_ condition: () throws -> Bool) throws {
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            if try condition() { return }
            usleep(20_000)
        }
        Issue.record("condition not met within 10 s")
    }
}
