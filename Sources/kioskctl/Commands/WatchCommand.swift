import ArgumentParser
import Dispatch
import Foundation
import KioskClient
import KioskProtocol

/// `kioskctl watch`: events.subscribe, then one line per event.
struct WatchCommand: KioskCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Follow the hall's events as they happen, one line each (Ctrl-C to stop).",
        discussion: """
            TOPICS are event names or prefixes ending in *, e.g. ticket.called 'window.*'; all \
            events when none. --since N first replays the stored events after seq N, so nothing is \
            missed across a restart: the seq is the second column. With --json each event's params \
            are printed as one JSON object per line, for scripts.
            Ends on Ctrl-C (exit 0) or when kioskd closes the connection.
            """)

    @OptionGroup(title: "Connection and output") var connection: ConnectionOptions

    @Argument(help: ArgumentHelp("Topics or prefixes (ticket.*); everything when none.", valueName: "topic"))
    var topics: [String] = []

    @Option(help: ArgumentHelp("Replay the stored events after this seq first (0: from the beginning).", valueName: "seq"))
    var since: Int64?

    func validate() throws {
        for t in topics {
            try Check.notEmpty(t, "A topic")
            guard t.count <= 64 else { throw ValidationError("Topic \"\(t.prefix(20))…\" is too long (64 characters at most).") }
            if t.dropLast().contains("*") { throw ValidationError("\"\(t)\": * may only end a topic prefix, as in ticket.*.") }
        }
        if let since, since < 0 { throw ValidationError("--since must be 0 or more.") }
    }

    func perform(_ link: DaemonLink) throws {
        let stop = StopFlag()
        var sources: [DispatchSourceSignal] = []
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { stop.set() }
            source.resume()
            sources.append(source)
        }
        defer { sources.forEach { $0.cancel() } }

        let answer = try link.call(.eventsSubscribe, SubscribeParams(topics: topics.isEmpty ? nil : topics, since: since))
        if !link.json {
            let what = topics.isEmpty ? "all events" : topics.joined(separator: " ")
            let from = since.map { "after seq \($0)" } ?? "from now (last seq \(answer.text("head") ?? "?"))"
            Output.note("watching \(what) \(from); Ctrl-C to stop")
        }
        var last = answer.int("since").map(Int64.init) ?? since ?? 0
        while !stop.isSet {
            let event: EventMessage.Params?
            do {
                event = try link.client.nextEvent(timeout: 0.25)
            } catch KioskClient.ClientError.closed {
                Output.note("kioskd closed the connection after seq \(last); resume with: kioskctl watch \(topics.map { "'\($0)' " }.joined())--since \(last)")
                return
            }
            guard let event else { continue }
            last = event.seq
            if link.json {
                Output.line(Format.compactJSON(try JSONValue(encoding: event)))
            } else {
                Output.line(EventSummary.line(event))
            }
        }
    }
}

/// Set from a signal handler's queue, read by the event loop.
final class StopFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    var isSet: Bool { lock.withLock { value } }
    func set() { lock.withLock { value = true } }
}
