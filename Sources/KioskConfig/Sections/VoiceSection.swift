import KioskCore

/// `[voice]`: the spoken announcements. Optional; unset keys keep `VoiceSettings`' defaults.
/// Paths (`clips`, `chime`) resolve against the config file's folder like every other path.
/// Whether the clips and the ALSA device are really there is the voice device's health, not a
/// configuration error: a hall must still call numbers with its speakers unplugged.
extension VoiceSettings {
    static let configKeys: Set<String> = [
        "engine", "clips", "device", "template", "repeat", "chime", "max_delay_seconds",
    ]

    /// The placeholders a template may use.
    static let placeholders: Set<String> = ["number", "window"]

    static func read(from root: TableReader) throws(ConfigError) -> VoiceSettings? {
        try root.table("voice").map { table throws(ConfigError) in try VoiceSettings(reading: table) }
    }

    init(reading table: TableReader) throws(ConfigError) {
        try table.refuseUnknownKeys(Self.configKeys)
        self.init()
        if let value = try table.choice("engine", among: Engine.allCases) { engine = value }
        clips = try table.string("clips").map(table.document.resolve)
        if engine == .clips, clips == nil {
            throw table.error("clips", "is required for engine = \"clips\" (the folder of WAV clips)")
        }
        if let device = try table.string("device") {
            switch device {
            case "none": output = .none
            case "auto": output = .auto
            default: output = .alsa(device)
            }
        }
        if let value = try table.string("template") {
            try Self.checkTemplate(value, in: table)
            template = value
        }
        if let value = try table.int("repeat", atLeast: 1) { repeatCount = value }
        chime = try table.string("chime").map(table.document.resolve)
        if let value = try table.int("max_delay_seconds", atLeast: 1) { maxDelaySeconds = value }
    }

    /// `{number}` must be there (an announcement without the number calls nobody); any other
    /// `{…}` is a typo that would otherwise be spoken aloud.
    private static func checkTemplate(_ template: String, in table: TableReader) throws(ConfigError) {
        var rest = Substring(template)
        var found: Set<String> = []
        while let open = rest.firstIndex(of: "{") {
            guard let close = rest[open...].firstIndex(of: "}") else {
                throw table.error("template", "has a \"{\" without its \"}\"")
            }
            let name = String(rest[rest.index(after: open)..<close])
            guard placeholders.contains(name) else {
                throw table.error("template", "unknown placeholder {\(name)}; use {number} and {window}")
            }
            found.insert(name)
            rest = rest[rest.index(after: close)...]
        }
        guard found.contains("number") else {
            throw table.error("template", "must contain {number}")
        }
    }
}
