import ArgumentParser
import KioskProtocol

/// `kioskctl screens`: screen.list.
struct ScreensCommand: KioskCommand {
    static let configuration = CommandConfiguration(
        commandName: "screens",
        abstract: "List the hall screens (大厅显示屏): where a browser opens each, and how many are watching.",
        discussion: "A screen with 0 clients is dark, or its browser cannot reach kioskd.")

    @OptionGroup(title: "Connection and output") var connection: ConnectionOptions

    func perform(_ link: DaemonLink) throws {
        try link.show(link.call(.screenList)) { r in
            let list = r["screens"]?.arrayValue ?? []
            guard let listen = r.text("listen") else {
                return "No HTTP listener: set [http] listen = \"0.0.0.0:8080\" and add [[screens]]."
            }
            guard !list.isEmpty else { return "HTTP on \(listen); no [[screens]] are configured." }
            var table = Table("id", "name", "clients", "voice", "url")
            table.shape("name", .cut(min: 8))
            table.shape("url", .cut(min: 24))
            for s in list {
                table.add(s.text("id") ?? "", s.text("name") ?? "", s.text("clients") ?? "0",
                    s["voice"]?.boolValue == true ? "yes" : "no", s.text("url") ?? "")
            }
            return "HTTP on \(listen)\n" + table.render()
        }
    }
}

/// `kioskctl say TEXT`: voice.say.
struct SayCommand: KioskCommand {
    static let configuration = CommandConfiguration(
        commandName: "say",
        abstract: "Announce any text on the hall's voice (叫号语音), after the chime: a technician's sound check.")

    @OptionGroup(title: "Connection and output") var connection: ConnectionOptions
    @Argument(help: ArgumentHelp("What to say, e.g. 请A001号到1号窗口办理 (at most 200 characters).", valueName: "text"))
    var text: String

    var answerTimeout: Double? { 120 }

    func validate() throws { try Check.notEmpty(text, "TEXT") }

    func perform(_ link: DaemonLink) throws {
        try link.show(link.call(.voiceSay, VoiceSayParams(text: text))) { r in
            let seconds: Double = switch r["seconds"] {
            case .double(let d)?: d
            case .int(let i)?: Double(i)
            default: 0
            }
            let whereTo = r["playedLocally"]?.boolValue == true ? "on \(r.text("endpoint") ?? "the speakers")" : "(no local output: device = none)"
            return "said \(r.text("text") ?? text) \(whereTo), \(String(format: "%.1f", seconds)) s"
        }
    }
}

/// `kioskctl voice test`: voice.test.
struct VoiceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "voice",
        abstract: "Check the hall's voice device.",
        subcommands: [Test.self])

    struct Test: KioskCommand {
        static let configuration = CommandConfiguration(
            commandName: "test",
            abstract: "Play a test announcement and report how the voice device is.",
            discussion: "Exits with status 2 when the test fails.")

        @OptionGroup(title: "Connection and output") var connection: ConnectionOptions

        var answerTimeout: Double? { 120 }

        func perform(_ link: DaemonLink) throws {
            let r = try link.call(.voiceTest)
            let passed = r["passed"]?.boolValue
            link.show(r) { r in
                var text = "\(r.text("id") ?? "voice")" + (passed == false ? ": FAILED" : ": passed")
                if let m = r.text("message") { text += " — \(m)" }
                return text
            }
            if passed == false { throw CommandFailure(message: "the voice failed its test (test_failed)") }
        }
    }
}
