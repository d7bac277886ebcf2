import KioskCore

/// What a card reader reads from a second-generation ID card (二代身份证) or one of the two
/// residence cards that share its chip format, without the WLT photo (only a vendor library
/// decodes it, and the queue does not need it).
///
/// Personal information under the PIPL: `description` masks the ID number and the name, and the
/// type has no other textual form, so logging a card by accident does not leak it.
public struct IDCard: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    /// Which card the chip belongs to (byte 248 of the text block on a real read).
    public enum CardType: String, Sendable, Equatable, Codable, CaseIterable {
        /// 居民身份证: the resident ID card.
        case resident
        /// 港澳台居民居住证: residence permit for Hong Kong, Macau and Taiwan residents (`J`).
        case hkMacauTaiwan = "hk_macau_taiwan"
        /// 外国人永久居留身份证: foreign permanent resident ID card (`I`).
        case foreignPermanent = "foreign_permanent"

        /// The type marker in byte 248 of the chip's text (a space for the resident card).
        public var marker: Character {
            switch self {
            case .resident: " "
            case .hkMacauTaiwan: "J"
            case .foreignPermanent: "I"
            }
        }

        /// The type for a chip marker; anything unknown reads as a resident card, as readers do.
        public init(marker: Character) {
            switch marker {
            case "J": self = .hkMacauTaiwan
            case "I": self = .foreignPermanent
            default: self = .resident
            }
        }
    }

    /// 性别, coded 1 / 2 in the chip (GB/T 2261.1).
    public enum Sex: String, Sendable, Equatable, Codable, CaseIterable {
        case male, female

        /// 男 / 女, as printed on the card.
        public var chinese: String { self == .male ? "男" : "女" }
    }

    /// 姓名. Foreign cards carry the English name here.
    public var name: String
    public var sex: Sex
    /// 民族 ("汉", "回"…); for a foreign card the nationality code ("CAN").
    public var nation: String
    /// 出生日期.
    public var birthDate: CardDate
    /// 住址 (empty on a foreign card).
    public var address: String
    /// 公民身份号码, validated (check digit and birth date).
    public var idNumber: IDNumber
    /// 签发机关 ("重庆市公安局九龙坡区分局").
    public var authority: String
    /// 有效期限 start.
    public var validFrom: CardDate
    /// 有效期限 end; nil means 长期 (valid for life).
    public var validTo: CardDate?
    public var cardType: CardType

    public init(
        name: String, sex: Sex, nation: String, birthDate: CardDate, address: String,
        idNumber: IDNumber, authority: String, validFrom: CardDate, validTo: CardDate?,
        cardType: CardType = .resident
    ) {
        self.name = name
        self.sex = sex
        self.nation = nation
        self.birthDate = birthDate
        self.address = address
        self.idNumber = idNumber
        self.authority = authority
        self.validFrom = validFrom
        self.validTo = validTo
        self.cardType = cardType
    }

    /// Whether the card is within its validity period on `date` (a 长期 card never expires).
    public func isValid(on date: CardDate) -> Bool {
        guard date >= validFrom else { return false }
        guard let validTo else { return true }
        return date <= validTo
    }

    /// Whole years of age on `date` (the green channel uses 60+).
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

    /// "张*" for 张三, "李**" for 李小龙: the first character and a star for each other one,
    /// as hall screens show it.
    public var maskedName: String {
        guard let first = name.first else { return "" }
        return String(first) + String(repeating: "*", count: max(1, name.count - 1))
    }

    public var description: String {
        "IDCard(\(cardType.rawValue), \(maskedName), \(idNumber.masked))"
    }

    public var debugDescription: String { description }
}
