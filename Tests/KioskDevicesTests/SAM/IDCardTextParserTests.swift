import KioskCore
import KioskTestSupport
import Testing

@testable import KioskDevices

@Suite struct SAMIDCardTextParserTests {
    @Test func aResidentCardReadsEveryField() throws {
        let t = try IDCardTextParser.parse(CardTextFixture.resident())
        #expect(t.cardType == .resident)
        #expect(t.name == "张三")
        #expect(t.sex == .male)
        #expect(t.nation == "汉")
        #expect(t.nationCode == "01")
        #expect(t.birthDate == CardDate(yyyymmdd: "19800101"))
        #expect(t.address == "重庆市九龙坡区杨家坪正街1号")
        #expect(t.idNumber?.digits == "500107198001011233")
        #expect(t.cardNumber == "500107198001011233")
        #expect(t.authority == "重庆市公安局九龙坡区分局")
        #expect(t.validFrom == CardDate(yyyymmdd: "20200101"))
        #expect(t.validTo == CardDate(yyyymmdd: "20400101"))
        #expect(t.passNumber == nil)
    }

    @Test func changQiMeansNoEndDate() throws {
        let t = try IDCardTextParser.parse(CardTextFixture.resident(to: "长期"))
        #expect(t.validTo == nil)
        #expect(!t.isExpired(on: CardDate(yyyymmdd: "21991231")!))
    }

    @Test func expiryAndAgeFollowTheDay() throws {
        let t = try IDCardTextParser.parse(CardTextFixture.resident(to: "20251231"))
        #expect(!t.isExpired(on: CardDate(yyyymmdd: "20251231")!))
        #expect(t.isExpired(on: CardDate(yyyymmdd: "20260101")!))
        #expect(t.age(on: CardDate(yyyymmdd: "20391231")!) == 59)
        #expect(t.age(on: CardDate(yyyymmdd: "20400101")!) == 60)
        let card = try IDCard(t)
        #expect(card.age(on: CardDate(yyyymmdd: "20400101")!) == 60)
        #expect(card.isExpired(on: CardDate(yyyymmdd: "20260101")!))
    }

    @Test func aFemaleMinorityHolderReadsHerNation() throws {
        let t = try IDCardTextParser.parse(CardTextFixture.resident(name: "阿依古丽", sex: "2", nation: "05"))
        #expect(t.sex == .female)
        #expect(t.nation == "维吾尔")
    }

    @Test func theNationTableHasTheFiftySixGroupsAndTheTwoSpecialCodes() {
        #expect(EthnicGroup.all.count == 56)
        #expect(Set(EthnicGroup.all).count == 56)
        #expect(EthnicGroup.name(code: 1) == "汉")
        #expect(EthnicGroup.name(code: 2) == "蒙古")
        #expect(EthnicGroup.name(code: 22) == "畲")
        #expect(EthnicGroup.name(code: 56) == "基诺")
        #expect(EthnicGroup.name(code: 97) == "其他")
        #expect(EthnicGroup.name(code: 98) == "外国血统中国籍人士")
        #expect(EthnicGroup.name(code: 0) == nil)
        #expect(EthnicGroup.name(code: 57) == nil)
    }

    @Test func anUnknownNationCodeIsAnError() {
        #expect(throws: IDCardTextError.badField(field: "nation", reason: "\"60\" is not a 民族 code")) {
            try IDCardTextParser.parse(CardTextFixture.resident(nation: "60"))
        }
    }

    @Test func aWrongCheckDigitIsRefusedWithoutShowingTheNumber() {
        do {
            _ = try IDCardTextParser.parse(CardTextFixture.resident(number: "500107198001011234"))
            Issue.record("accepted a wrong check digit")
        } catch {
            #expect(error == .badField(field: "idNumber", reason: "the ID number's check digit is wrong"))
            #expect(!error.description.contains("500107198001011234"))
        }
    }

    @Test func impossibleDatesAndSexCodesAreErrors() {
        #expect(throws: IDCardTextError.self) { try IDCardTextParser.parse(CardTextFixture.resident(birth: "19800231")) }
        #expect(throws: IDCardTextError.self) { try IDCardTextParser.parse(CardTextFixture.resident(sex: "9")) }
        #expect(throws: IDCardTextError.wrongLength(255)) { try IDCardTextParser.parse([UInt8](repeating: 0x20, count: 255)) }
    }

    @Test func aHongKongMacauTaiwanPermitReadsItsPassNumberAndIssueCount() throws {
        let t = try IDCardTextParser.parse(CardTextFixture.hkMacauTaiwan())
        #expect(t.cardType == .hkMacauTaiwan)
        #expect(t.name == "陈大文")
        #expect(t.nation == "")
        #expect(t.idNumber?.digits == "810000199002150013")
        #expect(t.passNumber == "H12345678")
        #expect(t.issueCount == 1)
        #expect(t.birthDate == CardDate(yyyymmdd: "19900215"))
        #expect(t.validTo == CardDate(yyyymmdd: "20290301"))
        let card = try IDCard(t)
        #expect(card.cardType == .hkMacauTaiwan)
        #expect(card.idNumber.masked == "8100**********0013")
    }

    @Test func aForeignPermanentResidenceCardOf2017ReadsItsOwnLayout() throws {
        let t = try IDCardTextParser.parse(CardTextFixture.foreign2017())
        #expect(t.cardType == .foreignPermanent)
        #expect(t.name == "SMITH, JOHN")
        #expect(t.chineseName == "史密斯")
        #expect(t.nation == "CAN")
        #expect(t.cardNumber == "CAN110075120118")
        #expect(t.idNumber?.digits == "CAN110075120118")
        #expect(t.birthDate == CardDate(yyyymmdd: "19751201"))
        #expect(t.validFrom == CardDate(yyyymmdd: "20170601"))
        #expect(t.validTo == CardDate(yyyymmdd: "20270601"))
        #expect(t.cardVersion == "10")
        #expect(t.authority == "1100")
        #expect(t.address == "")
        // The queue keys holders on the card's own 15-character number.
        let card = try IDCard(t)
        #expect(card.idNumber.masked == "CAN1*******0118")
        #expect(card.idNumber.age(on: HallDay("2026-11-21")) == 50)
    }

    @Test func a2017ForeignNumberMustBeThreeLettersOfTheNationalityAndTwelveDigits() {
        #expect(throws: IDCardTextError.self) { try IDCardTextParser.parse(CardTextFixture.foreign2017(number: "CAN11007512011")) }
        #expect(throws: IDCardTextError.self) { try IDCardTextParser.parse(CardTextFixture.foreign2017(number: "USA110075120118")) }
        // The number repeats the birth date (751201): another date means a misread block.
        #expect(throws: IDCardTextError.self) { try IDCardTextParser.parse(CardTextFixture.foreign2017(number: "CAN110075120218")) }
    }

    @Test func aForeignPermanentResidenceCardOf2023HasAnEighteenDigitNumber() throws {
        let t = try IDCardTextParser.parse(CardTextFixture.foreign2023())
        #expect(t.cardType == .foreignPermanent)
        #expect(t.name == "SMITH-WORTHINGTON, JANE ELIZABETH MARGARET")
        #expect(t.chineseName == "史密斯")
        #expect(t.sex == .female)
        #expect(t.nation == "GBR")
        #expect(t.idNumber?.digits == "911124198003080025")
        #expect(t.issueCount == 1)
        let card = try IDCard(t)
        #expect(card.name == "SMITH-WORTHINGTON, JANE ELIZABETH MARGARET")
        #expect(card.nation == "GBR")
    }

    @Test func describingParsedTextMasksNameAndNumber() throws {
        let t = try IDCardTextParser.parse(CardTextFixture.resident())
        #expect(t.description == "IDCardText(resident, 张*, 5001**********1233)")
    }
}
