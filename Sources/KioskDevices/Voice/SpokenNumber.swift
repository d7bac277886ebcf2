/// How a hall reads numbers aloud (读号).
///
/// A ticket number is read character by character — A012 is "A 零 一 二", never "A 十二" —
/// because a citizen compares what they hear with the digits on the slip, and "十二" and "零一二"
/// are different tickets. A window's number is a name, read as people say it: 12号窗口 is
/// "十二号窗口".
public enum SpokenNumber {
    /// 零 to 九, by digit value.
    public static let digitWords = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"]

    /// The words of a ticket number, one per character: digits become 零…九, letters are upper
    /// case, anything else stays as written; spaces are dropped.
    public static func ticketWords(_ number: String) -> [String] {
        number.compactMap { character -> String? in
            if character.isWhitespace { return nil }
            if let digit = asciiDigit(character) { return digitWords[digit] }
            if character.isASCII, character.isLetter { return character.uppercased() }
            return String(character)
        }
    }

    /// A whole number as spoken in a name ("12" → 十 二 → 十二): 0–99 the way people say them,
    /// anything longer digit by digit.
    public static func cardinalWords(_ digits: String) -> [String] {
        guard let value = Int(digits), digits.count <= 2 else { return ticketWords(digits) }
        let tens = value / 10
        let ones = value % 10
        switch (tens, ones) {
        case (0, _): return [digitWords[ones]]
        case (1, 0): return ["十"]
        case (1, _): return ["十", digitWords[ones]]
        case (_, 0): return [digitWords[tens], "十"]
        default: return [digitWords[tens], "十", digitWords[ones]]
        }
    }

    static func asciiDigit(_ character: Character) -> Int? {
        guard character.isASCII, let value = character.wholeNumberValue else { return nil }
        return value
    }
}
