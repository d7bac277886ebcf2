import Foundation
import KioskCore

/// A window device's protocol as data (`Devices/profiles/<name>.toml` with a `family` key), so a
/// technician adds a vendor's strip or keypad by writing a file: the framing family, what each
/// function code means, the modes and colours, the texts per window state, timeouts and retries.
///
/// Flat like the model profiles (`FlatTOML`): `called_text = "请{number}号"`, `called_mode =
/// "blinking"`, `mode_blinking = "01"`, `function_call_next = "0C"`.
public struct WindowDeviceProfile: Sendable, Equatable {
    /// The framings kioskd speaks.
    public enum Family: String, Sendable, Equatable, CaseIterable {
        /// LED text controllers: `A5 … 5A` with escaping and CRC-16/MODBUS (窗口屏).
        case ledA5 = "led-a5"
        /// The M-Bus-style long frame `68 L L 68 … CS 16` of keypads and evaluators (呼叫器, 评价器).
        case keypad68 = "keypad-68"
    }

    /// What a strip shows in one window state: text (with `{number}`, `{window}`), mode, colour.
    public struct Look: Sendable, Equatable {
        public var text: String
        public var mode: UInt8
        public var colour: UInt8
    }

    /// What a key of a keypad (or an evaluator's rating) asks for.
    public enum Action: String, Sendable, Equatable, CaseIterable {
        case callNext = "call_next", recall, start, finish
        case noShow = "no_show"
        case pause, resume, evaluation
    }

    public var name: String
    public var family: Family
    /// Milliseconds a display has to answer a frame.
    public var timeoutMilliseconds: Int
    /// Tries after the first before a display is `fault`.
    public var retries: Int
    public var brightness: UInt8

    // Displays (led-a5).
    /// A ticket just called (or recalled), for `calledSeconds`.
    public var called: Look
    public var calledSeconds: Int
    /// The ticket being served, after `calledSeconds`.
    public var serving: Look
    /// Open, nobody at the window.
    public var open: Look
    /// 暂停服务.
    public var paused: Look
    /// Closed (empty text blanks the strip).
    public var idle: Look
    /// `kioskctl device test`.
    public var test: Look

    // Keypads and evaluators (keypad-68).
    /// Function code → action.
    public var functions: [UInt8: Action]
    /// The function that writes text to a keypad's own display.
    public var displayFunction: UInt8
    /// The same frame again from the same address within this many milliseconds is the device
    /// repeating a press whose acknowledgement it missed, not a second press.
    public var repeatMilliseconds: Int
    /// Keypad display texts: after a step (`{number}`, `{waiting}`), and when a step is refused (`{reason}`).
    public var keypadDone: String
    public var keypadRefused: String
    /// Evaluator display texts: rating recorded, nothing to rate, already rated.
    public var evaluatorThanks: String
    public var evaluatorNothing: String
    public var evaluatorRefused: String

    /// The file it came from, for messages.
    public var source: String

    /// Whether a profile file describes a window device (has a `family` key).
    public static func isWindowProfile(_ text: String) -> Bool {
        (try? FlatTOML.parse(text))?.contains { $0.key == "family" } ?? false
    }

    static let modeNames = ["steady", "blinking"]
    static let colourNames = ["red", "green", "yellow"]
    static let lookStates = ["called", "serving", "open", "paused", "idle", "test"]

    /// The keys a window-device profile may have.
    public static var keys: Set<String> {
        var keys: Set<String> = [
            "name", "family", "timeout_ms", "retries", "brightness", "called_seconds", "repeat_ms", "function_display",
            "keypad_done_text", "keypad_refused_text", "evaluator_thanks_text", "evaluator_nothing_text",
            "evaluator_refused_text",
        ]
        for state in lookStates { keys.formUnion(["\(state)_text", "\(state)_mode", "\(state)_colour"]) }
        for m in modeNames { keys.insert("mode_\(m)") }
        for c in colourNames { keys.insert("colour_\(c)") }
        for a in Action.allCases { keys.insert("function_\(a.rawValue)") }
        return keys
    }

    /// Parses one profile; `file` names it in errors.
    public static func parse(_ text: String, file: String) throws(ProfileError) -> WindowDeviceProfile {
        let fields = try ProfileFields(parsing: text, file: file, keys: keys)
        let family = try fields.enumeration("family", Family.self)
        func byte(_ key: String, default value: UInt8) throws(ProfileError) -> UInt8 {
            guard fields.entries[key] != nil else { return value }
            let s = try fields.string(key)
            guard s.count == 2, let b = UInt8(s, radix: 16) else {
                throw fields.fail(key, "\(key) must be one byte in hex (\"0C\"), not \"\(s)\"")
            }
            return b
        }
        func words(_ key: String, default value: String) throws(ProfileError) -> String {
            guard let entry = fields.entries[key] else { return value }
            guard case .string(let s) = entry.value else { throw fields.fail(key, "\(key) must be a string") }
            return s
        }
        var modes: [String: UInt8] = [:]
        for (i, m) in modeNames.enumerated() { modes[m] = try byte("mode_\(m)", default: UInt8(i)) }
        var colours: [String: UInt8] = [:]
        for (i, c) in colourNames.enumerated() { colours[c] = try byte("colour_\(c)", default: UInt8(i + 1)) }
        func look(_ state: String, text defaultText: String, mode defaultMode: String, colour defaultColour: String) throws(ProfileError) -> Look {
            let t = try words("\(state)_text", default: defaultText)
            let modeName = try words("\(state)_mode", default: defaultMode)
            let colourName = try words("\(state)_colour", default: defaultColour)
            guard let mode = modes[modeName] else {
                throw fields.fail("\(state)_mode", "\(state)_mode must be one of \(modeNames.joined(separator: ", ")), not \"\(modeName)\"")
            }
            guard let colour = colours[colourName] else {
                throw fields.fail("\(state)_colour", "\(state)_colour must be one of \(colourNames.joined(separator: ", ")), not \"\(colourName)\"")
            }
            return Look(text: t, mode: mode, colour: colour)
        }
        let defaults: [Action: UInt8] = [
            .callNext: 0x0C, .recall: 0x0D, .start: 0x0E, .finish: 0x0F, .noShow: 0x10, .evaluation: 0x11, .pause: 0x12,
            .resume: 0x13,
        ]
        var functions: [UInt8: Action] = [:]
        for action in Action.allCases {
            let code = try byte("function_\(action.rawValue)", default: defaults[action]!)
            if let other = functions[code] {
                throw fields.fail("function_\(action.rawValue)", "function code \(String(format: "%02X", code)) is already \(other.rawValue)")
            }
            functions[code] = action
        }
        let called = try look("called", text: "请{number}号", mode: "blinking", colour: "red")
        let timeout = try fields.optionalInt("timeout_ms", positive: true) ?? 300
        let retries = try fields.optionalInt("retries", positive: false) ?? 2
        let brightness = try fields.optionalInt("brightness", positive: false) ?? 8
        guard (0...255).contains(brightness) else { throw fields.fail("brightness", "brightness must be 0 to 255") }
        guard (0...10).contains(retries) else { throw fields.fail("retries", "retries must be 0 to 10") }
        return WindowDeviceProfile(
            name: try fields.string("name"), family: family, timeoutMilliseconds: timeout, retries: retries,
            brightness: UInt8(brightness),
            called: called, calledSeconds: try fields.optionalInt("called_seconds", positive: true) ?? 10,
            serving: try look("serving", text: called.text, mode: "steady", colour: "red"),
            open: try look("open", text: "欢迎光临", mode: "steady", colour: "green"),
            paused: try look("paused", text: "暂停服务", mode: "steady", colour: "yellow"),
            idle: try look("idle", text: "", mode: "steady", colour: "green"),
            test: try look("test", text: "测试{window}", mode: "blinking", colour: "yellow"),
            functions: functions, displayFunction: try byte("function_display", default: 0x20),
            repeatMilliseconds: try fields.optionalInt("repeat_ms", positive: true) ?? 1_000,
            keypadDone: try words("keypad_done_text", default: "{number} 等候{waiting}人"),
            keypadRefused: try words("keypad_refused_text", default: "{reason}"),
            evaluatorThanks: try words("evaluator_thanks_text", default: "谢谢评价"),
            evaluatorNothing: try words("evaluator_nothing_text", default: "暂无可评价业务"),
            evaluatorRefused: try words("evaluator_refused_text", default: "{reason}"),
            source: file)
    }

    /// The shipped family's defaults (the same values as `Devices/profiles/<family>.toml`), for a
    /// machine where the profile folder is not installed: the standard protocols work anyway.
    public static func builtIn(_ family: Family) -> WindowDeviceProfile {
        // The defaults of `parse` are the shipped profiles' values; only name and family are given.
        try! parse("name = \"\(family.rawValue) (built in)\"\nfamily = \"\(family.rawValue)\"\n", file: "(built in)")
    }

    /// Every window-device profile in `directory`, by name (the file name without `.toml`).
    public static func load(directory: String) throws(ProfileError) -> [String: WindowDeviceProfile] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return [:] }
        var profiles: [String: WindowDeviceProfile] = [:]
        for name in names.sorted() where name.hasSuffix(".toml") {
            let path = (directory as NSString).appendingPathComponent(name)
            guard let text = try? String(contentsOfFile: path, encoding: .utf8), isWindowProfile(text) else { continue }
            profiles[String(name.dropLast(5))] = try parse(text, file: path)
        }
        return profiles
    }
}
