import KioskCore

/// Everything the 256-byte text block of a card says (机读文字信息), for all three card types,
/// before it is narrowed to the `IDCard` the queue uses.
///
/// Personal information under the PIPL: `description` masks the number and the name.
public struct IDCardText: Sendable, Equatable, CustomStringConvertible {
    public var cardType: IDCard.CardType
    /// 姓名 as the queue shows it: the Chinese name; on a foreign card the English name (the
    /// card's primary name).
    public var name: String
    /// 中文姓名 on a foreign card (may be empty); nil on the other cards.
    public var chineseName: String?
    public var sex: IDCard.Sex
    /// 民族 name ("汉"), or on a foreign card the nationality code (国籍代码, "CAN");
    /// empty on a Hong Kong / Macau / Taiwan permit (the field is reserved there).
    public var nation: String
    /// The raw code: "01", "CAN", or "".
    public var nationCode: String
    /// 出生日期.
    public var birthDate: CardDate
    /// 住址 (empty on a foreign card).
    public var address: String
    /// The number as on the card: 18 characters, or 15 on a 2017 foreign permanent residence
    /// card (3 letters and 12 digits).
    public var cardNumber: String
    /// The number validated: an 18-character one with its check digit verified, or the 2017
    /// foreign card's 15 characters (format and birth date verified). Always set by the parser.
    public var idNumber: IDNumber?
    /// 签发机关; on a foreign card the code of the accepting authority (当次申请受理机关代码).
    public var authority: String
    public var validFrom: CardDate
    /// nil means 长期.
    public var validTo: CardDate?
    /// 通行证号码 (Hong Kong / Macau / Taiwan permit).
    public var passNumber: String?
    /// 签发次数 (Hong Kong / Macau / Taiwan permit), 换证次数 (2023 foreign card).
    public var issueCount: Int?
    /// 证件版本号 (2017 foreign card).
    public var cardVersion: String?

    /// Whole years of age on `date`.
    public func age(on date: CardDate) -> Int {
        var age = date.year - birthDate.year
        if (date.month, date.day) < (birthDate.month, birthDate.day) { age -= 1 }
        return age
    }

    /// Whether the card is past its end date on `date` (a 长期 card never is).
    public func isExpired(on date: CardDate) -> Bool {
        guard let validTo else { return false }
        return date > validTo
    }

    public var description: String {
        let shown = name.first.map { String($0) + String(repeating: "*", count: max(1, name.count - 1)) } ?? ""
        return "IDCardText(\(cardType.rawValue), \(shown), \(IDNumber.mask(cardNumber)))"
    }
}

/// Why a text block could not be read as a card. Never carries the personal data itself.
public enum IDCardTextError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The block is not 256 bytes.
    case wrongLength(Int)
    /// A field does not hold what the layout says (`field` names it, `reason` says why).
    case badField(field: String, reason: String)

    public var description: String {
        switch self {
        case .wrongLength(let n): "card text is \(n) bytes, not 256"
        case .badField(let field, let reason): "card text field \(field): \(reason)"
        }
    }
}
