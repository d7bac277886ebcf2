/// The layout of a queue ticket (排队小票), top to bottom, as a hall writes it in
/// `Config/tickets/*.toml` and names it with `[[devices]] layout = "…"`: which lines, in which
/// size, which only on priority tickets or only on 80 mm paper. A technician changes the
/// wording or order without code; the printer drivers turn it into ESC/POS commands.
///
/// Text may hold placeholders filled per ticket; `placeholders` lists them. Everything is
/// centred (a ticket is read at a glance); text wraps at the paper's columns.
public struct TicketTemplate: Sendable, Equatable {
    /// One block of the slip.
    public enum Block: Sendable, Equatable {
        /// A line (wrapped as needed). `english`, when given, is joined as "中文 / English" if the
        /// two fit one line, else printed on the next line.
        case text(Text)
        /// Empty lines.
        case blank(lines: Int)
        /// The ticket's QR code.
        case qr
        /// Paper fed before the cut.
        case feed(lines: Int)
    }

    public struct Text: Sendable, Equatable {
        public var chinese: String
        public var english: String?
        public var bold: Bool
        public var size: Size
        public var when: Condition?
        /// Printed only on this paper width (58 or 80 mm); nil prints on both.
        public var paperMM: Int?

        public init(
            _ chinese: String, english: String? = nil, bold: Bool = false, size: Size = .normal,
            when: Condition? = nil, paperMM: Int? = nil
        ) {
            self.chinese = chinese
            self.english = english
            self.bold = bold
            self.size = size
            self.when = when
            self.paperMM = paperMM
        }
    }

    /// Character magnification: a factor 1…8, or as large as the line allows (the number).
    public enum Size: Sendable, Equatable {
        case times(Int)
        case max
        public static let normal = Size.times(1)
    }

    /// When a text block is printed.
    public enum Condition: String, Sendable, Equatable, CaseIterable {
        /// Green-channel and appointment tickets (`{priority}` is not empty).
        case priority
        /// Someone is ahead or a wait is expected (`{waitMinutes}` > 0).
        case waiting
        /// No wait is expected: "you are next".
        case next
    }

    /// The placeholders text may use, with what they become.
    public static let placeholders: [String: String] = [
        "hall": "the hall's name",
        "category": "the service line (业务类别)",
        "number": "the ticket number, e.g. A001",
        "priority": "绿色通道 or 预约; empty for a normal ticket",
        "ahead": "people ahead in the queue when issued",
        "aheadPeople": "\"1 person\" or \"N people\" (for English lines)",
        "waitMinutes": "estimated wait in whole minutes, rounded up",
        "time": "local issue time, YYYY-MM-DD HH:MM",
    ]

    public var blocks: [Block]

    public init(blocks: [Block]) { self.blocks = blocks }

    /// The layout kioskd prints when a printer names none; `Config/tickets/standard.toml` is
    /// this same layout written out for halls to copy and change.
    public static let standard = TicketTemplate(blocks: [
        .text(Text("{hall}", bold: true)),
        .text(Text("{category}")),
        .blank(lines: 1),
        .text(Text("{number}", bold: true, size: .max)),
        .text(Text("【{priority}】", when: .priority)),
        .blank(lines: 1),
        .text(Text("前面还有 {ahead} 人", english: "{aheadPeople} ahead")),
        .text(Text("预计等待约 {waitMinutes} 分钟", english: "~{waitMinutes} min", when: .waiting)),
        .text(Text("即将叫号", english: "you are next", when: .next)),
        .text(Text("{time}")),
        .blank(lines: 1),
        .qr,
        .blank(lines: 1),
        .text(Text("请留意叫号，过号请咨询服务台")),
        .feed(lines: 2),
    ])

    /// The placeholder names used in `text` that `placeholders` does not know.
    public static func unknownPlaceholders(in text: String) -> [String] {
        names(in: text).filter { placeholders[$0] == nil }
    }

    /// `{name}` occurrences, in order.
    static func names(in text: String) -> [String] {
        var out: [String] = []
        var rest = text[...]
        while let open = rest.firstIndex(of: "{") {
            let after = rest[rest.index(after: open)...]
            guard let close = after.firstIndex(of: "}") else { break }
            out.append(String(after[..<close]))
            rest = after[after.index(after: close)...]
        }
        return out
    }

    /// `text` with each known placeholder replaced by `values[name]` (unknown ones stay).
    public static func fill(_ text: String, _ values: [String: String]) -> String {
        var out = ""
        var rest = text[...]
        while let open = rest.firstIndex(of: "{") {
            out += rest[..<open]
            let after = rest[rest.index(after: open)...]
            guard let close = after.firstIndex(of: "}") else {
                rest = rest[open...]
                break
            }
            let name = String(after[..<close])
            out += values[name] ?? "{\(name)}"
            rest = after[after.index(after: close)...]
        }
        return out + rest
    }
}
