/// The words of one announcement (播报内容), before any engine turns them into sound.
///
/// Why parts instead of a string: the number must be read digit by digit, the window by its
/// voice name, and the template's own words as written; each engine needs to know which is
/// which (espeak-ng gets a text it reads the same way, the clips engine a list of clip names).
public struct AnnouncementText: Sendable, Equatable {
    public enum Part: Sendable, Equatable {
        /// Words of the template (请, 号到, 办理) or a technician's free text.
        case words(String)
        /// A ticket number, already split into what is said (A, 零, 一, 二).
        case number(written: String, spoken: [String])
        /// A window's voice name (三号窗口, 3号窗口).
        case window(String)
    }

    public var parts: [Part]

    public init(parts: [Part]) { self.parts = parts }

    /// `template` with `{number}` and `{window}` filled in, e.g. 请{number}号到{window}办理 with
    /// A012 and 3号窗口.
    public init(template: String, number: String, window: String) {
        var parts: [Part] = []
        var literal = ""
        var rest = Substring(template)
        func flush() {
            if !literal.isEmpty { parts.append(.words(literal)) }
            literal = ""
        }
        while let first = rest.first {
            if rest.hasPrefix("{number}") {
                flush()
                parts.append(.number(written: number, spoken: SpokenNumber.ticketWords(number)))
                rest = rest.dropFirst("{number}".count)
            } else if rest.hasPrefix("{window}") {
                flush()
                parts.append(.window(window))
                rest = rest.dropFirst("{window}".count)
            } else {
                literal.append(first)
                rest = rest.dropFirst()
            }
        }
        flush()
        self.parts = parts
    }

    /// Free text, as `kioskctl say` gives it.
    public init(saying text: String) { parts = [.words(text)] }

    /// As people read it on a screen and in events: 请A012号到3号窗口办理.
    public var display: String {
        parts.map { part in
            switch part {
            case .words(let text), .window(let text): text
            case .number(let written, _): written
            }
        }.joined()
    }

    /// What espeak-ng is given: the number as separate words (请 A 零 一 二 号到3号窗口办理), so it
    /// reads 零一二 instead of the value 十二.
    public var speech: String {
        parts.map { part in
            switch part {
            case .words(let text), .window(let text): text
            case .number(_, let spoken): " " + spoken.joined(separator: " ") + " "
            }
        }.joined()
    }
}
